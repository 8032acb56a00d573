"""What waits for staff on the communes side, for the workspace inboxes: one-stop pages nobody has
confirmed for 90 days, and the disclosures a commune must keep posted permanently but has not published.

Only units in force count: a dissolved unit's page is history, nobody verifies it any more. Each count
is one grouped query, whatever the number of units in scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Role
from accounts.selectors import UserScope
from communes.models import Commune, Disclosure, DisclosureCategory, OneStopShop, Province
from communes.models.disclosures import PERMANENT_CATEGORIES
from communes.models.one_stop import STALE_AFTER


def stale_condition(today: datetime.date, prefix: str = "") -> Q:
    """A one-stop page never confirmed, or confirmed more than 90 days ago (OneStopShop.is_stale)."""
    return Q(**{f"{prefix}verified_on__isnull": True}) | Q(**{f"{prefix}verified_on__lt": today - STALE_AFTER})


def communes_with_stale_page(*, province: Province, today: datetime.date) -> QuerySet[Commune]:
    """The province's communes in force whose one-stop page is stale: never checked first, then the
    oldest check."""
    return (
        Commune.objects.current()
        .filter(stale_condition(today, "one_stop_shop__"), province=province, one_stop_shop__isnull=False)
        .select_related("district", "one_stop_shop")
        .order_by(F("one_stop_shop__verified_on").asc(nulls_first=True), "code")
    )


@dataclass(frozen=True)
class PageCheck:
    """A commune's one-stop page that waits for its officers: missing, or not confirmed for 90 days."""

    commune_id: int
    exists: bool
    verified_on: datetime.date | None


@dataclass(frozen=True)
class CommunesInbox:
    # The stale one-stop pages of the communes in force of each province DoHA staff work on.
    stale_by_province: dict[int, int] = field(default_factory=dict)
    # The officer's communes in force whose page waits: missing or stale.
    pages: dict[int, PageCheck] = field(default_factory=dict)
    # The permanent disclosure categories (Law 10/2022 art. 13(2)) each officer's commune has not published.
    missing_disclosures: dict[int, list[DisclosureCategory]] = field(default_factory=dict)


def inbox_counts(*, scope: UserScope, today: datetime.date) -> CommunesInbox:
    """Stale pages by province for DoHA; the page and the missing permanent disclosures of each of the
    officer's communes in force. At most three queries."""
    stale_by_province: dict[int, int] = {}
    provinces = scope.province_roles.get(Role.DOHA_STAFF, frozenset())
    if provinces:
        rows = (
            OneStopShop.objects.filter(
                stale_condition(today), commune__province_id__in=provinces, commune__valid_until__isnull=True
            )
            .values("commune__province_id")
            .order_by()
            .annotate(count=Count("pk"))
        )
        stale_by_province = {row["commune__province_id"]: row["count"] for row in rows}
    pages: dict[int, PageCheck] = {}
    missing: dict[int, list[DisclosureCategory]] = {}
    if scope.officer_communes:
        current = Commune.objects.current().filter(pk__in=scope.officer_communes)
        communes = list(current.values_list("pk", "one_stop_shop__pk", "one_stop_shop__verified_on"))
        published = set(
            Disclosure.objects.filter(commune__in=current, category__in=PERMANENT_CATEGORIES)
            .values_list("commune_id", "category")
            .distinct()
        )
        permanent = sorted(PERMANENT_CATEGORIES)  # in the law's order: the values sort so
        for pk, shop, verified_on in communes:
            # OneStopShop.is_stale, or no page at all.
            if shop is None or verified_on is None or today - verified_on > STALE_AFTER:
                pages[pk] = PageCheck(commune_id=pk, exists=shop is not None, verified_on=verified_on)
            absent = [DisclosureCategory(c) for c in permanent if (pk, c) not in published]
            if absent:
                missing[pk] = absent
    return CommunesInbox(stale_by_province=stale_by_province, pages=pages, missing_disclosures=missing)
