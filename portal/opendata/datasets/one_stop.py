"""The communes' one-stop shops as their public pages show them: where, when, with what, and the public
officials who serve there (names, positions and days, as the page prints them; no officer's photo)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from communes.models import CounterOfficer, DutyLeader, Facility, OneStopShop, OpeningHours
from portal.opendata.datasets.common import chunks, in_province, joined, weekday
from portal.opendata.registry import DATE, STRING, Dataset, Field, latest

LEADER, OFFICER = "leader_on_duty", "counter_officer"


def opening_hours(shop: OneStopShop) -> str:
    """The week in OpenStreetMap's opening_hours syntax: 'Mo 07:30-11:30,13:30-17:00; Tu …'."""
    days = itertools.groupby(shop.opening_hours.all(), key=lambda hours: hours.weekday)
    return "; ".join(
        f"{weekday(day)} " + ",".join(f"{h.opens:%H:%M}-{h.closes:%H:%M}" for h in sessions) for day, sessions in days
    )


def shop_rows(province: str | None) -> Iterator[tuple]:
    shops = (
        OneStopShop.objects.select_related("commune__province")
        .prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
            Prefetch("facilities", queryset=Facility.objects.filter(available=True).order_by("kind")),
        )
        .order_by("commune__code", "commune__valid_until", "pk")
    )
    for shop in chunks(in_province(shops, province, "commune__province")):
        yield (
            shop.commune.code,
            shop.commune.official_name,
            shop.commune.province.code,
            shop.address,
            shop.phone,
            shop.email,
            shop.directions,
            shop.verified_on,
            opening_hours(shop),
            joined(facility.kind for facility in shop.facilities.all()),
        )


def officer_rows(province: str | None) -> Iterator[tuple]:
    leaders = DutyLeader.objects.select_related("shop__commune").order_by("shop__commune__code", "weekday", "pk")
    for leader in chunks(in_province(leaders, province, "shop__commune__province")):
        yield (leader.shop.commune.code, LEADER, leader.full_name, leader.title, "", weekday(leader.weekday))
    officers = CounterOfficer.objects.select_related("shop__commune").order_by(
        "shop__commune__code", "position", "full_name", "pk"
    )
    for officer in chunks(in_province(officers, province, "shop__commune__province")):
        days = joined(weekday(day) for day in sorted(officer.duty_days) if isinstance(day, int))
        yield (officer.shop.commune.code, OFFICER, officer.full_name, officer.title, officer.field, days)


COMMUNE_CODE = Field("commune_code", STRING, _("Official code of the commune-level unit."), "07798")

ONE_STOP_PAGES = Dataset(
    slug="one-stop-pages",
    title=_("One-stop shops of the communes"),
    description=_(
        "The one-stop shop (bộ phận một cửa) of each commune as its public page shows it: address, "
        "contacts, how to find it, weekly opening hours, the facilities it has, and when the commune last "
        "confirmed the page."
    ),
    theme=_("One-stop shops"),
    fields=(
        COMMUNE_CODE,
        Field("commune_name", STRING, _("Type and name of the unit."), "phường Vân Hà"),
        Field("province_code", STRING, _("Official code of the province."), "24"),
        Field("address", STRING, _("Address of the one-stop shop."), "Số 1 đường Vân Hà"),
        Field("phone", STRING, _("Phone number of the shop, as published."), "0204 3 123 456"),
        Field("email", STRING, _("E-mail address of the shop, as published."), "motcua@example.gov.vn"),
        Field("directions", STRING, _("How to find it: landmarks, parking, door and floor."), ""),
        Field("verified_on", DATE, _("Day an officer last confirmed the page is true."), "2026-01-05"),
        Field(
            "opening_hours",
            STRING,
            _("Weekly opening hours in OpenStreetMap's opening_hours syntax; a day not listed is closed."),
            "Mo 07:30-11:30,13:30-17:00; Sa 07:30-11:30",
        ),
        Field(
            "facilities_available",
            STRING,
            _("Codes of the facilities the shop has, separated by ';' (free_wifi, drinking_water…)."),
            "drinking_water;free_wifi",
        ),
    ),
    rows=shop_rows,
    modified=lambda: latest(
        (OneStopShop.history.all(), "history_date"),
        (OpeningHours.history.all(), "history_date"),
        (Facility.history.all(), "history_date"),
    ),
)

ONE_STOP_OFFICERS = Dataset(
    slug="one-stop-officers",
    title=_("Officers of the one-stop shops"),
    description=_(
        "The public officials the one-stop pages name: the commune leader on duty at the counter on each "
        "weekday, and the officers who receive citizens, with their positions, fields and days. Their "
        "phones, e-mails and photos are not part of the data."
    ),
    theme=_("One-stop shops"),
    fields=(
        COMMUNE_CODE,
        Field("role", STRING, _("leader_on_duty or counter_officer."), OFFICER),
        Field("full_name", STRING, _("Full name, as the public page shows it."), "Hoàng Thị Lan"),
        Field("title", STRING, _("Position."), "Công chức Tư pháp - Hộ tịch"),
        Field("field_handled", STRING, _("Fields a counter officer handles (empty for a leader)."), "Hộ tịch"),
        Field(
            "days",
            STRING,
            _("Days on duty (Mo, Tu, We, Th, Fr, Sa, Su), separated by ';'."),
            "Mo;We;Fr",
        ),
    ),
    rows=officer_rows,
    modified=lambda: latest((DutyLeader.history.all(), "history_date"), (CounterOfficer.history.all(), "history_date")),
)

DATASETS = (ONE_STOP_PAGES, ONE_STOP_OFFICERS)
