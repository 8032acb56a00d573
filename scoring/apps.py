from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def queue_certificates(sender, decision_id: int, **kwargs) -> None:
    """An approved decision's certificates are queued as soon as the approval is committed."""
    from scoring.models import Decision
    from scoring.services.certificates import certificates_queue

    certificates_queue(Decision.objects.get(pk=decision_id))


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring and recognition")

    def ready(self):
        from scoring.services.decisions import decision_approved

        decision_approved.connect(queue_certificates, dispatch_uid="scoring.queue_certificates")

        from core import pagecache

        # Results, stars and certificates show on the commune, ranking and province pages.
        pagecache.watch_app(self.label)
