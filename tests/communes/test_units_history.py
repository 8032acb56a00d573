"""The units across the reforms of 2024 and 2025, as the sourced history in communes.data tells them.

Bắc Giang's 209 communes of 2023 became 195 on 1 January 2025 (Resolution 1191/NQ-UBTVQH15) and
Bắc Giang and Bắc Ninh became tỉnh Bắc Ninh on 1 July 2025 (Resolution 202/2025/QH15). A document
speaks of a date and names every unit as it was named on that date.
"""

import datetime
from types import SimpleNamespace

import pytest
import vietnam_provinces.legacy as legacy_pkg
from pytest_django.asserts import assertContains

from communes.data import bac_giang_2025, unit_history
from communes.data.unit_history import CURRENT_FROM, ENDED_BEFORE_SNAPSHOT, LEGACY_UNTIL, UNIT_HISTORY
from communes.models import Commune, District, DivisionType, Province
from communes.selectors import commune_list_for_district, successors_today
from communes.services import units_load
from scoring.services.computation.compute import unit_name_for
from tests.communes.factories import ProvinceFactory

pytestmark = pytest.mark.django_db

ENDED_ON = datetime.date(2024, 12, 31)
MID_2023 = datetime.date(2023, 6, 30)
MID_2025 = datetime.date(2025, 6, 30)


def legacy_bac_giang():
    return Province.objects.get(code="24", valid_until=LEGACY_UNTIL)


@pytest.fixture
def bac_giang(db):
    units_load(province="Bắc Giang", period="legacy")


@pytest.fixture
def whole_bac_ninh(db):
    """Both provinces that formed today's tỉnh Bắc Ninh, and tỉnh Bắc Ninh itself, as setup_demo loads them."""
    units_load(province="Bắc Giang", period="legacy")
    units_load(province="Bắc Ninh", period="all")


# --- the 209 communes of 2023 ----------------------------------------------------------------------


def test_bac_giang_had_209_communes_in_2023_and_195_in_2025(bac_giang):
    communes = Commune.objects.filter(province__code="24", province__valid_until=LEGACY_UNTIL)

    assert communes.on(MID_2023).count() == 209
    assert communes.on(ENDED_ON).count() == 209
    assert communes.on(datetime.date(2025, 1, 1)).count() == 195
    assert communes.on(MID_2025).count() == 195
    assert communes.on(CURRENT_FROM).count() == 0


def test_bac_giang_had_ten_districts_in_2023_with_yen_dung_and_ten_in_2025_with_chu(bac_giang):
    districts = District.objects.filter(province=legacy_bac_giang())

    in_2023 = set(districts.on(MID_2023).values_list("code", flat=True))
    in_2025 = set(districts.on(MID_2025).values_list("code", flat=True))

    assert len(in_2023) == len(in_2025) == 10
    assert "221" in in_2023 - in_2025  # huyện Yên Dũng
    assert "224" in in_2025 - in_2023  # thị xã Chũ


def test_units_load_creates_the_ended_units_with_their_last_day(bac_giang):
    yen_dung = District.objects.get(code="221")
    lao_ho = Commune.objects.get(code="07684")

    assert (str(yen_dung), yen_dung.valid_until, yen_dung.province) == ("Huyện Yên Dũng", ENDED_ON, legacy_bac_giang())
    assert (str(lao_ho), lao_ho.valid_until, lao_ho.district) == ("Xã Lão Hộ", ENDED_ON, yen_dung)
    assert Commune.objects.filter(valid_until=ENDED_ON).count() == 17


def test_units_load_of_the_ended_units_is_idempotent(bac_giang):
    rows = (District.objects.count(), Commune.objects.count(), Commune.successors.through.objects.count())

    result = units_load(province="Bắc Giang", period="legacy")

    assert (result.created, result.updated, result.links_created) == (0, 0, 0)
    assert (District.objects.count(), Commune.objects.count(), Commune.successors.through.objects.count()) == rows


