"""Demo content for a local run: full one-stop profiles on today's units of tỉnh Bắc Ninh (phường Vân
Hà and others), and the Bắc Giang communes (pre-2025) they took over kept as history.

A unit the 2025 reform ended keeps only what it had before it ended: statistics up to June 2025,
disclosures published before July 2025, its shop as it was (confirmed before its last day, with no
special days ahead); today's units carry everything from 1 July 2025 on. Nothing of an ended unit is
dated after its end.

Idempotent: every record is looked up by its natural key before it is created, and existing records
are never rewritten. Parts a demo user may have edited in the back office are seeded only while they
are empty (a shop's hours, officers and facilities when the shop is new; a commune's procedures and
disclosures when it has none), so running ``setup_demo`` again neither duplicates nor undoes their edits.
"""

from __future__ import annotations

import datetime
import html
import io
import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from communes.data.unit_history import LEGACY_UNTIL
from communes.models import (
    PERMANENT_CATEGORIES,
    CodeOfConduct,
    Commune,
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DisclosureList,
    DossierStatistics,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OpeningException,
    OpeningHours,
    Procedure,
    Province,
)
from communes.selectors.disclosures import quarter_days
from communes.services.disclosure_lists import disclosure_list_publish
from communes.services.statistics import last_complete_month, statistics_save
from core import clock
from core.text import fold
from core.workdays import add_working_days
from demo.data import communes as data

logger = logging.getLogger(__name__)

STATISTICS_MONTHS = 12


class DemoError(Exception):
    """The demo cannot be set up; the message is translated."""


@dataclass
class DemoReport:
    communes: list[Commune] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)  # model name → records created by this run

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def summary(self) -> str:
        communes = [commune.pk for commune in self.communes]
        return _(
            "Demo communes: %(communes)d one-stop shop profiles, %(procedures)d procedures in the catalogue, "
            "%(months)d months of statistics, %(disclosures)d disclosures (%(created)d records created now)."
        ) % {
            "communes": OneStopShop.objects.filter(commune__in=communes).count(),
            "procedures": Procedure.objects.filter(province__in={c.province_id for c in self.communes}).count(),
            "months": DossierStatistics.objects.filter(commune__in=communes).count(),
            "disclosures": Disclosure.objects.filter(commune__in=communes).count(),
            "created": self.created_total,
        }


def _create(obj: Model, report: DemoReport, by) -> Model:
    obj.full_clean()
    obj._history_user = by
    obj.save()
    report.created[obj._meta.model_name] += 1
    return obj


# --- PDF documents ----------------------------------------------------------------------------------------


@lru_cache(maxsize=128)
def _pdf(title: str, issuer: str, body: tuple[str, ...]) -> bytes:
    """A one-page A4 PDF of a disclosure, rendered once per distinct content and process."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body)
    page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
@page {{ size: A4; margin: 2cm; }}
body {{ font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 12pt; line-height: 1.45; }}
.head {{ width: 100%; text-align: center; font-size: 11pt; }}
.head td {{ width: 50%; vertical-align: top; }}
h1 {{ font-size: 15pt; text-align: center; margin: 1.5cm 0 .8cm; }}
.note {{ margin-top: 1.5cm; font-size: 9pt; color: #555; }}
</style></head><body>
<table class="head"><tr><td><strong>{html.escape(issuer.upper())}</strong></td>
<td><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br>Độc lập - Tự do - Hạnh phúc</td></tr></table>
<h1>{html.escape(title)}</h1>{paragraphs}
<p class="note">{html.escape(data.DEMO_NOTE)}</p>
</body></html>"""
    # WeasyPrint logs seven INFO lines per document; a demo load would print two hundred of them.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        from weasyprint import HTML  # imported here: it loads system libraries

        return HTML(string=page).write_pdf()
    except OSError as error:
        # WeasyPrint's system libraries (Pango) are missing: a blank page still makes a valid document.
        logger.warning("WeasyPrint is unavailable (%s); demo disclosures get a blank PDF page.", error)
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595.28, height=841.89)
        writer.add_metadata({"/Title": title})
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()
    finally:
        progress.setLevel(level)


