"""The dashboards' figures: every commune's month, as the province and commune dashboards read it."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Max
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.dashboards.figures import FACTOR_SLOTS, MIN_ANSWERS, median_of
from portal.models import MONTH_COUNTS, SIPAS_FIELDS, SIPAS_SLOTS, CommuneMonth
from portal.opendata.datasets.common import chunks, in_province
from portal.opendata.datasets.one_stop import COMMUNE_CODE
from portal.opendata.registry import DATE, INTEGER, NUMBER, Dataset, Field

THEME = _("Dashboards")


def month_rows(province: str | None) -> Iterator[tuple]:
    """A commune's month; its satisfaction counts only once every factor has MIN_ANSWERS answers, as the
    public dashboard shows them."""
    months = CommuneMonth.objects.order_by("commune__code", "commune_id", "month").values_list(
        "commune__code", "month", *SIPAS_FIELDS, *MONTH_COUNTS, "feedback_answer_days"
    )
    for code, month, *values in chunks(in_province(months, province, "commune__province")):
        survey, counts, days = values[: len(SIPAS_FIELDS)], values[len(SIPAS_FIELDS) : -1], values[-1]
        answered = dict(zip(SIPAS_FIELDS, survey, strict=True))
        enough = min(answered[f"sipas_answered_{slot}"] for slot in FACTOR_SLOTS) >= MIN_ANSWERS
        median = median_of(dict(enumerate(days)))
        yield (code, month, *(survey if enough else [None] * len(SIPAS_FIELDS)), *counts, median)


def _field(name: str, description) -> Field:
    return Field(name, INTEGER, description, "0")


COMMUNE_MONTHS = Dataset(
    slug="commune-monthly-figures",
    title=_("The dashboards' figures of each commune, by month"),
    description=_(
        "What the province and commune dashboards read: each commune's verified survey answers to the SIPAS "
        "questionnaire (answered and satisfied, per factor; left empty below 30 answers to a factor), its "
        "feedback by month of submission, its one-stop dossiers, its disclosures and its grassroots-democracy "
        "records. Rebuilt every hour."
    ),
    theme=THEME,
    fields=(
        COMMUNE_CODE,
        Field("month", DATE, _("The month, as its first day."), "2026-01-01"),
        *(
            _field(
                f"sipas_{kind}_{slot}",
                format_lazy(
                    _("Overall question: {what}.") if slot == 0 else _("Factor {slot}: {what}."),
                    slot=slot,
                    what=_("answers") if kind == "answered" else _("answers satisfied (4 or 5 of 5)"),
                ),
            )
            for slot in SIPAS_SLOTS
            for kind in ("answered", "satisfied")
        ),
        _field("feedback_received", _("Feedback items sent in the month.")),
        _field("feedback_in_competence", _("Of them, within the commune's competence (not refused or forwarded).")),
        _field("feedback_answered", _("Of them, answered.")),
        _field("feedback_on_time", _("Of them, handled by their due date.")),
        _field("feedback_late", _("Of them, handled after their due date, or still open past it.")),
        _field("feedback_open_overdue", _("Of them, still open past their due date.")),
        _field("feedback_disputed", _("Of them, whose answer the citizen disputed.")),
        _field("dossiers_received", _("One-stop dossiers received in the month.")),
        _field("dossiers_resolved_early", _("Dossiers resolved before their due date.")),
        _field("dossiers_resolved_on_time", _("Dossiers resolved on their due date.")),
        _field("dossiers_resolved_late", _("Dossiers resolved after their due date.")),
        _field("dossiers_resolved_same_day", _("Dossiers resolved within the day they were received.")),
        _field("dossiers_submitted_online", _("Dossiers submitted online.")),
        _field("disclosures", _("Items disclosed in the month.")),
        _field("disclosures_on_time", _("Of them, disclosed by their deadline.")),
        _field("matters_recognised", _("Residents' decisions the commune recognised in the month.")),
        _field("matters_refused", _("Residents' decisions the commune did not recognise in the month.")),
        _field("consultations", _("Consultations planned to close in the month.")),
        _field("consultations_on_time", _("Of them, run for their full period with the synthesis published.")),
        _field("recommendations", _("Recommendations of the oversight boards received in the month.")),
        _field("recommendations_on_time", _("Of them, answered by their due date.")),
        Field("feedback_median_days", NUMBER, _("Median calendar days from sending to the answer."), "3.5"),
    ),
    rows=month_rows,
    modified=lambda: CommuneMonth.objects.aggregate(latest=Max("refreshed_at"))["latest"],
)

DATASETS = (COMMUNE_MONTHS,)