def test_units_load_restores_an_ended_unit_edited_by_hand(bac_giang):
    Commune.objects.filter(code="07684").update(name="Lão Hộ Mới", valid_until=datetime.date(2025, 3, 1))

    result = units_load(province="Bắc Giang", period="legacy")

    # The edited row is no longer keyed by the list's (code, valid_until): the list's row is made again.
    assert result.created == 1
    assert Commune.objects.get(code="07684", valid_until=ENDED_ON).name == "Lão Hộ"


def test_the_new_codes_of_2025_count_only_from_1_january_2025(bac_giang):
    for code in bac_giang_2025.NEW_CODES_2025:
        unit = Commune.objects.get(code=code)
        assert unit.valid_from == datetime.date(2025, 1, 1)
        assert unit not in Commune.objects.on(ENDED_ON)


# --- names and addresses on a date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "day", "address"),
    [
        ("07684", MID_2023, "xã Lão Hộ, huyện Yên Dũng, tỉnh Bắc Giang"),
        ("07681", MID_2023, "thị trấn Nham Biền, huyện Yên Dũng, tỉnh Bắc Giang"),
        ("07681", ENDED_ON, "thị trấn Nham Biền, huyện Yên Dũng, tỉnh Bắc Giang"),
        ("07681", MID_2025, "phường Nham Biền, thành phố Bắc Giang, tỉnh Bắc Giang"),
        # Moved without a new name.
        ("07702", MID_2023, "xã Quỳnh Sơn, huyện Yên Dũng, tỉnh Bắc Giang"),
        ("07702", MID_2025, "xã Quỳnh Sơn, thành phố Bắc Giang, tỉnh Bắc Giang"),
        ("07552", MID_2023, "xã Kiên Lao, huyện Lục Ngạn, tỉnh Bắc Giang"),
        ("07552", MID_2025, "xã Kiên Lao, thị xã Chũ, tỉnh Bắc Giang"),
        ("07525", MID_2023, "thị trấn Chũ, huyện Lục Ngạn, tỉnh Bắc Giang"),
        ("07222", MID_2023, "xã Song Mai, thành phố Bắc Giang, tỉnh Bắc Giang"),
        ("07222", MID_2025, "phường Song Mai, thành phố Bắc Giang, tỉnh Bắc Giang"),
        ("07261", MID_2023, "xã Tam Hiệp, huyện Yên Thế, tỉnh Bắc Giang"),
        ("07261", MID_2025, "xã Tân Hiệp, huyện Yên Thế, tỉnh Bắc Giang"),
        ("07315", MID_2023, "xã Quang Tiến, huyện Tân Yên, tỉnh Bắc Giang"),
        ("07333", MID_2023, "xã Lam Cốt, huyện Tân Yên, tỉnh Bắc Giang"),
        # Resolution 938/NQ-UBTVQH15: thị xã Việt Yên and its wards from 1 February 2024.
        ("07777", datetime.date(2024, 1, 31), "thị trấn Bích Động, huyện Việt Yên, tỉnh Bắc Giang"),
        ("07777", datetime.date(2024, 2, 1), "phường Bích Động, thị xã Việt Yên, tỉnh Bắc Giang"),
    ],
)
def test_a_commune_is_addressed_as_it_was_on_the_day(bac_giang, code, day, address):
    commune = Commune.objects.select_related("district", "province").get(code=code, valid_until__gte=day)

    assert commune.address_on(day) == address


def test_a_unit_that_only_moved_district_shows_no_former_name(bac_giang):
    # Xã Quỳnh Sơn kept its name when huyện Yên Dũng joined thành phố Bắc Giang.
    assert Commune.objects.get(code="07702").former_name_periods == []
    assert [p["name"] for p in Commune.objects.get(code="07681").former_name_periods] == ["thị trấn Nham Biền"]


def test_bac_ninh_is_a_tinh_from_1_july_2025_whatever_the_package_says(whole_bac_ninh):
    bac_ninh = Province.objects.current().get(code="24")

    assert bac_ninh.division_type == DivisionType.PROVINCE
    assert str(bac_ninh) == "Tỉnh Bắc Ninh"
    assert bac_ninh.name_on(datetime.date(2025, 12, 31)) == "tỉnh Bắc Ninh"
    # The old tỉnh Bắc Ninh and tỉnh Bắc Giang keep their own rows and names.
    assert str(Province.objects.get(code="27")) == "Tỉnh Bắc Ninh"
    assert str(legacy_bac_giang()) == "Tỉnh Bắc Giang"


