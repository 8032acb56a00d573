"""Every role against every back-office page, and officers who change ids in URLs and forms.

The places are those of the portal's permission matrix: a pre-2025 commune with its district and
province, today's ward and province that took them over, a commune of another district and an
unrelated province. The records addressed by id belong to the pre-2025 commune.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from pypdf import PdfWriter

from accounts.models import Role
from communes.models import (
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DisclosureCategory,
    DisclosureList,
    OneStopShop,
    OnlineLevel,
    OpeningException,
    OpeningHours,
    Procedure,
)
from communes.rules import MANAGE_COMMUNE, VIEW_COMMUNE_HISTORY
from communes.services import (
    OneStopError,
    commune_procedures_set,
    disclosure_save,
    officer_save,
    opening_exception_save,
    opening_hours_replace,
    shop_update,
)
from communes.views import disclosures, history, officers, one_stop, procedures, statistics
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture

pytestmark = pytest.mark.django_db

MANAGERS = {"officer_here", "officer_of_successor", "site_admin"}
WORKS_ON = MANAGERS | {"reviewer_here", "doha_here", "doha_of_successor", "leader_here"}


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


MANAGE_PAGES = [
    "communes:manage_home",
    "communes:manage_profile",
    "communes:manage_hours",
    "communes:manage_exceptions",
    "communes:manage_facilities",
    "communes:manage_duty",
    "communes:manage_officers",
    "communes:manage_officer_create",
    "communes:manage_officer_update",
    "communes:manage_officer_delete",
    "communes:manage_procedures",
    "communes:manage_disclosures",
    "communes:manage_disclosure_create",
    "communes:manage_disclosure_update",
    "communes:manage_disclosure_delete",
    "communes:manage_disclosure_quarterly_list",
    "communes:manage_statistics",
    "communes:manage_statistics_month",
    "communes:manage_statistics_import",
]

# Expected status of a GET per (route, role): 200 allowed, 403 signed in but refused, 302 sent to sign in.
# manage_verify only takes a POST: the allowed roles get 405 from a GET.
MATRIX = {
    **{name: expected(MANAGERS) for name in MANAGE_PAGES},
    "communes:manage_verify": expected(MANAGERS, allowed_status=405),
    "communes:commune_history": expected(WORKS_ON),
}


@dataclass
class Records:
    officer: CounterOfficer
    disclosure: Disclosure


def pdf() -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile("quyet-dinh.pdf", output.getvalue(), content_type="application/pdf")


def fill(commune, by) -> Records:
    """A shop with a session, a special day, an officer and a disclosure, written through the services."""
    shop = shop_update(commune=commune, address=f"Trụ sở {commune}", by=by)
    opening_hours_replace(
        shop=shop, sessions=[{"weekday": 0, "opens": datetime.time(7), "closes": datetime.time(11)}], by=by
    )
    opening_exception_save(shop=shop, date=datetime.date(2026, 9, 2), closed=True, reason="Quốc khánh", by=by)
    officer = officer_save(
        shop=shop, full_name=f"Cán bộ {commune.pk}", title="Công chức", field="Hộ tịch", duty_days=[0, 1], by=by
    )
    disclosure = disclosure_save(
        commune=commune,
        title=f"Công khai của {commune}",
        category=DisclosureCategory.FEES,
        decision_date=datetime.date(2025, 9, 1),
        published_on=datetime.date(2025, 9, 3),
        posted_until=datetime.date(2025, 12, 31),
        document=pdf(),
        by=by,
    )
    return Records(officer=officer, disclosure=disclosure)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def records(places) -> Records:  # noqa: F811 - the fixture imported above
    return fill(places.commune, UserFactory(is_superuser=True))


def url_for(name: str, commune, records: Records) -> str:
    kwargs = {"pk": commune.pk}
    if name.endswith(("officer_update", "officer_delete")):
        kwargs["officer_pk"] = records.officer.pk
    if name.endswith(("disclosure_update", "disclosure_delete")):
        kwargs["disclosure_pk"] = records.disclosure.pk
    if name.endswith("statistics_month"):
        kwargs["month"] = "2025-03"
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", list(MATRIX))
def test_role_gets_expected_answer_from_back_office_page(places, records, name):  # noqa: F811
    """Every role on one route, against one scene (building it is the slow part)."""
    address = url_for(name, places.commune, records)
    answers = {}
    for role in ROLES:
        client = Client()
        user = make_user(role, places)
        if user is not None:
            client.force_login(user)
        response = client.get(address)
        answers[role] = response.status_code
        if response.status_code == 302:
            assert "login" in response.headers["Location"], role

    assert answers == MATRIX[name]


BACK_OFFICE_VIEWS = (one_stop, officers, procedures, disclosures, history, statistics)


def test_every_back_office_route_is_in_the_matrix_with_its_permission():
    routes = {
        f"communes:{pattern.name}": pattern.callback
        for pattern in get_resolver("communes.urls").url_patterns
        if isinstance(pattern, URLPattern) and pattern.callback.__module__ in {m.__name__ for m in BACK_OFFICE_VIEWS}
    }
    assert set(routes) == set(MATRIX)
    assert all(set(statuses) == set(ROLES) for statuses in MATRIX.values())
    for name, view in routes.items():
        wanted = VIEW_COMMUNE_HISTORY if name == "communes:commune_history" else MANAGE_COMMUNE
        assert view.permission_required == wanted, name


# --- Ids from another commune -------------------------------------------------------------------


@dataclass
class TwoCommunes:
    a: object
    b: object
    officer_a: object
    b_records: Records


@pytest.fixture
def two_communes(db) -> TwoCommunes:
    """Commune A with its officer, and commune B of the same province with its records."""
    province = ProvinceFactory()
    a, b = CommuneFactory(province=province), CommuneFactory(province=province)
    officer_a = user_with_role(Role.COMMUNE_OFFICER, a)
    fill(a, officer_a)
    return TwoCommunes(a, b, officer_a, fill(b, user_with_role(Role.COMMUNE_OFFICER, b)))


def officer_form(**extra) -> dict:
    return {"full_name": "Kẻ sửa trộm", "title": "?", "field": "?", "position": 0, "duty_days": ["0"]} | extra


def test_officer_of_a_cannot_open_or_change_an_officer_of_b_through_a_url(client, two_communes):
    a, b, b_officer = two_communes.a, two_communes.b, two_communes.b_records.officer
    client.force_login(two_communes.officer_a)
    update = reverse("communes:manage_officer_update", kwargs={"pk": a.pk, "officer_pk": b_officer.pk})
    delete = reverse("communes:manage_officer_delete", kwargs={"pk": a.pk, "officer_pk": b_officer.pk})

    assert client.get(update).status_code == 404
    assert client.post(update, officer_form()).status_code == 404
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404

    stored = CounterOfficer.objects.get(pk=b_officer.pk)
    assert (stored.full_name, stored.shop.commune) == (b_officer.full_name, b)


def test_officer_of_a_cannot_change_a_disclosure_of_b_through_a_url(client, two_communes):
    b_disclosure = two_communes.b_records.disclosure
    client.force_login(two_communes.officer_a)
    kwargs = {"pk": two_communes.a.pk, "disclosure_pk": b_disclosure.pk}

    assert client.get(reverse("communes:manage_disclosure_update", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("communes:manage_disclosure_update", kwargs=kwargs), {"title": "Sửa"}).status_code == 404
    assert client.post(reverse("communes:manage_disclosure_delete", kwargs=kwargs)).status_code == 404

    assert Disclosure.objects.get(pk=b_disclosure.pk).title == b_disclosure.title


def test_officer_of_a_cannot_edit_or_delete_a_special_day_of_b(client, two_communes):
    client.force_login(two_communes.officer_a)
    b_day = OpeningException.objects.get(shop__commune=two_communes.b)
    page = reverse("communes:manage_exceptions", kwargs={"pk": two_communes.a.pk})

    assert client.get(f"{page}?edit={b_day.pk}").status_code == 404
    data = {"date": "2026-09-03", "closed": "on", "reason": "Sửa trộm"}
    assert client.post(f"{page}?edit={b_day.pk}", data).status_code == 404
    assert client.post(page, {"delete": b_day.pk}).status_code == 404

    b_day.refresh_from_db()
    assert (b_day.date, b_day.reason) == (datetime.date(2026, 9, 2), "Quốc khánh")


def test_procedure_of_another_province_is_never_attached_even_when_its_id_is_posted(client, two_communes):
    a, officer_a = two_communes.a, two_communes.officer_a
    own = Procedure.objects.create(
        province=a.province,
        code="1.001193",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        fee="0",
        online_level=OnlineLevel.FULL,
    )
    foreign = Procedure.objects.create(
        province=ProvinceFactory(),
        code="1.001193",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        fee="0",
        online_level=OnlineLevel.FULL,
    )
    client.force_login(officer_a)

    client.post(
        reverse("communes:manage_procedures", kwargs={"pk": a.pk}),
        {f"handles_{own.pk}": "on", f"handles_{foreign.pk}": "on", f"notes_{foreign.pk}": "Trộm"},
    )

    assert list(CommuneProcedure.objects.filter(commune=a).values_list("procedure", flat=True)) == [own.pk]
    assert not CommuneProcedure.objects.filter(procedure=foreign).exists()


def test_procedure_service_refuses_a_procedure_of_another_province(two_communes):
    a, officer_a = two_communes.a, two_communes.officer_a
    foreign = Procedure.objects.create(
        province=ProvinceFactory(),
        code="1.000001",
        name="Thủ tục khác",
        field="Khác",
        fee="0",
        online_level=OnlineLevel.NONE,
    )

    with pytest.raises(OneStopError):
        commune_procedures_set(commune=a, procedures={foreign.pk: ""}, by=officer_a)

    assert not CommuneProcedure.objects.exists()


POSTS_TO_B = [
    ("communes:manage_profile", {"address": "Địa chỉ giả"}),
    ("communes:manage_verify", {}),
    ("communes:manage_hours", {"hours-TOTAL_FORMS": "0", "hours-INITIAL_FORMS": "0"}),
    ("communes:manage_exceptions", {"date": "2026-10-10", "closed": "on", "reason": "Giả"}),
    ("communes:manage_officer_create", officer_form()),
    ("communes:manage_officer_update", officer_form()),
    ("communes:manage_officer_delete", {}),
    ("communes:manage_procedures", {}),
    ("communes:manage_disclosure_delete", {}),
    ("communes:manage_disclosure_quarterly_list", {"year": "2025", "quarter": "3", "action": "publish"}),
]


@pytest.mark.parametrize(("name", "data"), POSTS_TO_B, ids=[name for name, _ in POSTS_TO_B])
def test_officer_of_a_posting_to_the_pages_of_b_is_refused_and_changes_nothing(client, two_communes, name, data):
    b = two_communes.b
    client.force_login(two_communes.officer_a)
    before = snapshot(b)

    response = client.post(url_for(name, b, two_communes.b_records), data)

    assert response.status_code == 403
    assert snapshot(b) == before


def snapshot(commune) -> dict:
    shop = OneStopShop.objects.get(commune=commune)
    return {
        "shop": (shop.address, shop.verified_on),
        "hours": list(OpeningHours.objects.filter(shop=shop).values_list("weekday", "opens", "closes")),
        "days": list(OpeningException.objects.filter(shop=shop).values_list("date", "reason")),
        "officers": list(CounterOfficer.objects.filter(shop=shop).values_list("pk", "full_name")),
        "disclosures": list(Disclosure.objects.filter(commune=commune).values_list("pk", "title")),
        "disclosure_lists": list(DisclosureList.objects.filter(commune=commune).values_list("year", "quarter")),
        "procedures": list(CommuneProcedure.objects.filter(commune=commune).values_list("procedure")),
        "history": OneStopShop.history.filter(commune_id=commune.pk).count(),
    }