# --- Province-wide records --------------------------------------------------------------------------------


def _ensure_codes_of_conduct(province: Province, specs: list[dict], report: DemoReport, by) -> None:
    existing = set(province.codes_of_conduct.values_list("version", flat=True))
    for spec in specs:
        if spec["version"] not in existing:
            _create(CodeOfConduct(province=province, **spec), report, by)


def _ensure_catalogue(province: Province, report: DemoReport, by) -> dict[str, Procedure]:
    catalogue = {procedure.code: procedure for procedure in province.procedures.all()}
    for spec in data.PROCEDURES:
        if spec.code in catalogue:
            continue
        catalogue[spec.code] = _create(
            Procedure(
                province=province,
                code=spec.code,
                name=spec.name,
                field=spec.field,
                steps=spec.steps,
                documents=spec.documents,
                fee=spec.fee,
                time_limit_days=spec.time_limit_days,
                same_day=spec.same_day,
                online_level=spec.online_level,
            ),
            report,
            by,
        )
    return catalogue


# --- One commune ------------------------------------------------------------------------------------------


def _email(commune: Commune) -> str:
    domain = data.TODAY_EMAIL_DOMAIN if commune.is_current else data.EMAIL_DOMAIN
    return f"ubnd{fold(commune.name).replace(' ', '')}@{domain}"


def _last_day(commune: Commune) -> datetime.date:
    """Today for a unit in force; an ended unit's records stop on its last day."""
    return commune.valid_until or clock.today()


def _ensure_shop(commune: Commune, spec: data.CommuneSpec, report: DemoReport, by) -> None:
    if OneStopShop.objects.filter(commune=commune).exists():
        return  # the shop and what hangs on it may have been edited since: leave them
    today, last_day = clock.today(), _last_day(commune)
    shop = _create(
        OneStopShop(
            commune=commune,
            address=f"Trụ sở UBND {commune.address_on(last_day)}",
            phone=spec.phone,
            email=_email(commune),
            directions=f"{spec.directions} ({data.DEMO_NOTE})",
            verified_on=last_day - datetime.timedelta(days=spec.verified_days_ago),
            verified_by=by,
        ),
        report,
        by,
    )
    days = [*data.WEEKDAYS, *([5] if spec.saturday_morning else [])]
    for weekday in days:
        sessions = [data.MORNING] if weekday == 5 else [data.MORNING, data.AFTERNOON]
        for opens, closes in sessions:
            _create(OpeningHours(shop=shop, weekday=weekday, opens=opens, closes=closes), report, by)
    # Days ahead of an ended unit would fall after its end.
    for working_days, closed, opens, closes, reason in spec.special_days if commune.is_current else []:
        day = add_working_days(today, working_days)
        _create(
            OpeningException(shop=shop, date=day, closed=closed, opens=opens, closes=closes, reason=reason),
            report,
            by,
        )
    for kind in FacilityKind:
        missing = kind in spec.missing_facilities
        note = spec.missing_facilities[kind] if missing else data.FACILITY_NOTES.get(kind, "")
        _create(Facility(shop=shop, kind=kind, available=not missing, note=note), report, by)
    for weekday, leader in enumerate(spec.rota):
        full_name, role = spec.leaders[leader]
        title = f"{role} UBND {commune.division_type}"
        _create(DutyLeader(shop=shop, weekday=weekday, full_name=full_name, title=title), report, by)
    for position, (full_name, title, handled, duty_days) in enumerate(spec.officers, 1):
        _create(
            CounterOfficer(
                shop=shop, full_name=full_name, title=title, field=handled, duty_days=duty_days, position=position
            ),
            report,
            by,
        )


