"""Administrative units: invariants held by the database and explained by full_clean, names and periods."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from communes.models import Commune, District, DivisionType, Province
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, DistrictFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

REFORM_DAY = datetime.date(2025, 7, 1)


def validation_messages(unit, language: str) -> dict[str, list[str]]:
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            unit.full_clean()
        # Messages are lazy: render them while the language is active.
        return {field: [str(m) for m in messages] for field, messages in error.value.message_dict.items()}


def test_two_current_communes_with_the_same_code_are_refused():
    CommuneFactory(code="07798")

    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneFactory(code="07798")


def test_a_code_may_be_held_once_by_an_ended_unit_and_once_by_a_current_one():
    ended = CommuneFactory(code="07798", valid_until=LEGACY_UNTIL)
    current = CommuneFactory(code="07798")

    assert list(Commune.objects.filter(code="07798").order_by("pk")) == [ended, current]


def test_two_units_that_ended_on_the_same_day_cannot_share_a_code():
    ProvinceFactory(code="24", valid_until=LEGACY_UNTIL)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceFactory(code="24", valid_until=LEGACY_UNTIL)


@pytest.mark.parametrize(
    ("factory", "division_type"),
    [
        (ProvinceFactory, DivisionType.COMMUNE),
        (ProvinceFactory, DivisionType.RURAL_DISTRICT),
        (DistrictFactory, DivisionType.PROVINCE),
        (DistrictFactory, DivisionType.WARD),
        (CommuneFactory, DivisionType.TOWN),
        (CommuneFactory, DivisionType.CENTRAL_CITY),
    ],
)
def test_a_division_type_of_another_level_is_refused_by_the_database(factory, division_type):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(division_type=division_type)


def test_a_unit_ending_before_it_begins_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommuneFactory(valid_from=REFORM_DAY, valid_until=LEGACY_UNTIL)


def test_a_unit_may_begin_and_end_on_the_same_day():
    commune = CommuneFactory(valid_from=LEGACY_UNTIL, valid_until=LEGACY_UNTIL)

    assert commune in Commune.objects.on(LEGACY_UNTIL)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This division type does not exist at this level."),
        ("vi", "Loại đơn vị hành chính này không có ở cấp này."),
    ],
)
def test_full_clean_explains_a_division_type_of_another_level(language, expected):
    province = Province(code="24", name="Bắc Giang", division_type=DivisionType.COMMUNE)

    assert validation_messages(province, language) == {"division_type": [expected]}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "A unit cannot end before it begins."),
        ("vi", "Ngày hết hiệu lực của đơn vị không được trước ngày bắt đầu có hiệu lực."),
    ],
)
def test_full_clean_explains_a_unit_ending_before_it_begins(language, expected):
    province = ProvinceFactory()
    commune = Commune(
        code="07792",
        name="Quảng Minh",
        division_type=DivisionType.COMMUNE,
        province=province,
        valid_from=REFORM_DAY,
        valid_until=LEGACY_UNTIL,
    )

    assert validation_messages(commune, language) == {"valid_until": [expected]}


def test_full_clean_refuses_a_second_current_unit_with_the_same_code():
    existing = CommuneFactory(code="07798")
    duplicate = Commune(code="07798", name="Vân Hà", division_type=DivisionType.WARD, province=existing.province)

    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_full_clean_explains_a_second_current_unit_with_the_same_code_in_the_users_language():
    existing = CommuneFactory(code="07798")
    duplicate = Commune(code="07798", name="Vân Hà", division_type=DivisionType.WARD, province=existing.province)

    assert validation_messages(duplicate, "en") == {"__all__": ["A unit in force already has this official code."]}
    assert validation_messages(duplicate, "vi") == {"__all__": ["Đã có đơn vị đang có hiệu lực mang mã số này."]}


def test_full_clean_explains_a_second_ended_unit_with_the_same_code_in_the_users_language():
    existing = CommuneFactory(code="07792", valid_until=LEGACY_UNTIL)
    duplicate = Commune(
        code="07792",
        name="Quảng Minh",
        division_type=DivisionType.COMMUNE,
        province=existing.province,
        valid_until=LEGACY_UNTIL,
    )

    assert validation_messages(duplicate, "en") == {
        "__all__": ["A unit with this official code already ended on that day."]
    }
    assert validation_messages(duplicate, "vi") == {"__all__": ["Đã có đơn vị mang mã số này kết thúc vào cùng ngày."]}


def test_full_clean_refuses_a_former_name_without_its_last_day():
    district = District(
        code="222",
        name="Việt Yên",
        division_type=DivisionType.TOWN,
        province=ProvinceFactory(valid_until=LEGACY_UNTIL),
        valid_until=LEGACY_UNTIL,
        former_names=[{"division_type": "huyện", "name": "Việt Yên"}],
    )

    assert validation_messages(district, "en") == {
        "former_names": ["Each former name needs division_type, name, valid_until."]
    }


@pytest.mark.parametrize(
    ("factory", "division_type", "name", "expected"),
    [
        (CommuneFactory, DivisionType.COMMUNE, "Quảng Minh", "Xã Quảng Minh"),
        (CommuneFactory, DivisionType.SPECIAL_ZONE, "Cô Tô", "Đặc khu Cô Tô"),
        (DistrictFactory, DivisionType.TOWN, "Việt Yên", "Thị xã Việt Yên"),
        (ProvinceFactory, DivisionType.PROVINCE, "Bắc Giang", "Tỉnh Bắc Giang"),
        # The package's "thành phố trung ương" is only "thành phố" in an official name.
        (ProvinceFactory, DivisionType.CENTRAL_CITY, "Bắc Ninh", "Thành phố Bắc Ninh"),
    ],
)
def test_str_is_the_capitalised_official_name(factory, division_type, name, expected):
    unit = factory(division_type=division_type, name=name)

    assert str(unit) == expected
    assert unit.official_name == expected[:1].lower() + expected[1:]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Quảng Minh", "quang minh"), ("Đồng Tâm", "dong tam"), ("Lục  Ngạn", "luc ngan")],
)
def test_search_name_is_the_folded_name(name, expected):
    commune = CommuneFactory(name=name)

    assert commune.search_name == expected
    assert Commune.objects.get(search_name=expected) == commune


def test_objects_on_returns_the_units_in_force_on_that_day():
    before_records = CommuneFactory(valid_from=None, valid_until=LEGACY_UNTIL)
    created_in_2025 = CommuneFactory(valid_from=datetime.date(2025, 1, 1), valid_until=LEGACY_UNTIL)
    current = CommuneFactory(valid_from=REFORM_DAY)

    assert set(Commune.objects.on(datetime.date(2024, 12, 31))) == {before_records}
    assert set(Commune.objects.on(LEGACY_UNTIL)) == {before_records, created_in_2025}
    assert set(Commune.objects.on(REFORM_DAY)) == {current}


def test_objects_current_excludes_ended_units():
    CommuneFactory(valid_until=LEGACY_UNTIL)
    current = CommuneFactory(valid_from=REFORM_DAY)

    assert list(Commune.objects.current()) == [current]
    assert current.is_current


def test_name_on_gives_each_former_name_until_its_last_day():
    commune = CommuneFactory(
        name="Quảng Minh",
        division_type=DivisionType.WARD,
        former_names=[
            {"division_type": "xã", "name": "Quảng Minh", "valid_until": "2024-02-09"},
            {"division_type": "xã", "name": "Minh Đức", "valid_until": "2010-12-31"},
        ],
    )

    assert commune.name_on(datetime.date(2010, 12, 31)) == "xã Minh Đức"
    assert commune.name_on(datetime.date(2011, 1, 1)) == "xã Quảng Minh"
    assert commune.name_on(datetime.date(2024, 2, 9)) == "xã Quảng Minh"
    assert commune.name_on(datetime.date(2024, 2, 10)) == "phường Quảng Minh"
    assert [f["name"] for f in commune.former_name_periods] == ["xã Minh Đức", "xã Quảng Minh"]


def test_address_on_of_a_commune_without_district_names_only_the_province():
    province = ProvinceFactory(name="Bắc Ninh", division_type=DivisionType.CENTRAL_CITY)
    commune = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD, province=province)

    assert commune.address_on(REFORM_DAY) == "phường Vân Hà, thành phố Bắc Ninh"


def test_get_absolute_url_points_at_the_unit_page():
    commune = CommuneFactory(legacy=True)

    with translation.override("vi"):
        assert commune.get_absolute_url() == f"/communes/{commune.pk}/"
        assert commune.district.get_absolute_url() == f"/districts/{commune.district.pk}/"
        assert commune.province.get_absolute_url() == f"/provinces/{commune.province.pk}/"
