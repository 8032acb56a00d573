"""The staff workspace pages: what they show and what they cost."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_workspace_lists_each_role_with_a_link_to_its_place(client):
    commune, province = CommuneFactory(), ProvinceFactory()
    user = user_with_role(Role.COMMUNE_OFFICER, commune)
    role_assign(user=user, role=Role.DOHA_STAFF, place=province)
    client.force_login(user)
    page = client.get(reverse("portal:workspace")).content.decode()
    for place in (commune, province):
        assert str(place) in page
        kind = place._meta.model_name
        assert reverse("portal:unit_workspace", kwargs={"kind": kind, "pk": place.pk}) in page


def test_workspace_costs_the_same_queries_for_one_role_as_for_ten(client, django_assert_max_num_queries):
    user = user_with_role(Role.COMMUNE_OFFICER, CommuneFactory())
    client.force_login(user)
    with django_assert_max_num_queries(50) as one:
        client.get(reverse("portal:workspace"))
    for _ in range(9):
        role_assign(user=user, role=Role.COMMUNE_OFFICER, place=CommuneFactory(legacy=True))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("portal:workspace"))
    assert response.content.decode().count("/workspace/commune/") == 10


def test_unit_workspace_costs_the_same_queries_for_two_communes_as_for_twenty(client, django_assert_max_num_queries):
    province = ProvinceFactory(valid_until=LEGACY_UNTIL)
    district = DistrictFactory(province=province)
    CommuneFactory.create_batch(2, legacy=True, district=district, province=province)
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("portal:unit_workspace", kwargs={"kind": "province", "pk": province.pk})
    with django_assert_max_num_queries(50) as two:
        client.get(url)
    CommuneFactory.create_batch(18, legacy=True, district=district, province=province)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/workspace/commune/") == 20


def test_unit_workspace_shows_who_holds_a_role_but_never_to_a_citizen(client):
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, full_name="Đỗ Thị Thu")
    url = reverse("portal:unit_workspace", kwargs={"kind": "commune", "pk": commune.pk})
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "Đỗ Thị Thu" in page
    assert officer.email in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_unit_workspace_of_an_unknown_kind_is_not_found(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/workspace/village/1/").status_code == 404


@pytest.mark.parametrize("demo", [True, False])
def test_a_demonstration_portal_says_on_every_page_that_its_records_are_illustrations(client, settings, demo):
    settings.DEMO_DATA = demo

    response = client.get(reverse("portal:home"))

    assert (b'class="demo-banner"' in response.content) is demo
