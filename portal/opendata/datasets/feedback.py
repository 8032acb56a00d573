"""Citizens' feedback as the public lists show it, and the monthly figures scoring reads.

Only public columns are ever read (``values_list``): the title the public sees (an officer's redacted
title where there is one), the category, the status and the dates. Never the submitter, the contact
name, phone or e-mail, the exact place or coordinates, the photos or the description a citizen wrote.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, F, Max, When
from django.utils.translation import gettext_lazy as _

from core import clock
from feedback.models import OPEN_STATUSES, Feedback, MonthlyFigures
from portal.opendata.datasets.common import chunks, day_of, in_province, public_url
from portal.opendata.datasets.one_stop import COMMUNE_CODE
from portal.opendata.registry import BOOLEAN, DATE, INTEGER, STRING, Dataset, Field, latest

THEME = _("Feedback")

# What a public list may read of an item; nothing else leaves the database.
PUBLIC_COLUMNS = (
    "code",
    "commune__code",
    "category__name",
    "shown_title",
    "status",
    "submitted_at",
    "due_date",
    "answered_at",
    "rating",
    "disputes",
    "refusal_reason",
    "forwarded_to",
    "duplicate_of__code",
)


def feedback_rows(province: str | None) -> Iterator[tuple]:
    today = clock.today()
    items = (
        Feedback.objects.annotate(shown_title=Case(When(public_title="", then=F("title")), default=F("public_title")))
        .order_by("submitted_at", "pk")
        .values_list(*PUBLIC_COLUMNS)
    )
    for code, commune, category, title, status, submitted_at, due_date, answered_at, *rest in chunks(
        in_province(items, province, "commune__province")
    ):
        rating, disputes, refusal_reason, forwarded_to, duplicate_of = rest
        yield (
            code,
            commune,
            category,
            title,
            status,
            day_of(submitted_at),
            due_date,
            day_of(answered_at),
            status in OPEN_STATUSES and due_date < today,
            rating,
            disputes,
            refusal_reason,
            forwarded_to,
            duplicate_of or "",
            public_url("feedback:track", code=code),
        )


def figure_rows(province: str | None) -> Iterator[tuple]:
    months = MonthlyFigures.objects.order_by("commune__code", "commune_id", "month").values_list(
        "commune__code", "month", "received", "in_competence", "on_time", "late", "rated", "unsatisfied"
    )
    yield from chunks(in_province(months, province, "commune__province"))


FEEDBACK = Dataset(
    slug="feedback",
    title=_("Feedback and recommendations from citizens"),
    description=_(
        "Every feedback item sent to a commune, as the commune's public list shows it: tracking code, "
        "category, the title the public sees, status, dates, the citizen's rating of the answer. It holds no "
        "personal data: no name, phone, e-mail, address, place or photo of the person who sent it, and not "
        "the description they wrote."
    ),
    theme=THEME,
    fields=(
        Field("code", STRING, _("Public tracking code."), "K7M2Q9XA"),
        COMMUNE_CODE,
        Field("category", STRING, _("Category, as the province names it."), "Hạ tầng, giao thông"),
        Field("title", STRING, _("Title as the public sees it (moderated where needed)."), "Đèn đường hỏng"),
        Field(
            "status",
            STRING,
            _(
                "received, accepted, in_progress, forwarded, refused, resolved or closed_unresolved "
                "(closed without a solution)."
            ),
            "resolved",
        ),
        Field("submitted_on", DATE, _("Day it was sent (Vietnam time)."), "2026-01-05"),
        Field("due_date", DATE, _("Day the official answer is due."), "2026-01-19"),
        Field("answered_on", DATE, _("Day the commune answered (empty: not yet)."), "2026-01-12"),
        Field("overdue", BOOLEAN, _("Still open after its due date, on the day of the download."), "false"),
        Field("rating", INTEGER, _("The citizen's rating of the answer, 1 to 5 (empty: not rated)."), "4"),
        Field("disputes", INTEGER, _("Times the citizen disputed the answer."), "0"),
        Field(
            "refusal_reason",
            STRING,
            _("Why it was refused: out_of_scope, duplicate or not_feedback (empty: not refused)."),
            "",
        ),
        Field("forwarded_to", STRING, _("Unit it was forwarded to (empty: not forwarded)."), ""),
        Field("duplicate_of", STRING, _("Tracking code of the earlier item it duplicates."), ""),
        Field("url", STRING, _("Address of its public tracking page."), ""),
    ),
    rows=feedback_rows,
    modified=lambda: latest((Feedback.history.all(), "history_date")),
)

FEEDBACK_FIGURES = Dataset(
    slug="feedback-figures",
    title=_("Feedback handled by each commune, by month"),
    description=_(
        "Each commune's feedback of one month of submission, counted the way the annual scoring reads it: "
        "received, within the commune's competence, answered on time, late, rated, rated unsatisfied."
    ),
    theme=THEME,
    fields=(
        COMMUNE_CODE,
        Field("month", DATE, _("Month of submission, as its first day."), "2026-01-01"),
        Field("received", INTEGER, _("Items received."), "25"),
        Field(
            "in_competence", INTEGER, _("Items within the commune's competence (neither refused nor forwarded)."), "22"
        ),
        Field("on_time", INTEGER, _("Items answered by their due date."), "20"),
        Field("late", INTEGER, _("Items answered after their due date, or still open past it."), "2"),
        Field("rated", INTEGER, _("Items whose answer the citizen rated."), "12"),
        Field("unsatisfied", INTEGER, _("Items rated 1 or 2 of 5."), "1"),
    ),
    rows=figure_rows,
    modified=lambda: MonthlyFigures.objects.aggregate(latest=Max("refreshed_at"))["latest"],
)

DATASETS = (FEEDBACK, FEEDBACK_FIGURES)
