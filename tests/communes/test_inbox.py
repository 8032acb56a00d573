"""What the communes side puts in the workspace inboxes (communes.selectors.inbox): one-stop pages not
confirmed for 90 days, and the disclosures a commune keeps posted permanently but has not published."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.selectors import user_scope
from communes.models import DisclosureCategory
from communes.selectors.inbox import CommunesInbox, PageCheck, communes_with_stale_page, inbox_counts
from communes.services import disclosure_save, shop_update, shop_verify
from core import clock
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, ProvinceFactory
from tests.communes.test_backoffice import real_pdf
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def day(monkeypatch):
    """Set the portal's day; it starts on TODAY."""
    current = {"day": TODAY}
    monkeypatch.setattr(clock, "today", lambda: current["day"])

    def move(to: datetime.date) -> None:
        current["day"] = to

    return move


def page(commune, *, confirmed_days_ago: int | None, by, day) -> None:
    """The commune's one-stop page, confirmed that many days ago (None: never)."""
    day(TODAY - datetime.timedelta(days=confirmed_days_ago or 0))
    shop = shop_update(commune=commune, address="Số 5 đường Hoàng Hoa Thám", by=by)
    if confirmed_days_ago is not None:
        shop_verify(shop=shop, by=by)
    day(TODAY)


def test_doha_counts_the_stale_pages_of_the_communes_in_force(day):
    province = ProvinceFactory()
    doha = user_with_role(Role.DOHA_STAFF, province)
    stale, never, fresh, edge = CommuneFactory.create_batch(4, province=province)
    dissolved = CommuneFactory(province=province, valid_until=LEGACY_UNTIL)
    CommuneFactory(province=province)  # no page at all: nothing to confirm
    for commune, days in ((stale, 91), (never, None), (fresh, 10), (edge, 90), (dissolved, 400)):
        page(commune, confirmed_days_ago=days, by=doha, day=day)
    assert inbox_counts(scope=user_scope(doha), today=TODAY).stale_by_province == {province.pk: 2}
    listed = communes_with_stale_page(province=province, today=TODAY)
    assert list(listed) == [never, stale]  # never confirmed first, then the oldest check


def test_the_officer_sees_a_missing_or_stale_page_and_the_missing_permanent_disclosures(day):
    ward, other = CommuneFactory(), CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, ward)
    page(ward, confirmed_days_ago=120, by=officer, day=day)
    found = inbox_counts(scope=user_scope(officer), today=TODAY)
    assert found.pages == {ward.pk: PageCheck(ward.pk, True, TODAY - datetime.timedelta(days=120))}
    assert found.missing_disclosures == {ward.pk: [DisclosureCategory.DEMOCRACY_RULES, DisclosureCategory.PROCEDURES]}
    disclosure_save(
        commune=ward,
        title="Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của UBND phường",
        category=DisclosureCategory.PROCEDURES,
        decision_date=TODAY,
        published_on=TODAY,
        document=real_pdf(),
        by=officer,
    )
    page(ward, confirmed_days_ago=0, by=officer, day=day)
    found = inbox_counts(scope=user_scope(officer), today=TODAY)
    assert found.pages == {}
    assert found.missing_disclosures == {ward.pk: [DisclosureCategory.DEMOCRACY_RULES]}
    # Another commune's officer: no page yet.
    other_officer = user_with_role(Role.COMMUNE_OFFICER, other)
    assert inbox_counts(scope=user_scope(other_officer), today=TODAY).pages == {
        other.pk: PageCheck(other.pk, False, None)
    }


def test_a_dissolved_commune_the_officer_still_covers_waits_for_nothing(day):
    ward = CommuneFactory()
    old = CommuneFactory(valid_until=LEGACY_UNTIL)
    ward.predecessors.add(old)
    officer = user_with_role(Role.COMMUNE_OFFICER, ward)
    page(old, confirmed_days_ago=None, by=officer, day=day)
    found = inbox_counts(scope=user_scope(officer), today=TODAY)
    assert set(found.pages) == {ward.pk}
    assert set(found.missing_disclosures) == {ward.pk}


def test_a_citizen_has_nothing_in_the_communes_inbox():
    citizen = UserFactory()
    assert inbox_counts(scope=user_scope(citizen), today=TODAY) == CommunesInbox()


def test_a_new_disclosure_starts_in_the_category_asked_for(client):
    ward = CommuneFactory()
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, ward))
    url = reverse("communes:manage_disclosure_create", kwargs={"pk": ward.pk})
    form = client.get(f"{url}?category={DisclosureCategory.PROCEDURES.value}").context["form"]
    assert form["category"].value() == DisclosureCategory.PROCEDURES
    assert not client.get(f"{url}?category=nonsense").context["form"]["category"].value()