def test_a_2025_certificate_names_tinh_bac_ninh_and_a_2024_one_tinh_bac_giang(whole_bac_ninh):
    # The unit name an assessment and its certificate carry (scoring's unit_name_for, the end of the period).
    van_ha = Commune.objects.select_related("district", "province").current().get(code="07798")
    quang_minh = Commune.objects.select_related("district", "province").get(code="07792")
    lao_ho = Commune.objects.select_related("district", "province").get(code="07684")
    year_2025 = SimpleNamespace(period_end=datetime.date(2025, 12, 31))
    year_2024 = SimpleNamespace(period_end=datetime.date(2024, 12, 31))

    assert unit_name_for(van_ha, year_2025) == "phường Vân Hà, tỉnh Bắc Ninh"
    assert unit_name_for(quang_minh, year_2024) == "phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang"
    assert unit_name_for(lao_ho, year_2024) == "xã Lão Hộ, huyện Yên Dũng, tỉnh Bắc Giang"
    assert Province.objects.current().get(code="24").name_on(year_2025.period_end) == "tỉnh Bắc Ninh"
    assert legacy_bac_giang().name_on(year_2024.period_end) == "tỉnh Bắc Giang"


def test_a_later_change_of_type_counts_only_from_the_day_its_resolution_gives():
    # How a regrading would be recorded: the new type on the row, the old one as a dated former name.
    province = ProvinceFactory(
        code="24",
        name="Bắc Ninh",
        division_type=DivisionType.CENTRAL_CITY,
        former_names=[
            {"division_type": "tỉnh", "name": "Bắc Ninh", "valid_until": "2026-12-31", "source": "Nghị quyết …"}
        ],
    )
    province.full_clean()

    assert province.name_on(datetime.date(2025, 12, 31)) == "tỉnh Bắc Ninh"
    assert province.name_on(datetime.date(2027, 1, 1)) == "thành phố Bắc Ninh"


def test_a_former_name_entry_refuses_unknown_keys_and_bad_dates():
    from django.core.exceptions import ValidationError

    for former in (
        {"division_type": "tỉnh", "name": "Bắc Ninh", "valid_until": "2026-12-31", "note": "?"},
        {"division_type": "tỉnh", "name": "Bắc Ninh", "valid_until": "31/12/2026"},
    ):
        province = ProvinceFactory.build(code="99", former_names=[former])
        with pytest.raises(ValidationError) as error:
            province.full_clean(validate_unique=False, validate_constraints=False)
        assert "former_names" in error.value.message_dict


def test_history_keyed_by_period_never_reaches_the_other_row_with_the_same_code(monkeypatch, db):
    former = {"division_type": "tỉnh", "name": "Hà Bắc", "valid_until": "1996-12-31"}
    monkeypatch.setitem(UNIT_HISTORY, ("province", "24", LEGACY_UNTIL), {"former_names": [former], "source": "test"})

    units_load(province="24", period="all")

    assert legacy_bac_giang().former_names == [former]
    current = Province.objects.current().get(code="24")
    assert (current.former_names, current.division_type) == ([], DivisionType.PROVINCE)


# --- successors ------------------------------------------------------------------------------------


def test_ended_units_point_at_the_units_that_took_them_over(bac_giang):
    def successors(model, code):
        return [u.code for u in model.objects.get(code=code, valid_until=ENDED_ON).successors.all()]

    assert successors(District, "221") == ["213"]
    assert successors(Commune, "07684") == ["07682"]  # xã Lão Hộ → phường Tân An
    assert successors(Commune, "07204") == ["07207"]  # phường Trần Nguyên Hãn → phường Ngô Quyền
    assert successors(Commune, "07219") == ["07213"]  # phường Lê Lợi → phường Trần Phú
    # Those the sources could not settle have no link rather than a guessed one.
    assert successors(Commune, "07402") == []


