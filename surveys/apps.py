from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from surveys.models import Campaign, Kiosk
        from surveys.selectors import forget_covered, forget_recent

        # Submissions keep a few rows in memory (selectors); a change made here is seen at once.
        m2m_changed.connect(forget_covered, sender=Campaign.communes.through, dispatch_uid="surveys-covered")
        post_save.connect(forget_recent, sender=Campaign, dispatch_uid="surveys-recent-campaign")
        post_save.connect(forget_recent, sender=Kiosk, dispatch_uid="surveys-recent-kiosk")

        from core import pagecache
        from surveys.models import CodeBatch, Response, Tally, VisitCode

        # Public pages show answers only through the tallies, which statistics_refresh stores in bulk
        # and then bumps "site"; the answers, codes and kiosks themselves are on no cached page.
        pagecache.watch_app(self.label, ignore=[Response, Tally, VisitCode, CodeBatch, Kiosk])
