"""Public browsing: home → province → district → commune, in Vietnamese by default and in English under /en/."""

import re

import pytest
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains

from communes.data.unit_history import LEGACY_UNTIL
from communes.models import Commune, District, Province
from communes.services import units_load
from tests.communes.factories import CommuneFactory, DistrictFactory

pytestmark = pytest.mark.django_db

BAC_GIANG_DISTRICTS = [
    "Thành phố Bắc Giang",
    "Huyện Yên Thế",
    "Huyện Tân Yên",
    "Huyện Lạng Giang",
    "Huyện Lục Nam",
    "Huyện Lục Ngạn",
    "Huyện Sơn Động",
    "Thị xã Việt Yên",
    "Huyện Hiệp Hòa",
    "Thị xã Chũ",
]


def links(response, prefix: str) -> list[str]:
    return re.findall(rf'href="({prefix}\d+/)"', response.content.decode())


@pytest.fixture
def legacy_bac_giang(db):
    units_load(province="Bắc Giang", period="legacy")


def test_home_page_lists_the_ten_district_level_units_of_bac_giang(client, legacy_bac_giang):
    response = client.get("/")

    assertContains(response, '<html lang="vi">')
    for name in BAC_GIANG_DISTRICTS:
        assertContains(response, f">{name}</a>", count=1)
    assertContains(response, "10 đơn vị hành chính cấp huyện, 195 đơn vị hành chính cấp xã")
    assertContains(response, 'Thị xã Việt Yên</a> <span class="muted">(17 đơn vị cấp xã)</span>')


def test_home_page_says_so_when_no_units_are_loaded(client):
    response = client.get("/")

    assertContains(response, "<p>Chưa có dữ liệu đơn vị hành chính.</p>")
    assert links(response, "/provinces/") == []


def test_each_district_link_on_the_home_page_opens_a_page_listing_its_communes(client, legacy_bac_giang):
    district_urls = links(client.get("/"), "/districts/")

    # The districts of 30 June 2025: huyện Yên Dũng, which ended before, is reached from the province's page.
    in_force = District.objects.filter(valid_until=LEGACY_UNTIL)
    assert sorted(district_urls) == sorted(d.get_absolute_url() for d in in_force)
    for url in district_urls:
        response = client.get(url)
        district = response.context["district"]
        listed = [c.get_absolute_url() for c in district.communes.filter(valid_until=LEGACY_UNTIL).order_by("code")]
        assert links(response, "/communes/")[: len(listed)] == listed
        assertContains(response, f"<h1>{district} ")


def test_viet_yen_district_page_lists_phuong_quang_minh_and_its_former_name(client, legacy_bac_giang):
    viet_yen = District.objects.get(code="222")

    response = client.get(viet_yen.get_absolute_url())

    assertContains(response, "17 đơn vị hành chính cấp xã")
    quang_minh = Commune.objects.get(code="07792")
    assertContains(response, f'<a href="{quang_minh.get_absolute_url()}">Phường Quảng Minh</a>', html=True)
    assertContains(response, "huyện Việt Yên (đến 31/01/2024)")


def test_current_bac_ninh_province_page_lists_its_99_communes(client, real_units):
    bac_ninh = Province.objects.current().get(code="24")

    response = client.get(bac_ninh.get_absolute_url())

    assertContains(response, "<h1>Tỉnh Bắc Ninh ")
    assert len(links(response, "/communes/")) == 99
    assert links(response, "/districts/") == []
    bac_giang = Province.objects.get(code="24", valid_until=LEGACY_UNTIL)
    assertContains(response, f'<a href="{bac_giang.get_absolute_url()}">Tỉnh Bắc Giang</a>', html=True)


