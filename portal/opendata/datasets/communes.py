"""What the communes publish beside their shops: the provinces' procedure catalogues and which commune
handles which procedure, the public disclosures (Law 10/2022/QH15, art. 11-13) and the monthly dossier
statistics. A commune's local notes on a procedure are left out: its public page does not show them."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from communes.models import FIGURES, CommuneProcedure, Disclosure, DossierStatistics, Procedure
from portal.opendata.datasets.common import chunks, in_province, public_url
from portal.opendata.datasets.one_stop import COMMUNE_CODE
from portal.opendata.registry import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Dataset, Field, latest

PROVINCE_CODE = Field("province_code", STRING, _("Official code of the province."), "24")
THEME = _("Procedures and public disclosures")


def _lines(values) -> str:
    return "\n".join(str(value) for value in values or [])


def procedure_rows(province: str | None) -> Iterator[tuple]:
    procedures = (
        Procedure.objects.select_related("province")
        .annotate(commune_count=Count("communes"))
        .order_by("province__code", "province_id", "code")
    )
    for procedure in chunks(in_province(procedures, province, "province")):
        yield (
            procedure.province.code,
            procedure.code,
            procedure.name,
            procedure.field,
            _lines(procedure.steps),
            _lines(procedure.documents),
            procedure.fee,
            procedure.time_limit_days,
            procedure.same_day,
            procedure.online_level,
            procedure.commune_count,
        )


def commune_procedure_rows(province: str | None) -> Iterator[tuple]:
    links = CommuneProcedure.objects.order_by("commune__code", "commune_id", "procedure__code").values_list(
        "commune__code", "procedure__province__code", "procedure__code"
    )
    yield from chunks(in_province(links, province, "commune__province"))


def disclosure_rows(province: str | None) -> Iterator[tuple]:
    disclosures = Disclosure.objects.select_related("commune").order_by("commune__code", "-published_on", "-pk")
    for disclosure in chunks(in_province(disclosures, province, "commune__province")):
        yield (
            disclosure.pk,
            disclosure.commune.code,
            disclosure.title,
            disclosure.category,
            disclosure.decision_date,
            disclosure.published_on,
            disclosure.deadline,
            disclosure.is_late,
            disclosure.posted_until,
            disclosure.is_permanent,
            disclosure.due_basis,
            public_url("communes:disclosure_document", pk=disclosure.commune_id, disclosure_pk=disclosure.pk),
        )


def statistics_rows(province: str | None) -> Iterator[tuple]:
    months = DossierStatistics.objects.order_by("commune__code", "commune_id", "month").values_list(
        "commune__code", "month", *FIGURES
    )
    for code, month, *figures in chunks(in_province(months, province, "commune__province")):
        values = dict(zip(FIGURES, figures, strict=True))
        resolved = values["resolved_early"] + values["resolved_on_time"] + values["resolved_late"]
        early_or_on_time = values["resolved_early"] + values["resolved_on_time"]
        share = round(100 * early_or_on_time / resolved, 1) if resolved else None
        yield (code, month, *figures, resolved, share)


PROCEDURES = Dataset(
    slug="procedures",
    title=_("Administrative procedures of the provinces' catalogues"),
    description=_(
        "Each province's catalogue of administrative procedures that its communes handle: steps, documents "
        "to bring, fee, time limit and online service, with the number of communes that handle each one."
    ),
    theme=THEME,
    fields=(
        PROVINCE_CODE,
        Field("code", STRING, _("Code in the national procedure database."), "1.001193"),
        Field("name", STRING, _("Name of the procedure."), "Đăng ký khai sinh"),
        Field("field", STRING, _("Field of the procedure."), "Hộ tịch"),
        Field("steps", STRING, _("Steps in order, one a line."), ""),
        Field("documents", STRING, _("Documents to bring, one a line."), ""),
        Field("fee", STRING, _("Fee, as published."), "Miễn phí"),
        Field("time_limit_days", INTEGER, _("Time limit in working days (empty: within the day)."), "3"),
        Field("same_day", BOOLEAN, _("Whether it can be resolved within the day."), "true"),
        Field("online_level", STRING, _("Online service: full, partial or none."), "full"),
        Field("commune_count", INTEGER, _("Number of communes that handle it."), "12"),
    ),
    rows=procedure_rows,
    modified=lambda: latest(
        (Procedure.history.all(), "history_date"), (CommuneProcedure.history.all(), "history_date")
    ),
)

COMMUNE_PROCEDURES = Dataset(
    slug="commune-procedures",
    title=_("Procedures each commune handles"),
    description=_("Which procedures of its province's catalogue each commune's one-stop shop handles."),
    theme=THEME,
    fields=(
        COMMUNE_CODE,
        PROVINCE_CODE,
        Field("procedure_code", STRING, _("Code of the procedure (see the procedures dataset)."), "1.001193"),
    ),
    rows=commune_procedure_rows,
    modified=lambda: latest((CommuneProcedure.history.all(), "history_date")),
)

DISCLOSURES = Dataset(
    slug="disclosures",
    title=_("Public disclosures of the communes"),
    description=_(
        "What each commune made public under Law 10/2022/QH15 (art. 11-13): the title, the category of "
        "art. 11, the dates of the decision and of the publication, the deadline and whether it was met, "
        "how long it stays posted, and the address of the document."
    ),
    theme=THEME,
    fields=(
        Field("id", INTEGER, _("Stable number of the disclosure on the portal."), "101"),
        COMMUNE_CODE,
        Field("title", STRING, _("Title."), "Dự toán ngân sách xã năm 2026"),
        Field("category", STRING, _("Category of art. 11, as a code (01_plan … 14_other)."), "02_budget"),
        Field("decision_date", DATE, _("Date of the decision disclosed."), "2026-01-05"),
        Field("published_on", DATE, _("Date it was published."), "2026-01-08"),
        Field("deadline", DATE, _("Last day to publish it (art. 12(3), or the date another law sets)."), ""),
        Field("published_late", BOOLEAN, _("Published after the deadline."), "false"),
        Field("posted_until", DATE, _("Last day it stays posted at the office (empty: permanently)."), ""),
        Field("permanent", BOOLEAN, _("Stays posted permanently (procedures, code of conduct)."), "false"),
        Field("due_basis", STRING, _("The law that sets the deadline, where another law sets it."), ""),
        Field("document_url", STRING, _("Address of the published document (PDF)."), ""),
    ),
    rows=disclosure_rows,
    modified=lambda: latest((Disclosure.history.all(), "history_date")),
)

DOSSIER_STATISTICS = Dataset(
    slug="dossier-statistics",
    title=_("Dossiers handled by the one-stop shops, by month"),
    description=_(
        "The monthly figures each commune reports on the dossiers its one-stop shop received and resolved: "
        "early, on time, late, within the day, submitted and paid online, digitised, pending."
    ),
    theme=_("One-stop shops"),
    fields=(
        COMMUNE_CODE,
        Field("month", DATE, _("The month, as its first day."), "2026-01-01"),
        Field("received", INTEGER, _("Dossiers received."), "260"),
        Field("resolved_early", INTEGER, _("Dossiers resolved before the due date."), "40"),
        Field("resolved_on_time", INTEGER, _("Dossiers resolved on the due date."), "200"),
        Field("resolved_late", INTEGER, _("Dossiers resolved late."), "3"),
        Field("late_with_apology", INTEGER, _("Late dossiers for which an apology letter was sent."), "3"),
        Field("resolved_same_day", INTEGER, _("Dossiers resolved within the day."), "90"),
        Field("submitted_online", INTEGER, _("Dossiers submitted online."), "120"),
        Field("paid_online", INTEGER, _("Dossiers whose fee was paid online."), "60"),
        Field("digitised", INTEGER, _("Dossiers digitised."), "250"),
        Field("pending", INTEGER, _("Dossiers pending at the end of the month."), "15"),
        Field("resolved", INTEGER, _("Dossiers resolved (early, on time and late)."), "243"),
        Field(
            "on_time_percent",
            NUMBER,
            _("Share of resolved dossiers resolved early or on time, in percent (empty: none resolved)."),
            "98.8",
        ),
    ),
    rows=statistics_rows,
    modified=lambda: latest((DossierStatistics.history.all(), "history_date")),
)

# The dossier statistics first: they belong with the one-stop shops the catalogue lists before.
DATASETS = (DOSSIER_STATISTICS, PROCEDURES, COMMUNE_PROCEDURES, DISCLOSURES)
