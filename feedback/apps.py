from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Citizen feedback")

    def ready(self):
        from communes.search_tasks import SearchTask, search_task_register

        # The header's "Send feedback" chooses the commune first, in the commune search.
        search_task_register(
            SearchTask(
                key="feedback",
                url_name="feedback:submit",
                title=_("Send feedback: first choose the commune"),
                action=_("Send feedback here"),
            )
        )

        from core import pagecache
        from feedback.models import Event, Feedback, MonthlyFigures, Notification, Photo

        # An item shows on its own tracking page and in its commune's figures and list; the province's
        # pages read the monthly figures, whose refresh bumps "site" itself.
        pagecache.watch_app(
            self.label,
            scopes={
                Feedback: feedback_scopes,
                Photo: lambda photo: feedback_scopes(photo.feedback),
                Event: lambda event: feedback_scopes(event.feedback),
            },
            ignore=[Notification, MonthlyFigures],
        )


def feedback_scopes(item) -> tuple[str, ...]:
    """The cached pages that show ``item``: its tracking page and its commune's pages."""
    return (f"feedback:{item.code}", f"commune:{item.commune_id}")
