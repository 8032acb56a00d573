"""Reads of a commune's public disclosures and of its quarterly lists of them, for its pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear

from communes.models import Commune, Disclosure, DisclosureCategory, DisclosureList

LATEST_DISCLOSURES = 5


def disclosure_latest(*, commune: Commune, limit: int = LATEST_DISCLOSURES) -> list[Disclosure]:
    return list(Disclosure.objects.filter(commune=commune).order_by("-published_on", "-pk")[:limit])


def disclosure_list_for_commune(*, commune: Commune, category: str = "") -> QuerySet[Disclosure]:
    disclosures = Disclosure.objects.filter(commune=commune)
    if category:
        disclosures = disclosures.filter(category=category)
    return disclosures.order_by("-published_on", "-pk")


def commune_disclosure(*, commune_pk: int, pk: int) -> Disclosure:
    """A disclosure of that commune; raises Disclosure.DoesNotExist otherwise."""
    return Disclosure.objects.get(commune_id=commune_pk, pk=pk)


# --- The quarterly list of disclosures (Law 10/2022/QH15, art. 13(2)) ------------------------------------

# How an item was made public. Every disclosure the portal holds is posted at the commune's office (for
# its period, or permanently) and is on the portal itself, which art. 13(1) counts as a form of its own.
FORM_OFFICE = "office"
FORM_PORTAL = "portal"
ITEM_FORMS = [FORM_OFFICE, FORM_PORTAL]


def quarter_days(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a quarter; ValueError for a quarter that is not 1 to 4."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    period = DisclosureList(year=year, quarter=quarter)
    return period.first_day, period.last_day


def _item(disclosure: Disclosure) -> dict:
    return {
        "disclosure": disclosure.pk,
        "title": disclosure.title,
        "category": disclosure.category,
        "decision_date": disclosure.decision_date.isoformat(),
        "published_on": disclosure.published_on.isoformat(),
        "deadline": disclosure.deadline.isoformat(),
        "late": disclosure.is_late,
        "posted_until": disclosure.posted_until.isoformat() if disclosure.posted_until else None,
        "permanent": disclosure.is_permanent,
        "forms": list(ITEM_FORMS),
    }


def disclosure_list_items(*, commune: Commune, year: int, quarter: int) -> list[dict]:
    """The list as it would be posted now: the commune's disclosures published in the quarter, in the
    order they were published, as plain JSON (what DisclosureList.items keeps). One query."""
    first_day, last_day = quarter_days(year, quarter)
    disclosures = Disclosure.objects.filter(commune=commune, published_on__range=(first_day, last_day))
    return [_item(disclosure) for disclosure in disclosures.order_by("published_on", "pk")]


@dataclass(frozen=True)
class DisclosureListRow:
    """One line of a quarterly list, read back from its snapshot for the pages."""

    number: int
    disclosure_pk: int
    title: str
    category: str
    decision_date: datetime.date
    published_on: datetime.date
    deadline: datetime.date
    late: bool
    posted_until: datetime.date | None
    permanent: bool
    forms: tuple[str, ...]
    still_published: bool  # False once the disclosure is withdrawn: the list keeps it, without a link

    @property
    def category_label(self) -> str:
        # A code no longer among the choices still shows as it was stored.
        return _CATEGORY_LABELS.get(self.category, self.category)

    @property
    def posted_at_office(self) -> bool:
        return FORM_OFFICE in self.forms

    @property
    def on_portal(self) -> bool:
        return FORM_PORTAL in self.forms


_CATEGORY_LABELS = dict(DisclosureCategory.choices)


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def disclosure_list_rows(*, commune: Commune, items: list[dict]) -> list[DisclosureListRow]:
    """The lines of a list (published or previewed), each told whether its disclosure is still there to
    link to. One query, however long the list."""
    pks = [item["disclosure"] for item in items]
    present = set(Disclosure.objects.filter(commune=commune, pk__in=pks).values_list("pk", flat=True))
    return [
        DisclosureListRow(
            number=number,
            disclosure_pk=item["disclosure"],
            title=item["title"],
            category=item["category"],
            decision_date=_day(item["decision_date"]),
            published_on=_day(item["published_on"]),
            deadline=_day(item["deadline"]),
            late=item["late"],
            posted_until=_day(item["posted_until"]),
            permanent=item["permanent"],
            forms=tuple(item["forms"]),
            still_published=item["disclosure"] in present,
        )
        for number, item in enumerate(items, 1)
    ]


def disclosure_lists_published(*, commune: Commune) -> list[DisclosureList]:
    """The commune's quarterly lists, newest first, without their items (the index needs none). One query."""
    return list(DisclosureList.objects.filter(commune=commune).defer("items").order_by("-year", "-quarter"))


def disclosure_list_of_quarter(*, commune: Commune, year: int, quarter: int) -> DisclosureList:
    """The list a commune posted for a quarter; raises DisclosureList.DoesNotExist."""
    return DisclosureList.objects.get(commune=commune, year=year, quarter=quarter)


@dataclass(frozen=True)
class QuarterToList:
    """A quarter the back office offers: its list if posted, else how many disclosures it would hold."""

    year: int
    quarter: int
    first_day: datetime.date
    last_day: datetime.date
    disclosures: int
    published: DisclosureList | None


def disclosure_list_quarters(*, commune: Commune, today: datetime.date) -> list[QuarterToList]:
    """The ended quarters of this year and the last, within the commune's life, newest first. Two queries."""
    quarters = []
    for year in (today.year, today.year - 1):
        for quarter in (4, 3, 2, 1):
            first_day, last_day = quarter_days(year, quarter)
            ended = last_day < today
            alive = (commune.valid_from is None or last_day >= commune.valid_from) and (
                commune.valid_until is None or first_day <= commune.valid_until
            )
            if ended and alive:
                quarters.append((year, quarter, first_day, last_day))
    if not quarters:
        return []
    window = (quarters[-1][2], quarters[0][3])
    counts = {
        (row["year"], row["quarter"]): row["count"]
        for row in Disclosure.objects.filter(commune=commune, published_on__range=window)
        .annotate(year=ExtractYear("published_on"), quarter=ExtractQuarter("published_on"))
        .values("year", "quarter")
        .annotate(count=Count("pk"))
        .order_by()
    }
    published = {
        (found.year, found.quarter): found
        for found in DisclosureList.objects.filter(commune=commune, year__in={year for year, *_ in quarters}).defer(
            "items"
        )
    }
    return [
        QuarterToList(
            year, quarter, first_day, last_day, counts.get((year, quarter), 0), published.get((year, quarter))
        )
        for year, quarter, first_day, last_day in quarters
    ]