def test_legacy_bac_giang_province_page_lists_its_districts_and_links_to_bac_ninh(client, real_units):
    bac_giang = Province.objects.get(code="24", valid_until=LEGACY_UNTIL)
    bac_ninh = Province.objects.current().get(code="24")

    response = client.get(bac_giang.get_absolute_url())

    # Its ten districts of 30 June 2025 and huyện Yên Dũng, which ended on 31 December 2024.
    assert len(links(response, "/districts/")) == 11
    assertContains(response, ">Huyện Yên Dũng</a>")
    assert links(response, "/communes/") == []
    assertContains(response, "Sau khi sắp xếp lại (sau ngày 30/06/2025), đơn vị này thuộc:")
    assertContains(response, f'<a href="{bac_ninh.get_absolute_url()}">Tỉnh Bắc Ninh</a>', html=True)


def test_home_page_costs_the_same_queries_with_two_provinces_as_with_one(
    client, legacy_bac_giang, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(3) as one_province:
        client.get("/")
    units_load(province="Bắc Ninh", period="current")

    with django_assert_num_queries(len(one_province)):
        response = client.get("/")

    assertContains(response, "Tỉnh Bắc Ninh</a>")
    assertContains(response, "Xem 99 đơn vị hành chính cấp xã")


def test_district_page_costs_the_same_queries_for_twenty_communes_as_for_two(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    small, large = DistrictFactory(), DistrictFactory()
    CommuneFactory.create_batch(2, legacy=True, district=small)
    CommuneFactory.create_batch(20, legacy=True, district=large)

    with django_assert_max_num_queries(3) as two_communes:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(two_communes)):
        response = client.get(large.get_absolute_url())

    assert len(links(response, "/communes/")) == 20


def test_legacy_quang_minh_page_links_to_its_successor_and_shows_its_former_name(client, real_units):
    quang_minh = Commune.objects.get(code="07792")
    van_ha = Commune.objects.current().get(code="07798")

    response = client.get(quang_minh.get_absolute_url())

    assertContains(response, "<h1>Phường Quảng Minh ")
    assertContains(response, "<p>Tên gọi trước đây: xã Quảng Minh (đến 31/01/2024)</p>", html=True)
    assertContains(response, f'<a href="{van_ha.get_absolute_url()}">phường Vân Hà</a>', html=True)
    assertContains(response, "<dd>Thị xã Việt Yên</dd>")


def test_van_ha_page_lists_phuong_quang_minh_among_its_predecessors(client, real_units):
    quang_minh = Commune.objects.get(code="07792")
    van_ha = Commune.objects.current().get(code="07798")

    response = client.get(van_ha.get_absolute_url())

    assertContains(response, f"<dt>{gettext('Formed from')}</dt>", html=True)
    assertContains(response, f'<a href="{quang_minh.get_absolute_url()}">phường Quảng Minh</a>', html=True)
    assertContains(response, "từ 01/07/2025")
    # Today's wards have no district.
    assertNotContains(response, "<dt>Quận/Huyện</dt>")


@pytest.mark.parametrize("kind", ["provinces", "districts", "communes"])
def test_unknown_unit_is_not_found(client, kind):
    response = client.get(f"/{kind}/999999/")

    assert response.status_code == 404


def test_english_district_page_is_in_english(client):
    district = DistrictFactory(name="Việt Yên")
    CommuneFactory(legacy=True, district=district, name="Quảng Minh")

    response = client.get(f"/en/districts/{district.pk}/")

    assertContains(response, '<html lang="en">')
    assertContains(response, "1 commune-level unit")
    # English pages keep the day-first dates Vietnamese readers expect.
    assertContains(response, "until 30/06/2025")
    assertContains(response, f'href="/en/communes/{district.communes.get().pk}/"')


def test_home_page_lists_todays_provinces_first_and_says_where_an_ended_one_went(client, real_units):
    bac_giang = Province.objects.get(code="24", valid_until=LEGACY_UNTIL)
    bac_ninh = Province.objects.current().get(code="24")

    html = client.get("/").content.decode()

    assert html.index(f'href="{bac_ninh.get_absolute_url()}"') < html.index(f'href="{bac_giang.get_absolute_url()}"')
    merged = re.search(r'<p class="result__successors">(.*?)</p>', html, re.DOTALL).group(1)
    assert gettext("Merged into") in merged
    assert f'<a href="{bac_ninh.get_absolute_url()}">{bac_ninh.official_name}</a>' in merged
