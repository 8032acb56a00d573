"""The dashboards' maintained aggregates: one row per commune and month with every figure the province
and commune dashboards show, rebuilt by ``dashboard_refresh`` (hourly) from each app's own monthly
figures. A dashboard sums these rows in a few grouped queries, whatever the number of raw responses
and feedback items behind them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune

# The SIPAS questionnaire's slots kept per month: 0 is the overall question, 1–5 the five factors.
SIPAS_SLOTS = range(6)
# Days from submission to answer, counted per day up to this many; the last bucket holds the rest.
ANSWER_DAYS_KEPT = 60


# The columns that add up over months and communes, as the dashboards and the open data read them.
SIPAS_FIELDS = [f"sipas_{kind}_{slot}" for slot in SIPAS_SLOTS for kind in ("answered", "satisfied")]
MONTH_COUNTS = [
    "feedback_received",
    "feedback_in_competence",
    "feedback_answered",
    "feedback_on_time",
    "feedback_late",
    "feedback_open_overdue",
    "feedback_disputed",
    "dossiers_received",
    "dossiers_resolved_early",
    "dossiers_resolved_on_time",
    "dossiers_resolved_late",
    "dossiers_resolved_same_day",
    "dossiers_submitted_online",
    "disclosures",
    "disclosures_on_time",
    "matters_recognised",
    "matters_refused",
    "consultations",
    "consultations_on_time",
    "recommendations",
    "recommendations_on_time",
]


def _count(label):
    return models.PositiveIntegerField(default=0, verbose_name=label)


class CommuneMonth(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="dashboard_months", verbose_name=_("commune")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    # Satisfaction (SIPAS), verified answers only (visit code, kiosk): answered and satisfied (4–5 of 5).
    sipas_answered_0 = _count(_("overall: answered"))
    sipas_satisfied_0 = _count(_("overall: satisfied"))
    sipas_answered_1 = _count(_("factor 1: answered"))
    sipas_satisfied_1 = _count(_("factor 1: satisfied"))
    sipas_answered_2 = _count(_("factor 2: answered"))
    sipas_satisfied_2 = _count(_("factor 2: satisfied"))
    sipas_answered_3 = _count(_("factor 3: answered"))
    sipas_satisfied_3 = _count(_("factor 3: satisfied"))
    sipas_answered_4 = _count(_("factor 4: answered"))
    sipas_satisfied_4 = _count(_("factor 4: satisfied"))
    sipas_answered_5 = _count(_("factor 5: answered"))
    sipas_satisfied_5 = _count(_("factor 5: satisfied"))
    # Feedback submitted in the month, as it stands now.
    feedback_received = _count(_("feedback received"))
    feedback_in_competence = _count(_("feedback within competence"))
    feedback_answered = _count(_("feedback answered"))
    feedback_on_time = _count(_("feedback answered on time"))
    feedback_late = _count(_("feedback late or overdue"))
    feedback_open_overdue = _count(_("feedback open past its due date"))
    feedback_disputed = _count(_("feedback disputed"))
    # Answered items by whole days from submission to answer: [n answered the same day, n the next day, …],
    # the last bucket holding ANSWER_DAYS_KEPT days and more. Medians add up over any months and communes.
    feedback_answer_days = models.JSONField(default=list, verbose_name=_("days to answer"))
    # The commune's monthly dossier statistics (communes.DossierStatistics), copied so that a dashboard's
    # figures all come from one rebuild and say one time.
    dossiers_received = _count(_("dossiers received"))
    dossiers_resolved_early = _count(_("dossiers resolved early"))
    dossiers_resolved_on_time = _count(_("dossiers resolved on time"))
    dossiers_resolved_late = _count(_("dossiers resolved late"))
    dossiers_resolved_same_day = _count(_("dossiers resolved within the day"))
    dossiers_submitted_online = _count(_("dossiers submitted online"))
    disclosures = _count(_("items disclosed"))
    disclosures_on_time = _count(_("items disclosed on time"))
    matters_recognised = _count(_("matters recognised"))
    matters_refused = _count(_("matters not recognised"))
    consultations = _count(_("consultations closing"))
    consultations_on_time = _count(_("consultations run in full with a synthesis"))
    recommendations = _count(_("recommendations received"))
    recommendations_on_time = _count(_("recommendations answered on time"))
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("commune's monthly figures")
        verbose_name_plural = _("communes' monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="dashboard_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="dashboard_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "commune"], name="dashboard_month_commune")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y}"


class CategoryMonth(models.Model):
    """Feedback submitted in a month, per commune and category: the dashboard's feedback by category."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("commune"))
    month = models.DateField(_("month"))
    category = models.ForeignKey(
        "feedback.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    received = _count(_("received"))
    on_time = _count(_("answered on time"))
    late = _count(_("late or overdue"))

    class Meta:
        verbose_name = _("feedback by category and month")
        verbose_name_plural = _("feedback by category and month")
        constraints = [
            models.UniqueConstraint(fields=["commune", "month", "category"], name="dashboard_category_unique"),
        ]
        indexes = [models.Index(fields=["month", "commune"], name="dashboard_category_month")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y} {self.category_id}"
