from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from communes.search_tasks import SearchTask, search_task_register

        # "Rate your visit" without a visit code: the commune's open link, its commune chosen first.
        search_task_register(
            SearchTask(
                key="survey",
                url_name="surveys:commune_survey",
                title=_("Rate your visit: first choose the commune"),
                action=_("Rate the visit here"),
            )
        )

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
