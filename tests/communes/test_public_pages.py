"""Public pages of a commune's one-stop shop: the commune page, search, procedures, disclosures and
the code of conduct, in Vietnamese by default and in English under /en/."""

import datetime
import re

import factory
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from communes import selectors
from communes.models import (
    CodeOfConduct,
    Commune,
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DisclosureCategory,
    DivisionType,
    DossierStatistics,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OnlineLevel,
    OpeningException,
    OpeningHours,
    Procedure,
    Weekday,
)
from core import clock
from core.clock import VIETNAM
from core.qr import qr_svg
from core.workdays import add_working_days, public_holidays_between
from tests.communes.factories import CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def today() -> datetime.date:
    return clock.today()


def section(response, element_id: str) -> str:
    """The HTML of the element with ``element_id``, up to its closing tag (no nesting of the same tag)."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.DOTALL)
    assert match, f"no element #{element_id}"
    return match.group(2)


# --- Building a commune's one-stop shop (services are written elsewhere; rows are created directly) -----


def make_shop(commune: Commune, *, verified_days_ago: int | None = 10, **fields) -> OneStopShop:
    verified_on = today() - datetime.timedelta(days=verified_days_ago) if verified_days_ago is not None else None
    shop = OneStopShop.objects.create(
        commune=commune,
        address="Số 1 đường Trần Phú",
        phone="0204 3871 234",
        email="motcua@example.gov.vn",
        directions="Cổng chính, tầng 1, bên trái.",
        verified_on=verified_on,
        **fields,
    )
    for day in range(5):
        OpeningHours.objects.create(shop=shop, weekday=day, opens=datetime.time(7, 30), closes=datetime.time(11, 30))
        OpeningHours.objects.create(shop=shop, weekday=day, opens=datetime.time(13, 30), closes=datetime.time(17))
    OpeningHours.objects.create(
        shop=shop, weekday=Weekday.SATURDAY, opens=datetime.time(7, 30), closes=datetime.time(11, 30)
    )
    for day in range(7):
        DutyLeader.objects.create(shop=shop, weekday=day, full_name=f"Lãnh đạo thứ {day}", title="Phó Chủ tịch UBND")
    Facility.objects.create(shop=shop, kind=FacilityKind.DRINKING_WATER, available=True, note="Nước lọc miễn phí")
    Facility.objects.create(shop=shop, kind=FacilityKind.FREE_WIFI, available=False)
    OpeningException.objects.create(
        shop=shop, date=today() + datetime.timedelta(days=3), closed=True, reason="Tổng vệ sinh trụ sở"
    )
    return shop


def make_officers(shop: OneStopShop, count: int) -> list[CounterOfficer]:
    return [
        CounterOfficer.objects.create(
            shop=shop,
            full_name=f"Nguyễn Văn Cán Bộ {n}",
            title="Công chức Tư pháp - Hộ tịch",
            field="Hộ tịch, chứng thực",
            duty_days=[0, 2, 4],
            position=n,
        )
        for n in range(count)
    ]


def make_procedure(commune: Commune, n: int = 0, **fields) -> CommuneProcedure:
    defaults = {
        "code": f"1.{n:06d}",
        "name": f"Thủ tục số {n}",
        "field": f"Lĩnh vực {n % 4}",
        "steps": ["Nộp hồ sơ tại bộ phận một cửa", "Cán bộ kiểm tra hồ sơ", "Nhận kết quả"],
        "documents": ["Tờ khai theo mẫu", "Căn cước công dân"],
        "fee": "Miễn phí",
        "time_limit_days": 3,
        "online_level": OnlineLevel.FULL,
    }
    procedure = Procedure.objects.create(province=commune.province, **{**defaults, **fields})
    return CommuneProcedure.objects.create(commune=commune, procedure=procedure, local_notes="Quầy số 2.")


def make_disclosure(commune: Commune, n: int = 0, **fields) -> Disclosure:
    defaults = {
        "title": f"Công khai dự toán ngân sách {n}",
        "category": DisclosureCategory.BUDGET,
        "decision_date": datetime.date(2024, 3, 1),
        "published_on": datetime.date(2024, 3, 5),
        "posted_until": datetime.date(2099, 12, 31),
        "document": ContentFile(PDF, name=f"du-toan-{n}.pdf"),
    }
    return Disclosure.objects.create(commune=commune, **{**defaults, **fields})


def make_statistics(commune: Commune, months: int) -> None:
    month = today().replace(day=1)
    for _ in range(months):
        DossierStatistics.objects.create(
            commune=commune,
            month=month,
            received=1234,
            resolved_early=500,
            resolved_on_time=400,
            resolved_late=100,
            late_with_apology=100,
            resolved_same_day=300,
            submitted_online=800,
            paid_online=100,
            digitised=700,
            pending=234,
        )
        month = (month - datetime.timedelta(days=1)).replace(day=1)


def make_code_of_conduct(province, version: int, in_force_from: datetime.date, **fields) -> CodeOfConduct:
    return CodeOfConduct.objects.create(
        province=province,
        version=version,
        title=f"Quy tắc ứng xử, phiên bản {version}",
        decision=f"Quyết định số {version}/QĐ-UBND",
        in_force_from=in_force_from,
        text=f"Điều 1. Nội dung của phiên bản {version}.\n\nĐiều 2. Thái độ phục vụ.",
        **fields,
    )


def populated_commune(*, officers: int, procedures: int, disclosures: int, months: int) -> Commune:
    commune = CommuneFactory()
    shop = make_shop(commune)
    make_officers(shop, officers)
    for n in range(procedures):
        make_procedure(commune, n)
    for n in range(disclosures):
        make_disclosure(commune, n)
    make_statistics(commune, months)
    make_code_of_conduct(commune.province, 1, datetime.date(2024, 1, 1))
    return commune


# --- The commune page ------------------------------------------------------------------------------


def test_commune_page_shows_the_shop_hours_leader_facilities_and_officers(client):
    commune = CommuneFactory(name="Quảng Minh")
    shop = make_shop(commune)
    make_officers(shop, 2)

    response = client.get(commune.get_absolute_url())

    assertTemplateUsed(response, "portal/commune/commune_detail.html")
    assertContains(response, "Số 1 đường Trần Phú")
    assertContains(response, '<a href="tel:02043871234">0204 3871 234</a>', html=True)
    assertContains(response, '<a href="mailto:motcua@example.gov.vn">motcua@example.gov.vn</a>', html=True)
    hours = section(response, "opening-hours")
    assert hours.count("07:30–11:30") == 6
    assert hours.count("13:30–17:00") == 5
    # Monday to Sunday, each once.
    for day in Weekday:
        assert f">{day.label}" in hours
    weekday = today().weekday()
    assert f"Lãnh đạo thứ {weekday}" in section(response, "leader-today")
    assert "Phó Chủ tịch UBND" in section(response, "leader-today")
    facilities = section(response, "facilities")
    assert facilities.count('class="checklist__item ') == len(FacilityKind)
    assert facilities.count("checklist__item--yes") == 1
    for kind in FacilityKind:
        assert str(kind.label) in facilities
    assert "Nước lọc miễn phí" in facilities
    officers = section(response, "officers")
    assert "Nguyễn Văn Cán Bộ 0" in officers
    assert "Nguyễn Văn Cán Bộ 1" in officers
    assert "Hộ tịch, chứng thực" in officers
    assert ", ".join(str(Weekday(day).label) for day in (0, 2, 4)) in officers
    assert "Tổng vệ sinh trụ sở" in hours
    assertContains(response, '<section class="panel" id="star-rating"')


def test_commune_page_shows_when_the_shop_was_verified_and_no_warning_when_recent(client):
    commune = CommuneFactory()
    shop = make_shop(commune, verified_days_ago=10)

    response = client.get(commune.get_absolute_url())

    assertContains(response, shop.verified_on.strftime("%d/%m/%Y"))
    assertNotContains(response, 'id="stale-warning"')


def test_commune_page_warns_when_the_shop_was_verified_more_than_ninety_days_ago(client):
    commune = CommuneFactory()
    make_shop(commune, verified_days_ago=100)

    response = client.get(commune.get_absolute_url())

    assertContains(response, 'id="stale-warning"')


def test_commune_page_warns_when_the_shop_was_never_verified(client):
    commune = CommuneFactory()
    make_shop(commune, verified_days_ago=None)

    assertContains(client.get(commune.get_absolute_url()), 'id="stale-warning"')


def test_commune_page_says_so_when_the_commune_has_not_published_its_shop(client):
    commune = CommuneFactory()

    response = client.get(commune.get_absolute_url())

    assertContains(response, 'id="no-shop"')
    assertNotContains(response, 'id="opening-hours"')
    assertContains(response, 'id="star-rating"')


def test_commune_page_shows_statistics_in_vietnamese_number_format(client):
    commune = CommuneFactory()
    make_statistics(commune, 2)

    response = client.get(commune.get_absolute_url())

    statistics = section(response, "statistics")
    assert statistics.count("<td>1.234</td>") == 2
    assert "90,0%" in statistics
    assert today().replace(day=1).strftime("%m/%Y") in statistics


def test_commune_page_lists_procedures_disclosures_and_the_code_in_force(client):
    commune = populated_commune(officers=1, procedures=3, disclosures=7, months=1)
    make_code_of_conduct(commune.province, 2, today() + datetime.timedelta(days=30))

    response = client.get(commune.get_absolute_url())

    procedures = section(response, "procedures")
    assert reverse("communes:procedure_list", kwargs={"pk": commune.pk}) in procedures
    assert "Lĩnh vực 0" in procedures
    disclosures = section(response, "disclosures")
    assert disclosures.count("/document/") == 5
    assert reverse("communes:disclosure_list", kwargs={"pk": commune.pk}) in disclosures
    code = section(response, "code-of-conduct")
    assert "Quy tắc ứng xử, phiên bản 1" in code
    assert "phiên bản 2" not in code
    assert reverse("communes:code_of_conduct", kwargs={"pk": commune.province_id}) in code


def test_ended_commune_page_says_so_prominently_and_links_to_its_successor(client):
    successor = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD)
    legacy = CommuneFactory(legacy=True, name="Quảng Minh", division_type=DivisionType.WARD)
    legacy.successors.add(successor)

    response = client.get(legacy.get_absolute_url())

    banner = section(response, "unit-ended")
    assert f'<a href="{successor.get_absolute_url()}">phường Vân Hà</a>' in banner
    assert "01/07/2025" in banner  # the first day without the unit, not its last
    # The banner comes first, before the heading and every record.
    html = response.content.decode()
    assert html.index('id="unit-ended"') < html.index("<h1>") < html.index('id="one-stop-shop"')


def ended_ward_with_a_full_shop(**fields) -> Commune:
    """Phường Quảng Minh, ended on 30/06/2025, with every live part of a shop recorded, and today's
    phường Vân Hà that took it over."""
    van_ha = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD, valid_from=datetime.date(2025, 7, 1))
    quang_minh = CommuneFactory(
        legacy=True,
        name="Quảng Minh",
        division_type=DivisionType.WARD,
        former_names=[{"division_type": "xã", "name": "Quảng Minh", "valid_until": "2024-02-09"}],
        **fields,
    )
    quang_minh.successors.add(van_ha)
    shop = make_shop(quang_minh, verified_days_ago=None)
    shop.verified_on = datetime.date(2025, 6, 20)
    shop.save()
    make_officers(shop, 2)
    make_procedure(quang_minh, 1)
    make_disclosure(quang_minh, 1)
    DossierStatistics.objects.create(
        commune=quang_minh,
        month=datetime.date(2025, 6, 1),
        received=200,
        resolved_early=100,
        resolved_on_time=90,
        resolved_late=5,
        late_with_apology=5,
        resolved_same_day=80,
        submitted_online=120,
        paid_online=30,
        digitised=150,
        pending=5,
    )
    return quang_minh


def test_ended_commune_page_shows_nothing_live_and_keeps_its_records_as_history(client):
    quang_minh = ended_ward_with_a_full_shop()

    response = client.get(quang_minh.get_absolute_url())

    html = response.content.decode()
    # Nothing that would send a citizen to a unit that no longer serves anyone.
    for live in [
        'id="today-status"',
        'id="leader-today"',
        'id="special-days-title"',
        'class="verified"',
        'id="stale-warning"',
        'aria-current="date"',
        "tel:",
        "mailto:",
        reverse("feedback:submit", kwargs={"pk": quang_minh.pk}),
        'id="answer-survey"',
    ]:
        assert live not in html, live
    assertNotContains(response, "20/06/2025")  # the verified date
    assertNotContains(response, "Tổng vệ sinh trụ sở")  # a special day ahead
    assertNotContains(response, gettext("Open now"))
    assertNotContains(response, gettext("Closed now"))
    # Its records stay, under a heading that names the unit as it was named then and the last day.
    title = section(response, "records-title")
    assert title == gettext("Records of %(unit)s until %(day)s") % {"unit": "phường Quảng Minh", "day": "30/06/2025"}
    assert html.index('id="records-title"') < html.index('id="one-stop-shop"')
    assert "Số 1 đường Trần Phú" in section(response, "one-stop-shop")
    assert "0204 3871 234" in section(response, "one-stop-shop")
    assert section(response, "opening-hours").count("07:30–11:30") == 6
    assert "Lãnh đạo thứ 0" in html
    assert "Nguyễn Văn Cán Bộ 1" in section(response, "officers")
    assert "Lĩnh vực 1" in section(response, "procedures")
    assert "06/2025" in section(response, "statistics")
    assert "Công khai dự toán ngân sách 1" in section(response, "disclosures")
    assert reverse("feedback:commune_feedback", kwargs={"pk": quang_minh.pk}) in html


def test_ended_commune_page_reads_the_code_of_conduct_of_its_last_day(client):
    quang_minh = ended_ward_with_a_full_shop()
    make_code_of_conduct(quang_minh.province, 1, datetime.date(2023, 1, 1))
    make_code_of_conduct(quang_minh.province, 2, datetime.date(2025, 8, 1))  # after the unit ended

    code = section(client.get(quang_minh.get_absolute_url()), "code-of-conduct")

    assert "Quy tắc ứng xử, phiên bản 1" in code
    assert "phiên bản 2" not in code
    assert reverse("communes:code_of_conduct_version", kwargs={"pk": quang_minh.province_id, "version": 1}) in code


def test_ended_commune_page_leads_to_todays_units_through_a_chain_of_reorganisations(client):
    # Ended on 31/12/2024 into xã Tân Mỹ, which the 2025 reform split between two of today's wards.
    ward_a = CommuneFactory(name="Tân Mỹ", division_type=DivisionType.WARD)
    ward_b = CommuneFactory(name="Đa Mai", division_type=DivisionType.WARD)
    between = CommuneFactory(legacy=True, name="Tân Mỹ")
    between.successors.add(ward_a, ward_b)
    first = CommuneFactory(
        legacy=True, name="Song Khê", valid_until=datetime.date(2024, 12, 31), district=between.district
    )
    first.successors.add(between)

    response = client.get(first.get_absolute_url())

    banner = section(response, "unit-ended")
    assert "01/01/2025" in banner
    for ward in (ward_a, ward_b):
        assert f'<a href="{ward.get_absolute_url()}">{ward.official_name}</a>' in banner
    assert between.get_absolute_url() not in banner
    # The step between stays visible in the unit's history.
    assertContains(response, f'<a href="{between.get_absolute_url()}">Xã Tân Mỹ</a>', html=True)


def test_todays_commune_page_names_its_predecessors_at_the_top(client):
    quang_minh = ended_ward_with_a_full_shop()
    van_ha = quang_minh.successors.get()
    other = CommuneFactory(legacy=True, name="Vân Hà", district=quang_minh.district, province=quang_minh.province)
    other.successors.add(van_ha)

    response = client.get(van_ha.get_absolute_url())

    predecessors = section(response, "predecessors")
    assert f'<a href="{other.get_absolute_url()}">xã Vân Hà</a>' in predecessors
    assert f'<a href="{quang_minh.get_absolute_url()}">phường Quảng Minh</a>' in predecessors
    assertContains(response, f"<dt>{gettext('Formed from')}</dt>", html=True)
    assertNotContains(response, 'id="unit-ended"')
    assertNotContains(response, 'id="records-title"')


def test_ended_commune_page_costs_the_same_queries_whatever_its_chain_of_successors(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    direct = ended_ward_with_a_full_shop()
    chained = ended_ward_with_a_full_shop(valid_until=datetime.date(2024, 12, 31))
    later = CommuneFactory(legacy=True, name="Trung gian")
    chained.successors.set([later])
    later.successors.add(*CommuneFactory.create_batch(3))

    # 17, and 2 for the residents-decide panel (the ended unit's own matters stay on its page).
    with django_assert_max_num_queries(19) as one_step:
        client.get(direct.get_absolute_url())
    with django_assert_num_queries(len(one_step)):
        response = client.get(chained.get_absolute_url())

    assert section(response, "unit-ended").count("<a ") == 3


def test_commune_page_costs_the_same_queries_whatever_the_number_of_rows(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    small = populated_commune(officers=1, procedures=1, disclosures=1, months=1)
    large = populated_commune(officers=10, procedures=20, disclosures=20, months=12)

    # 16: the recognition panel reads the latest public stars of the unit and the units it took over;
    # 18: the residents-decide panel reads the next meetings and votes and the latest results.
    with django_assert_max_num_queries(18) as few_rows:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(few_rows)):
        response = client.get(large.get_absolute_url())

    assert section(response, "officers").count('class="officer"') == 10
    assert section(response, "statistics").count("<tr>") == 13  # header and 12 months


def test_opening_status_follows_the_weekly_hours_special_days_and_holidays():
    commune = CommuneFactory()
    shop = make_shop(commune)
    OpeningException.objects.create(
        shop=shop,
        date=datetime.date(2024, 3, 6),
        closed=False,
        opens=datetime.time(8),
        closes=datetime.time(10),
        reason="Tiếp dân buổi sáng",
    )

    def status(*args):
        now = datetime.datetime(*args, tzinfo=VIETNAM)
        return selectors.commune_page(pk=commune.pk, now=now).today

    monday_morning = status(2024, 3, 4, 9, 0)
    assert monday_morning.is_open
    assert monday_morning.closes_at == datetime.time(11, 30)
    monday_noon = status(2024, 3, 4, 12, 0)
    assert not monday_noon.is_open
    assert monday_noon.opens_next == datetime.time(13, 30)
    assert not status(2024, 3, 10, 9, 0).is_open  # Sunday
    special_day = status(2024, 3, 6, 10, 30)
    assert not special_day.is_open
    assert special_day.reason == "Tiếp dân buổi sáng"
    # Giỗ Tổ Hùng Vương, a Thursday: closed all day although Thursday has hours.
    holiday = status(2024, 4, 18, 9, 0)
    assert not holiday.is_open
    assert (
        holiday.reason
        == dict(public_holidays_between(datetime.date(2024, 4, 18), datetime.date(2024, 4, 18)))[
            datetime.date(2024, 4, 18)
        ]
    )
    # The shop's time is Vietnam's: 02:00 UTC is 09:00 in Hà Nội.
    utc_morning = datetime.datetime(2024, 3, 4, 2, 0, tzinfo=datetime.UTC)
    assert selectors.commune_page(pk=commune.pk, now=utc_morning).today.is_open


def test_special_days_list_the_public_holidays_of_the_next_sixty_days_as_the_calendar_names_them():
    commune = CommuneFactory()
    make_shop(commune)
    now = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=VIETNAM)

    page = selectors.commune_page(pk=commune.pk, now=now)

    holidays = public_holidays_between(datetime.date(2026, 4, 1), datetime.date(2026, 5, 31))
    assert holidays
    assert [(day.date, day.reason) for day in page.special_days if day.is_holiday] == holidays


# --- Search --------------------------------------------------------------------------------------


@pytest.fixture
def quang_minh_and_van_ha(db):
    van_ha = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD, valid_from=datetime.date(2025, 7, 1))
    quang_minh = CommuneFactory(legacy=True, name="Quảng Minh", division_type=DivisionType.WARD)
    quang_minh.successors.add(van_ha)
    return quang_minh, van_ha


def test_empty_search_shows_only_the_form(client):
    response = client.get(reverse("communes:commune_search"))

    assertContains(response, '<input type="search" id="commune-search" name="q"')
    assertContains(response, '<label for="commune-search">')
    assertNotContains(response, 'id="results-title"')


def test_search_ignores_diacritics_and_case_and_shows_the_successor_of_a_legacy_commune(client, quang_minh_and_van_ha):
    quang_minh, van_ha = quang_minh_and_van_ha

    response = client.get(reverse("communes:commune_search"), {"q": "QUANG minh"})

    # Today's ward comes first: it took Quảng Minh over, so it is found by that name too.
    assert response.context["result"].communes == [van_ha, quang_minh]
    assertContains(response, f'<a href="{quang_minh.get_absolute_url()}">Phường Quảng Minh</a>', html=True)
    successor_link = f'<a href="{van_ha.get_absolute_url()}">phường Vân Hà</a>'
    assertContains(response, f'<p class="result__successors">{gettext("Merged into")} {successor_link}</p>', html=True)
    assertContains(response, 'class="badge badge--past"')


def test_search_by_the_successors_name_finds_it_and_the_communes_merged_into_it(client, quang_minh_and_van_ha):
    quang_minh, van_ha = quang_minh_and_van_ha

    response = client.get(reverse("communes:commune_search"), {"q": "Vân Hà"})

    # Today's unit first.
    assert response.context["result"].communes == [van_ha, quang_minh]


def test_search_finds_a_commune_by_a_former_name():
    renamed = CommuneFactory(
        name="Tự Lạn",
        division_type=DivisionType.WARD,
        former_names=[{"division_type": "xã", "name": "Tăng Tiến", "valid_until": "2024-02-09"}],
    )
    CommuneFactory(name="Hồng Thái")

    assert selectors.commune_search(query="tang tien").communes == [renamed]


def test_search_finds_phuong_quang_minh_in_the_real_units_and_shows_it_is_now_part_of_van_ha(client, real_units):
    quang_minh = Commune.objects.get(code="07792")
    van_ha = Commune.objects.current().get(code="07798")

    response = client.get(reverse("communes:commune_search"), {"q": "quang minh"})

    assert quang_minh in response.context["result"].communes
    assertContains(response, f'<a href="{van_ha.get_absolute_url()}">phường Vân Hà</a>', html=True)
    assert quang_minh in selectors.commune_search(query="van ha").communes


def test_search_shows_at_most_fifty_results_and_says_there_are_more(client):
    province = ProvinceFactory()
    CommuneFactory.create_batch(51, province=province, name=factory.Sequence(lambda n: f"Hòa Bình {n}"))

    response = client.get(reverse("communes:commune_search"), {"q": "hoa binh"})

    assert len(response.context["result"].communes) == 50
    assertContains(response, 'id="too-many-results"')


def test_search_says_so_when_nothing_matches(client, quang_minh_and_van_ha):
    response = client.get(reverse("communes:commune_search"), {"q": "không có xã này"})

    assertContains(response, 'id="no-results"')


def test_search_costs_the_same_queries_for_one_result_as_for_many(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    successor = CommuneFactory(name="Bình Minh")
    CommuneFactory(name="Xuân Lộc")
    province = ProvinceFactory()
    for n in range(10):
        legacy = CommuneFactory(legacy=True, name=f"Xuân Hòa {n}")
        legacy.successors.add(successor)
    CommuneFactory.create_batch(5, province=province, name=factory.Sequence(lambda n: f"Xuân Hòa Mới {n}"))

    with django_assert_max_num_queries(4) as one_result:
        response = client.get(reverse("communes:commune_search"), {"q": "xuan loc"})
    assert len(response.context["result"].communes) == 1
    with django_assert_num_queries(len(one_result)):
        response = client.get(reverse("communes:commune_search"), {"q": "xuan hoa"})
    # The fifteen named so, and Bình Minh, formed from the ten old Xuân Hòa.
    assert len(response.context["result"].communes) == 16


def test_home_page_has_a_commune_search_box(client):
    response = client.get("/")

    assertContains(response, f'action="{reverse("communes:commune_search")}"')
    assertContains(response, '<input type="search" id="home-commune-search" name="q"')


# --- Procedures ------------------------------------------------------------------------------------


def test_procedure_list_groups_the_communes_procedures_by_field_and_filters_by_field(client):
    commune = CommuneFactory()
    for n in range(6):
        make_procedure(commune, n)
    other = CommuneFactory(province=commune.province)
    make_procedure(other, 99, name="Thủ tục của xã khác")
    url = reverse("communes:procedure_list", kwargs={"pk": commune.pk})

    response = client.get(url)

    assert response.content.decode().count('class="procedure-group"') == 4
    assertContains(response, "Thủ tục số 5")
    assertNotContains(response, "Thủ tục của xã khác")
    filtered = client.get(url, {"field": "Lĩnh vực 1"})
    assertContains(filtered, "Thủ tục số 1")
    assertContains(filtered, "Thủ tục số 5")
    assertNotContains(filtered, "Thủ tục số 2")
    assertContains(filtered, '<option value="Lĩnh vực 1" selected>')


def test_procedure_list_costs_the_same_queries_for_one_procedure_as_for_twenty(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    small, large = CommuneFactory(), CommuneFactory()
    make_procedure(small, 0)
    for n in range(20):
        make_procedure(large, n)

    with django_assert_max_num_queries(4) as one:
        client.get(reverse("communes:procedure_list", kwargs={"pk": small.pk}))
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("communes:procedure_list", kwargs={"pk": large.pk}))

    assert len(response.context["procedures"]) == 20


def test_procedure_page_shows_the_steps_in_order_and_a_qr_code_of_its_address(client):
    commune = CommuneFactory()
    handled = make_procedure(commune, 7, same_day=True, time_limit_days=None)
    url = handled.get_absolute_url()

    response = client.get(url)

    assertContains(
        response,
        '<ol class="steps" id="steps"><li>Nộp hồ sơ tại bộ phận một cửa</li><li>Cán bộ kiểm tra hồ sơ</li>'
        "<li>Nhận kết quả</li></ol>",
        html=True,
    )
    assertContains(response, "<li>Căn cước công dân</li>", html=True)
    assertContains(response, "Quầy số 2.")
    assertContains(response, "Miễn phí")
    qr_url = reverse("communes:procedure_qr", kwargs={"pk": commune.pk, "code": handled.procedure.code})
    assert re.search(rf'<img class="qr" src="{re.escape(qr_url)}"[^>]*\balt="[^"]+"', response.content.decode())

    svg = client.get(qr_url)

    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert body.strip().startswith("<svg")
    assert body == qr_svg(f"http://testserver{url}")


def test_procedure_page_shows_the_time_limit_in_working_days(client):
    handled = make_procedure(CommuneFactory(), 1, time_limit_days=5)

    response = client.get(f"/en{handled.get_absolute_url()}")

    assert "5 working days" in section(response, "time-limit")


def test_a_procedure_the_commune_does_not_handle_is_not_found(client):
    commune = CommuneFactory()
    handled = make_procedure(commune, 1)
    other = CommuneFactory(province=commune.province)
    kwargs = {"pk": other.pk, "code": handled.procedure.code}

    for name in ["procedure_detail", "procedure_qr", "procedure_poster"]:
        assert client.get(reverse(f"communes:{name}", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("communes:procedure_list", kwargs={"pk": 999999})).status_code == 404


def test_procedure_poster_is_a_printable_page_with_the_steps_and_an_inline_qr_code(client):
    commune = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD)
    handled = make_procedure(commune, 3)

    response = client.get(reverse("communes:procedure_poster", kwargs={"pk": commune.pk, "code": "1.000003"}))

    html = response.content.decode()
    assertContains(response, "Phường Vân Hà")
    assertContains(response, "<li>Cán bộ kiểm tra hồ sơ</li>", html=True)
    assert "<svg" in html
    assert "css/print-poster" in html
    assert "site-header" not in html
    assert "<script" not in html
    assert 'style="' not in html
    assertContains(response, f"http://testserver{handled.get_absolute_url()}")


# --- Disclosures -----------------------------------------------------------------------------------


def test_disclosure_list_marks_those_published_more_than_five_working_days_after_the_decision(client):
    commune = CommuneFactory()
    friday = datetime.date(2024, 3, 1)
    deadline = add_working_days(friday, 5)
    assert deadline == datetime.date(2024, 3, 8)
    on_time = make_disclosure(commune, 1, decision_date=friday, published_on=deadline)
    late = make_disclosure(commune, 2, decision_date=friday, published_on=datetime.date(2024, 3, 11))
    expired = make_disclosure(commune, 3, posted_until=datetime.date(2024, 4, 30))
    permanent = make_disclosure(commune, 4, category=DisclosureCategory.PROCEDURES, posted_until=None)

    response = client.get(reverse("communes:disclosure_list", kwargs={"pk": commune.pk}))

    assert "badge--late" not in section(response, f"disclosure-{on_time.pk}")
    assert "badge--late" in section(response, f"disclosure-{late.pk}")
    assert "30/04/2024" in section(response, f"disclosure-{expired.pk}")
    assert "badge--past" in section(response, f"disclosure-{expired.pk}")
    assert "badge--past" not in section(response, f"disclosure-{on_time.pk}")
    assert "31/12/2099" not in section(response, f"disclosure-{permanent.pk}")
    assert "05/03/2024" in section(response, f"disclosure-{expired.pk}")


def test_disclosure_list_filters_by_category(client):
    commune = CommuneFactory()
    budget = make_disclosure(commune, 1, title="Dự toán ngân sách 2024")
    funds = make_disclosure(commune, 2, title="Quỹ vì người nghèo", category=DisclosureCategory.FUNDS)
    url = reverse("communes:disclosure_list", kwargs={"pk": commune.pk})

    response = client.get(url, {"category": DisclosureCategory.FUNDS})

    assert list(response.context["disclosures"]) == [funds]
    assertContains(response, f'<option value="{DisclosureCategory.FUNDS}" selected>')
    assert response.content.decode().count("<option") == 1 + len(DisclosureCategory)
    # An unknown category shows everything rather than an error.
    assert set(client.get(url, {"category": "nonsense"}).context["disclosures"]) == {budget, funds}


def test_disclosure_list_pages_by_twenty_at_the_same_query_cost(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    small, large = CommuneFactory(), CommuneFactory()
    make_disclosure(small)
    for n in range(25):
        make_disclosure(large, n)

    with django_assert_max_num_queries(4) as one:
        client.get(reverse("communes:disclosure_list", kwargs={"pk": small.pk}))
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("communes:disclosure_list", kwargs={"pk": large.pk}))

    assert len(response.context["disclosures"]) == 20
    assertContains(response, '<a href="?page=2" rel="next">')
    second = client.get(reverse("communes:disclosure_list", kwargs={"pk": large.pk}), {"page": 2})
    assert len(second.context["disclosures"]) == 5
    filtered = client.get(reverse("communes:disclosure_list", kwargs={"pk": large.pk}), {"category": "02_budget"})
    assertContains(filtered, '<a href="?category=02_budget&amp;page=2" rel="next">')


def test_disclosure_document_is_streamed_as_a_pdf_to_read_in_the_browser(client):
    commune = CommuneFactory()
    disclosure = make_disclosure(commune, 1, title="Dự toán ngân sách 2024")
    url = reverse("communes:disclosure_document", kwargs={"pk": commune.pk, "disclosure_pk": disclosure.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "ng%C3%A2n%20s%C3%A1ch%202024.pdf" in response["Content-Disposition"]
    # Whatever an uploaded PDF contains, it runs nothing in the portal's origin.
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == PDF


def test_disclosure_document_of_another_commune_is_not_found(client):
    disclosure = make_disclosure(CommuneFactory())
    other = CommuneFactory()
    url = reverse("communes:disclosure_document", kwargs={"pk": other.pk, "disclosure_pk": disclosure.pk})

    assert client.get(url).status_code == 404


# --- Code of conduct -------------------------------------------------------------------------------


def test_code_of_conduct_shows_the_version_in_force_not_a_future_one(client):
    province = ProvinceFactory()
    make_code_of_conduct(province, 1, datetime.date(2023, 1, 1))
    make_code_of_conduct(province, 2, datetime.date(2024, 6, 1))
    make_code_of_conduct(province, 3, today() + datetime.timedelta(days=10))

    response = client.get(reverse("communes:code_of_conduct", kwargs={"pk": province.pk}))

    text = section(response, "code-title")
    assert text == "Quy tắc ứng xử, phiên bản 2"
    assertContains(response, "<p>Điều 1. Nội dung của phiên bản 2.</p>", html=True)
    assertNotContains(response, "Nội dung của phiên bản 3")
    for version in (1, 3):
        assertContains(
            response, reverse("communes:code_of_conduct_version", kwargs={"pk": province.pk, "version": version})
        )


def test_code_of_conduct_shows_an_asked_version(client):
    province = ProvinceFactory()
    make_code_of_conduct(province, 1, datetime.date(2023, 1, 1))
    make_code_of_conduct(province, 2, today() + datetime.timedelta(days=10))

    response = client.get(reverse("communes:code_of_conduct_version", kwargs={"pk": province.pk, "version": 2}))

    assertContains(response, "<p>Điều 1. Nội dung của phiên bản 2.</p>", html=True)
    assert response.context["page"].shown.status == "future"


def test_code_of_conduct_of_a_legacy_province_is_still_shown(client):
    legacy = ProvinceFactory(valid_until=datetime.date(2025, 6, 30))
    make_code_of_conduct(legacy, 1, datetime.date(2023, 1, 1))

    response = client.get(reverse("communes:code_of_conduct", kwargs={"pk": legacy.pk}))

    assertContains(response, "Nội dung của phiên bản 1")


def test_code_of_conduct_is_not_found_without_any_version_or_for_an_unknown_one(client):
    province = ProvinceFactory()

    assert client.get(reverse("communes:code_of_conduct", kwargs={"pk": province.pk})).status_code == 404
    make_code_of_conduct(province, 1, datetime.date(2023, 1, 1))
    url = reverse("communes:code_of_conduct_version", kwargs={"pk": province.pk, "version": 9})
    assert client.get(url).status_code == 404


# --- English ---------------------------------------------------------------------------------------


def test_english_commune_page_is_in_english(client):
    commune = populated_commune(officers=1, procedures=1, disclosures=1, months=1)

    response = client.get(f"/en/communes/{commune.pk}/")

    assertContains(response, '<html lang="en">')
    assertContains(response, '<h2 id="opening-hours-title">Opening hours</h2>', html=True)
    assertContains(response, "Leader on duty")
    assertContains(response, "<td>1,234</td>", html=True)
    assertContains(response, f'href="/en/communes/{commune.pk}/procedures/"')
    assertContains(response, "Monday")


def test_search_says_an_ended_commune_merged_into_todays_unit_through_a_chain(client):
    today = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD)
    in_2025 = CommuneFactory(legacy=True, name="Quảng Minh", division_type=DivisionType.WARD)
    in_2024 = CommuneFactory(legacy=True, name="Minh Đức", valid_until=datetime.date(2024, 12, 31))
    in_2025.successors.add(today)
    in_2024.successors.add(in_2025)

    response = client.get(reverse("communes:commune_search"), {"q": "minh duc"})

    # The unit of 2025 that took Minh Đức over is found through it too, after it.
    assert response.context["result"].communes == [in_2024, in_2025]
    assertContains(
        response,
        f'<p class="result__successors">{gettext("Merged into")} '
        f'<a href="{today.get_absolute_url()}">phường Vân Hà</a></p>',
        html=True,
    )


def test_an_ended_unit_s_procedure_and_disclosure_pages_lead_to_today_s_unit_and_print_no_poster(client):
    quang_minh = ended_ward_with_a_full_shop()
    van_ha = quang_minh.successors.get()
    handled = quang_minh.procedures.select_related("procedure").get()
    pages = [
        reverse("communes:procedure_list", kwargs={"pk": quang_minh.pk}),
        reverse("communes:procedure_detail", kwargs={"pk": quang_minh.pk, "code": handled.procedure.code}),
        reverse("communes:disclosure_list", kwargs={"pk": quang_minh.pk}),
        reverse("communes:procedure_poster", kwargs={"pk": quang_minh.pk, "code": handled.procedure.code}),
    ]

    for page in pages:
        response = client.get(page)
        assert f'<a href="{van_ha.get_absolute_url()}">phường Vân Hà</a>' in section(response, "unit-ended"), page
    assert b'class="poster__qr"' not in response.content  # no poster for a counter that is gone


def test_a_unit_in_force_has_no_ended_banner_on_its_procedure_list(client):
    commune = CommuneFactory()

    response = client.get(reverse("communes:procedure_list", kwargs={"pk": commune.pk}))

    assert b'id="unit-ended"' not in response.content


def test_an_ended_units_page_leads_in_one_tap_to_feedback_and_the_survey_of_todays_unit(client, real_units):
    quang_minh = Commune.objects.get(code="07792", valid_until__isnull=False)
    van_ha = Commune.objects.current().get(code="07798")

    response = client.get(quang_minh.get_absolute_url())

    tasks = re.search(r'<p class="button-group" id="unit-ended-tasks">.*?</p>', response.content.decode(), re.DOTALL)
    assert f'href="{reverse("feedback:submit", kwargs={"pk": van_ha.pk})}?from={quang_minh.pk}"' in tasks.group(0)
    assert f'href="{reverse("surveys:commune_survey", kwargs={"pk": van_ha.pk})}"' in tasks.group(0)
    assertNotContains(response, reverse("feedback:submit", kwargs={"pk": quang_minh.pk}) + '"')