def _ensure_procedures(
    commune: Commune, spec: data.CommuneSpec, catalogue: dict[str, Procedure], report: DemoReport, by
) -> None:
    if CommuneProcedure.objects.filter(commune=commune).exists():
        return
    for code, procedure in catalogue.items():
        if code in spec.skipped_procedures or code not in {p.code for p in data.PROCEDURES}:
            continue
        notes = spec.local_notes.get(code, "")
        _create(CommuneProcedure(commune=commune, procedure=procedure, local_notes=notes), report, by)


def _months_back(last: datetime.date, count: int) -> list[datetime.date]:
    months = [last]
    while len(months) < count:
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    return months[::-1]


def _month_figures(rng: random.Random, usual: int, progress: float) -> dict[str, int]:
    """One plausible month: ``progress`` (0 → 1 over the year) raises the online and digitised shares."""
    received = max(20, round(usual * rng.uniform(0.8, 1.2)))
    pending = rng.randint(0, max(1, received // 25))
    resolved = received - pending
    late = rng.randint(0, max(1, resolved // 50))
    early = round((resolved - late) * rng.uniform(0.55, 0.8))
    submitted_online = round(received * min(0.9, rng.uniform(0.35, 0.5) + 0.25 * progress))
    return {
        "received": received,
        "resolved_early": early,
        "resolved_on_time": resolved - late - early,
        "resolved_late": late,
        "late_with_apology": rng.randint(max(0, late - 1), late),
        "resolved_same_day": round(resolved * rng.uniform(0.35, 0.55)),
        "submitted_online": submitted_online,
        "paid_online": round(submitted_online * rng.uniform(0.2, 0.5)),
        "digitised": round(received * min(1.0, rng.uniform(0.6, 0.75) + 0.2 * progress)),
        "pending": pending,
    }


def _statistics_months(commune: Commune) -> list[datetime.date]:
    """An ended unit's last 12 months, up to its last one; a unit of today's every month since it began
    (1 July 2025), so that the figures run on across the reform with no gap."""
    last = last_complete_month(commune=commune)
    if commune.is_current and commune.valid_from:
        first = commune.valid_from.replace(day=1)
        return _months_back(last, max(1, (last.year - first.year) * 12 + last.month - first.month + 1))
    return _months_back(last, STATISTICS_MONTHS)


def _ensure_statistics(commune: Commune, spec: data.CommuneSpec, report: DemoReport, by) -> None:
    # A unit merged away in 2025 has figures up to its last month, not after.
    months = _statistics_months(commune)
    existing = set(DossierStatistics.objects.filter(commune=commune).values_list("month", flat=True))
    # Today's 07777 and 07795 reuse the codes of the wards they took over: their figures differ.
    seed = int(commune.code) if not commune.is_current else f"{commune.code}/{commune.valid_from}"
    rng = random.Random(seed)  # noqa: S311 - demo figures, not security
    for index, month in enumerate(months):
        figures = _month_figures(rng, spec.monthly_dossiers, index / max(1, len(months) - 1))
        if month not in existing:
            statistics_save(commune=commune, month=month, figures=figures, by=by)
            report.created[DossierStatistics._meta.model_name] += 1


def _ensure_disclosures(commune: Commune, report: DemoReport, by) -> None:
    if Disclosure.objects.filter(commune=commune).exists():
        return
    last_day = _last_day(commune)
    place = commune.name_on(last_day)
    issuer = f"UBND {place}"
    for spec in data.TODAY_DISCLOSURES if commune.is_current else data.DISCLOSURES:
        if spec.only_for and commune.code not in spec.only_for:
            continue
        title = spec.title.format(commune=place)
        published_on = add_working_days(spec.decision_date, spec.delay_working_days)
        if published_on > last_day or (commune.valid_from and spec.decision_date < commune.valid_from):
            continue  # not yet published, or outside the unit's life
        disclosure = Disclosure(
            commune=commune,
            title=title,
            category=spec.category,
            decision_date=spec.decision_date,
            published_on=published_on,
            posted_until=None
            if spec.category in PERMANENT_CATEGORIES
            else published_on + datetime.timedelta(days=spec.posted_days),
        )
        disclosure.full_clean(exclude=["document"])  # before a file is written to storage
        name = f"{commune.code}-{fold(title).replace(' ', '-')[:60]}.pdf"
        disclosure.document.save(name, ContentFile(_pdf(title, issuer, tuple(spec.body))), save=False)
        _create(disclosure, report, by)


def _ensure_province(
    province: Province, specs: list[data.CommuneSpec], codes_of_conduct: list[dict], report: DemoReport, by
) -> None:
    _ensure_codes_of_conduct(province, codes_of_conduct, report, by)
    catalogue = _ensure_catalogue(province, report, by)
    communes = {
        commune.code: commune
        for commune in Commune.objects.select_related("district", "province").filter(
            province=province, code__in=[spec.code for spec in specs]
        )
    }
    for spec in specs:
        commune = communes[spec.code]
        _ensure_shop(commune, spec, report, by)
        _ensure_procedures(commune, spec, catalogue, report, by)
        _ensure_statistics(commune, spec, report, by)
        _ensure_disclosures(commune, report, by)
        report.communes.append(commune)


@transaction.atomic
def communes_demo_ensure(*, by=None) -> DemoReport:
    """Give today's Bắc Ninh units that took over a few Bắc Giang communes a full demo profile, and
    those communes their records until 30 June 2025; a second call creates nothing."""
    legacy = Province.objects.filter(code=data.PROVINCE_CODE, valid_until=LEGACY_UNTIL).first()
    if legacy is None:
        raise DemoError(
            _("Load the pre-2025 units of Bắc Giang first: %(command)s")
            % {"command": "manage.py load_units --province 'Bắc Giang' --period legacy"}
        )
    report = DemoReport()
    _ensure_province(legacy, data.COMMUNES, data.CODES_OF_CONDUCT, report, by)
    today = Province.objects.current().filter(code=data.PROVINCE_CODE).first()
    if today is not None:  # loaded by setup_demo; without it the demo has only the history
        _ensure_province(today, data.TODAY_COMMUNES, data.TODAY_CODES_OF_CONDUCT, report, by)
    return report


# --- Quarterly lists of disclosures (Law 10/2022/QH15, art. 13(2)) ---------------------------------------

# The demo posts a quarter's list this many working days after the quarter ends.
LIST_POSTED_AFTER_WORKING_DAYS = 3


@transaction.atomic
def disclosure_lists_demo_ensure(*, by=None) -> int:
    """Post, through the service, the quarterly lists of disclosures of today's demo units that have
    disclosures, for the quarters of this year that have ended; returns how many it posted. A list
    already posted (by the demo or by a user) is left as it is."""
    today = clock.today()
    communes = (
        Commune.objects.current()
        .filter(province__code=data.PROVINCE_CODE, code__in=[spec.code for spec in data.TODAY_COMMUNES])
        .filter(disclosures__isnull=False)
        .distinct()
    )
    posted = set(DisclosureList.objects.filter(commune__in=communes, year=today.year).values_list("commune", "quarter"))
    created = 0
    for commune in communes:
        for quarter in (1, 2, 3, 4):
            _, last_day = quarter_days(today.year, quarter)
            if last_day >= today or (commune.pk, quarter) in posted:
                continue
            if commune.valid_from and last_day < commune.valid_from:
                continue
            made = disclosure_list_publish(commune=commune, year=today.year, quarter=quarter, by=by)
            # The service posts today; the demo's lists read as posted just after their quarter.
            posted_on = min(add_working_days(last_day, LIST_POSTED_AFTER_WORKING_DAYS), today)
            DisclosureList.objects.filter(pk=made.pk).update(published_on=posted_on)
            created += 1
    return created