def test_successors_today_follows_successors_through_both_reforms(whole_bac_ninh, django_assert_num_queries):
    lao_ho = Commune.objects.get(code="07684")
    unsourced = Commune.objects.get(code="07402")

    with django_assert_num_queries(1):  # one recursive query through 2024 and 2025
        found = successors_today(units=[lao_ho, unsourced])

    [today] = found[lao_ho.pk]
    assert today.is_current
    assert Commune.objects.get(code="07682", valid_until=LEGACY_UNTIL) in today.predecessors.all()
    assert found[unsourced.pk] == []  # successor not sourced yet: no guess
    assert successors_today(units=[legacy_bac_giang()])[legacy_bac_giang().pk] == [
        Province.objects.current().get(code="24")
    ]


def test_every_unit_of_todays_bac_ninh_has_predecessors(whole_bac_ninh):
    bac_ninh = Province.objects.current().get(code="24")

    assert bac_ninh.communes.count() == 99
    assert not bac_ninh.communes.filter(predecessors__isnull=True).exists()
    assert sorted((p.code, p.name) for p in bac_ninh.predecessors.all()) == [("24", "Bắc Giang"), ("27", "Bắc Ninh")]


# --- pages -----------------------------------------------------------------------------------------


def test_yen_dung_page_lists_its_18_communes_of_its_last_day(client, bac_giang):
    yen_dung = District.objects.get(code="221")

    assert len(commune_list_for_district(district=yen_dung)) == 18
    response = client.get(yen_dung.get_absolute_url())

    assertContains(response, "18 đơn vị hành chính cấp xã")
    assertContains(response, ">Xã Lão Hộ</a>")
    assertContains(response, ">Phường Nham Biền</a>")


def test_city_page_lists_the_wards_that_ended_earlier_with_their_successors(client, bac_giang):
    city = District.objects.get(code="213").get_absolute_url()
    tran_nguyen_han = Commune.objects.get(code="07204").get_absolute_url()
    ngo_quyen = Commune.objects.get(code="07207").get_absolute_url()

    # In English: the Vietnamese of the new heading reaches locale/ when the translations are merged.
    response = client.get(f"/en{city}")

    assertContains(response, "34 commune-level units")
    assertContains(response, "Commune-level units that ended earlier")
    assertContains(response, f'<a href="/en{tran_nguyen_han}">Phường Trần Nguyên Hãn</a>')
    assertContains(response, f'→ <a href="/en{ngo_quyen}">Phường Ngô Quyền</a>')


# --- the sourced list itself -----------------------------------------------------------------------


def test_every_history_entry_names_its_source():
    assert all(entry.get("source") for entry in UNIT_HISTORY.values())
    for ended in ENDED_BEFORE_SNAPSHOT.values():
        for entry in ended["districts"] + ended["communes"]:
            assert entry["source"]
            assert isinstance(entry["verified"], bool)
            assert entry["verified"] or entry["reason"]


def test_the_ended_units_are_absent_from_the_package_and_their_successors_present():
    legacy_codes = {f"{int(w.code):05d}" for w in legacy_pkg.Ward.iter_by_province(24)}
    district_codes = {f"{int(d.code):03d}" for d in legacy_pkg.District.iter_by_province(24)}

    for entry in bac_giang_2025.ENDED_COMMUNES:
        assert entry["code"] not in legacy_codes
        assert entry["district"] in district_codes | {"221"}
        assert set(entry["successors"]) | set(entry.get("candidates", [])) <= legacy_codes
    for entry in bac_giang_2025.ENDED_DISTRICTS:
        assert entry["code"] not in district_codes
        assert set(entry["successors"]) <= district_codes
    assert set(bac_giang_2025.CHANGED_COMMUNES) <= legacy_codes
    assert len(bac_giang_2025.ENDED_COMMUNES) == 17


def test_history_for_leaves_the_source_out():
    assert unit_history.history_for("province", "24", None) == {"division_type": "tỉnh"}
    assert unit_history.history_for("province", "24", LEGACY_UNTIL) == {}
