"""The Department of Home Affairs keeps its province's procedure catalogue and code of conduct."""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import Role
from communes.models import CodeOfConduct, OnlineLevel, Procedure
from communes.rules import MANAGE_CATALOGUE
from communes.services import code_of_conduct_publish, commune_procedures_set, procedure_save
from communes.views import catalogue
from core import clock
from tests.portal.factories import UserFactory, user_with_role
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture

pytestmark = pytest.mark.django_db

KEEPERS = {"doha_here", "doha_of_successor", "site_admin"}


def expected(allowed: set[str]) -> dict[str, int]:
    """200 for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else 200 if role in allowed else 403 for role in ROLES}


# Expected status of a GET per (route, role): 200 allowed, 403 signed in but refused, 302 sent to sign in.
MATRIX = {
    "communes:manage_catalogue": expected(KEEPERS),
    "communes:manage_procedure_create": expected(KEEPERS),
    "communes:manage_procedure_update": expected(KEEPERS),
    "communes:manage_code_of_conduct": expected(KEEPERS),
}


def add_procedure(province, by, n: int = 0, **fields) -> Procedure:
    values = {
        "code": f"1.00{n:04d}",
        "name": f"Thủ tục số {n}",
        "field": "Hộ tịch" if n % 2 else "Chứng thực",
        "steps": ["Nộp hồ sơ", "Tiếp nhận", "Trả kết quả"],
        "documents": ["Tờ khai"],
        "fee": "Miễn phí",
        "time_limit_days": 3,
        "same_day": False,
        "online_level": OnlineLevel.FULL,
    } | fields
    return procedure_save(province=province, by=by, **values)


def procedure_form(**extra) -> dict:
    return {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "steps": "Nộp tờ khai\n\n  Công chức tư pháp kiểm tra  \nTrả giấy khai sinh\n",
        "documents": "Tờ khai đăng ký khai sinh\nGiấy chứng sinh",
        "fee": "Miễn phí",
        "time_limit_days": "",
        "same_day": "on",
        "online_level": OnlineLevel.FULL,
    } | extra


@pytest.fixture
def doha(places):  # noqa: F811 - the fixture imported above
    return user_with_role(Role.DOHA_STAFF, places.province)


# --- Permissions --------------------------------------------------------------------------------


def url_for(name: str, province, procedure) -> str:
    kwargs = {"pk": province.pk}
    if name.endswith("procedure_update"):
        kwargs["procedure_pk"] = procedure.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer_from_catalogue_page(client, places, name, role):  # noqa: F811
    procedure = add_procedure(places.province, UserFactory(is_superuser=True))
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)

    response = client.get(url_for(name, places.province, procedure))

    assert response.status_code == MATRIX[name][role]
    if response.status_code == 302:
        assert "login" in response.headers["Location"]


def test_every_catalogue_route_is_in_the_matrix_with_its_permission():
    routes = {
        f"communes:{pattern.name}": pattern.callback
        for pattern in get_resolver("communes.urls").url_patterns
        if isinstance(pattern, URLPattern) and pattern.callback.__module__ == catalogue.__name__
    }
    assert set(routes) == set(MATRIX)
    assert all(view.permission_required == MANAGE_CATALOGUE for view in routes.values())


def test_doha_of_another_province_gets_403_and_changes_nothing(client, places, doha):  # noqa: F811
    procedure = add_procedure(places.province, doha)
    client.force_login(user_with_role(Role.DOHA_STAFF, places.elsewhere))
    update = reverse(
        "communes:manage_procedure_update", kwargs={"pk": places.province.pk, "procedure_pk": procedure.pk}
    )

    assert client.get(update).status_code == 403
    assert client.post(update, procedure_form(name="Sửa trộm")).status_code == 403
    code = reverse("communes:manage_code_of_conduct", kwargs={"pk": places.province.pk})
    assert (
        client.post(code, {"title": "?", "decision": "?", "in_force_from": "2026-01-01", "text": "?"}).status_code
        == 403
    )

    procedure.refresh_from_db()
    assert procedure.name == "Thủ tục số 0"
    assert not CodeOfConduct.objects.exists()


def test_a_procedure_of_another_province_is_not_found_through_its_own_province(client, places, doha):  # noqa: F811
    foreign = add_procedure(places.elsewhere, UserFactory(is_superuser=True))
    client.force_login(doha)
    url = reverse("communes:manage_procedure_update", kwargs={"pk": places.province.pk, "procedure_pk": foreign.pk})

    assert client.get(url).status_code == 404
    assert client.post(url, procedure_form()).status_code == 404


# --- Procedures ---------------------------------------------------------------------------------


def test_doha_creates_and_edits_a_procedure_keeping_the_steps_in_order(client, places, doha):  # noqa: F811
    client.force_login(doha)
    create = reverse("communes:manage_procedure_create", kwargs={"pk": places.province.pk})

    response = client.post(create, procedure_form())

    assert response.status_code == 302
    procedure = Procedure.objects.get(province=places.province)
    assert procedure.steps == ["Nộp tờ khai", "Công chức tư pháp kiểm tra", "Trả giấy khai sinh"]
    assert procedure.documents == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert procedure.same_day is True
    assert procedure.history.get().history_user == doha

    update = reverse(
        "communes:manage_procedure_update", kwargs={"pk": places.province.pk, "procedure_pk": procedure.pk}
    )
    assert "Nộp tờ khai\nCông chức tư pháp kiểm tra\nTrả giấy khai sinh" in client.get(update).content.decode()
    response = client.post(
        update, procedure_form(steps="Trả giấy khai sinh\nNộp tờ khai", same_day="", time_limit_days="2")
    )

    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.steps == ["Trả giấy khai sinh", "Nộp tờ khai"]
    assert (procedure.same_day, procedure.time_limit_days) == (False, 2)
    assert procedure.history.count() == 2


def test_a_duplicate_code_in_the_province_is_refused_with_the_models_message(client, places, doha):  # noqa: F811
    add_procedure(places.province, doha, code="1.001193")
    client.force_login(doha)

    response = client.post(
        reverse("communes:manage_procedure_create", kwargs={"pk": places.province.pk}),
        procedure_form(name="Bản sao"),
    )

    assert response.status_code == 200
    (constraint,) = Procedure._meta.constraints
    assert response.context["form"].non_field_errors() == [constraint.violation_error_message]
    with translation.override("vi"):
        assert escape(str(constraint.violation_error_message)) in response.content.decode()
    assert Procedure.objects.filter(province=places.province).count() == 1
    assert not Procedure.objects.filter(name="Bản sao").exists()


def test_the_same_code_is_allowed_in_another_province(places, doha):  # noqa: F811
    add_procedure(places.province, doha, code="1.001193")

    add_procedure(places.elsewhere, UserFactory(is_superuser=True), code="1.001193")

    assert Procedure.objects.filter(code="1.001193").count() == 2


def test_the_catalogue_lists_procedures_by_field_with_their_communes(client, places, doha):  # noqa: F811
    admin = UserFactory(is_superuser=True)
    handled = add_procedure(places.province, admin, 1)
    add_procedure(places.province, admin, 2)
    commune_procedures_set(commune=places.commune, procedures={handled.pk: ""}, by=admin)
    commune_procedures_set(commune=places.other_commune, procedures={handled.pk: ""}, by=admin)
    client.force_login(doha)

    response = client.get(reverse("communes:manage_catalogue", kwargs={"pk": places.province.pk}))

    fields = response.context["fields"]
    assert [field for field, _ in fields] == ["Chứng thực", "Hộ tịch"]
    assert [(p.name, p.commune_count) for p in fields[1][1]] == [("Thủ tục số 1", 2)]
    assert [(p.name, p.commune_count) for p in fields[0][1]] == [("Thủ tục số 2", 0)]


def test_the_catalogue_costs_the_same_queries_for_two_procedures_as_for_twenty(
    client,
    places,  # noqa: F811
    doha,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    admin = UserFactory(is_superuser=True)
    for n in range(2):
        procedure = add_procedure(places.province, admin, n)
        commune_procedures_set(commune=places.commune, procedures={procedure.pk: ""}, by=admin)
    client.force_login(doha)
    url = reverse("communes:manage_catalogue", kwargs={"pk": places.province.pk})
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    two = len(captured.captured_queries)

    for n in range(2, 20):
        add_procedure(places.province, admin, n)

    with django_assert_num_queries(two):
        response = client.get(url)
    assert sum(len(rows) for _, rows in response.context["fields"]) == 20


# --- Code of conduct ----------------------------------------------------------------------------


def test_publishing_makes_the_next_version_and_the_public_page_shows_the_one_in_force(client, places, doha):  # noqa: F811
    today = clock.today()
    code_of_conduct_publish(
        province=places.province,
        title="Quy tắc ứng xử 2024",
        decision="Quyết định 12/QĐ-UBND ngày 02/01/2024",
        in_force_from=datetime.date(2024, 1, 15),
        text="Tận tụy, lịch sự.",
        by=doha,
    )
    client.force_login(doha)
    manage = reverse("communes:manage_code_of_conduct", kwargs={"pk": places.province.pk})

    response = client.post(
        manage,
        {
            "title": "Quy tắc ứng xử sửa đổi",
            "decision": "Quyết định 99/QĐ-UBND",
            "in_force_from": (today + datetime.timedelta(days=30)).isoformat(),
            "text": "Tận tụy, lịch sự, đúng hẹn.",
        },
    )

    assert response.status_code == 302
    latest = CodeOfConduct.objects.get(province=places.province, version=2)
    assert latest.title == "Quy tắc ứng xử sửa đổi"
    assert latest.history.get().history_user == doha
    # The earlier version is untouched, and stays in force until the new one's day.
    assert CodeOfConduct.objects.get(province=places.province, version=1).title == "Quy tắc ứng xử 2024"
    public = client.get(reverse("communes:code_of_conduct", kwargs={"pk": places.province.pk}))
    assert public.context["page"].shown.code.version == 1

    third = code_of_conduct_publish(
        province=places.province,
        title="Quy tắc ứng xử 2026",
        decision="QĐ 5",
        in_force_from=today,
        text="Mới.",
        by=doha,
    )

    assert third.version == 3
    public = client.get(reverse("communes:code_of_conduct", kwargs={"pk": places.province.pk}))
    assert public.context["page"].shown.code.version == 3
    assert "Quy tắc ứng xử 2026" in public.content.decode()
    listing = client.get(manage)
    assert [code.version for code in listing.context["versions"]] == [2, 3, 1]
    assert listing.context["in_force"].version == 3


def test_the_province_workspace_links_to_the_catalogue_for_its_keepers_only(client, places, doha):  # noqa: F811
    workspace = reverse("portal:unit_workspace", kwargs={"kind": "province", "pk": places.province.pk})
    catalogue_url = reverse("communes:manage_catalogue", kwargs={"pk": places.province.pk})

    client.force_login(doha)
    assert catalogue_url in client.get(workspace).content.decode()

    client.force_login(user_with_role(Role.PROVINCIAL_LEADER, places.province))
    assert catalogue_url not in client.get(workspace).content.decode()
