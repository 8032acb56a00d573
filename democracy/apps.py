from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "democracy"
    verbose_name = _("Grassroots democracy")

    def ready(self):
        from core import pagecache
        from democracy.models import Ballot, Household, Report, Subscription, SupervisionNote, Tally

        # Ballots, running counts and households are on no public page; a count becomes public through
        # its Decision, written when the deciding is counted. Residents' reports to the boards and the
        # Front's supervision notes are never public either.
        pagecache.watch_app(self.label, ignore=[Ballot, Tally, Household, Subscription, Report, SupervisionNote])
