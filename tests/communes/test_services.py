"""units_load against the real vietnam-provinces data: Bắc Giang before 1 July 2025 and Bắc Ninh today.

Bắc Giang (code 24) was merged into Bắc Ninh, which took over the code, so both provinces exist with
the same code in different periods.
"""

import datetime

import pytest
from django.db.models import F
from django.utils import translation

from communes.data.unit_history import CURRENT_FROM, LEGACY_UNTIL
from communes.models import Commune, District, Province
from communes.services import UnitsError, units_load

pytestmark = pytest.mark.django_db

MODELS = (Province, District, Commune, Province.successors.through, Commune.successors.through)


# Tỉnh Bắc Giang on 30 June 2025 (10 districts, 195 communes), and what ended on 31 December 2024
# (huyện Yên Dũng and 17 communes).
LEGACY_ROWS = 1 + 10 + 195 + 1 + 17


def row_counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def legacy_load():
    return units_load(province="Bắc Giang", period="legacy")


def current_load():
    return units_load(province="Bắc Ninh", period="current")


def test_units_load_legacy_bac_giang_creates_the_province_ten_districts_and_195_communes():
    result = legacy_load()

    [province] = result.provinces
    assert (province.code, str(province), province.valid_until) == ("24", "Tỉnh Bắc Giang", LEGACY_UNTIL)
    assert Province.objects.count() == 1
    assert District.objects.filter(province=province, valid_until=LEGACY_UNTIL).count() == 10
    assert Commune.objects.filter(province=province, valid_until=LEGACY_UNTIL).count() == 195
    # And the units that ended on 31 December 2024, from the sourced list.
    assert District.objects.filter(province=province, valid_until=datetime.date(2024, 12, 31)).count() == 1
    assert Commune.objects.filter(province=province, valid_until=datetime.date(2024, 12, 31)).count() == 17
    assert not Commune.objects.filter(district__isnull=True).exists()
    # A commune's district belongs to the commune's own province.
    assert Commune.objects.filter(district__province=province).count() == Commune.objects.count() == 195 + 17
    assert result.created == LEGACY_ROWS
    assert (result.updated, result.unchanged) == (0, 0)


def test_units_load_current_bac_ninh_creates_99_communes_without_districts():
    result = current_load()

    [province] = result.provinces
    assert (province.code, province.valid_from, province.valid_until) == ("24", CURRENT_FROM, None)
    assert province.is_current
    assert District.objects.count() == 0
    assert province.communes.count() == 99
    assert province.communes.current().filter(district__isnull=True, valid_from=CURRENT_FROM).count() == 99
    assert result.created == 1 + 99


def test_units_load_keeps_legacy_bac_giang_and_current_bac_ninh_under_the_same_code(real_units):
    legacy, current = Province.objects.filter(code="24").order_by(F("valid_until").desc(nulls_last=True))

    assert (legacy.name, legacy.valid_until) == ("Bắc Giang", LEGACY_UNTIL)
    assert (current.name, current.valid_until) == ("Bắc Ninh", None)
    assert Province.objects.current().get(code="24") == current


def test_units_load_is_idempotent(real_units):
    before = row_counts()
    assert before["Province_successors"] == 1

    for result in (legacy_load(), current_load()):
        assert (result.created, result.updated, result.links_created) == (0, 0, 0)
        assert result.unchanged > 0

    assert row_counts() == before


def test_units_load_reports_unchanged_rows_on_a_second_run():
    legacy_load()

    result = legacy_load()

    assert result.unchanged == LEGACY_ROWS


@pytest.mark.parametrize(
    ("model", "code", "edit", "field", "expected"),
    [
        (Commune, "07792", {"name": "Quảng Minh Mới"}, "name", "Quảng Minh"),
        (
            District,
            "222",
            {"former_names": []},
            "former_names",
            [
                {
                    "division_type": "huyện",
                    "name": "Việt Yên",
                    "valid_until": "2024-01-31",
                    "source": "Nghị quyết 938/NQ-UBTVQH15 ngày 13/12/2023, hiệu lực 01/02/2024",
                }
            ],
        ),
        (District, "224", {"valid_from": None}, "valid_from", datetime.date(2025, 1, 1)),
    ],
)
def test_units_load_restores_a_row_edited_by_hand_and_counts_it_as_updated(model, code, edit, field, expected):
    legacy_load()
    model.objects.filter(code=code).update(**edit)

    result = legacy_load()

    assert (result.created, result.updated, result.unchanged) == (0, 1, LEGACY_ROWS - 1)
    assert getattr(model.objects.get(code=code), field) == expected


def test_units_load_refolds_the_search_name_of_a_restored_row():
    legacy_load()
    Commune.objects.filter(code="07792").update(name="Tên sai")

    legacy_load()

    assert Commune.objects.get(code="07792").search_name == "quang minh"


def test_units_load_restores_a_successor_link_removed_by_hand(real_units):
    quang_minh = Commune.objects.get(code="07792")
    quang_minh.successors.clear()
    links = Commune.successors.through.objects.count()

    result = current_load()

    assert result.links_created == 1
    assert Commune.successors.through.objects.count() == links + 1
    assert [c.code for c in quang_minh.successors.all()] == ["07798"]


def test_units_load_rejects_an_unknown_province_and_writes_nothing():
    with pytest.raises(UnitsError) as error, translation.override("en"):
        units_load(province="Atlantis", period="all")

    assert str(error.value) == "No province called “Atlantis” is known in the pre- or post-2025 list of units."
    assert set(row_counts().values()) == {0}


def test_units_load_names_the_unknown_province_in_vietnamese():
    with pytest.raises(UnitsError) as error, translation.override("vi"):
        units_load(province="Atlantis", period="legacy")

    assert str(error.value) == (
        "Không tìm thấy tỉnh, thành phố nào có tên “Atlantis” trong danh mục đơn vị hành chính trước ngày 01/7/2025."
    )


@pytest.mark.parametrize("typo", ["Bac Giangg", "Bắc Gian", "bac giangg"])
def test_units_load_suggests_the_closest_name_for_a_typo(typo):
    with pytest.raises(UnitsError) as error, translation.override("en"):
        units_load(province=typo, period="legacy")

    assert f"“{typo}”" in str(error.value)
    assert "Did you mean: Bắc Giang" in str(error.value)
    assert set(row_counts().values()) == {0}


def test_units_load_suggests_only_provinces_that_exist_in_the_period_searched():
    with pytest.raises(UnitsError) as error, translation.override("en"):
        units_load(province="Bắc Giang", period="current")

    # Bắc Giang and Hà Giang ended on 30 June 2025: suggesting them for today's list sends the user in a circle.
    suggested = str(error.value).partition("Did you mean:")[2]
    assert "Bắc Giang" not in suggested
    assert "Hà Giang" not in suggested


def test_units_load_rejects_an_unknown_period():
    with pytest.raises(UnitsError) as error, translation.override("en"):
        units_load(province="Bắc Giang", period="1990")

    assert str(error.value) == "Unknown period “1990”."
    assert set(row_counts().values()) == {0}


def test_units_load_rejects_a_province_that_does_not_exist_in_the_period():
    with pytest.raises(UnitsError):
        units_load(province="Bắc Giang", period="current")

    assert set(row_counts().values()) == {0}


@pytest.mark.parametrize("query", ["bac giang", "BẮC GIANG", "  Bắc   Giang ", "tỉnh Bắc Giang", "Tinh Bac Giang"])
def test_units_load_finds_a_province_whatever_its_diacritics_case_or_prefix(query):
    result = units_load(province=query, period="legacy")

    assert [str(p) for p in result.provinces] == ["Tỉnh Bắc Giang"]
    assert result.created == LEGACY_ROWS


def test_units_load_finds_a_province_by_its_code():
    result = units_load(province="24", period="legacy")

    assert [str(p) for p in result.provinces] == ["Tỉnh Bắc Giang"]


def test_units_load_by_code_in_all_periods_loads_both_units_that_bore_it():
    result = units_load(province="24", period="all")

    assert sorted(p.name for p in result.provinces) == ["Bắc Giang", "Bắc Ninh"]
    assert Province.objects.get(code="24", valid_until=LEGACY_UNTIL).successors.get().name == "Bắc Ninh"


def test_viet_yen_is_named_huyen_until_31_january_2024_and_thi_xa_after(real_units):
    # Resolution 938/NQ-UBTVQH15, in force from 1 February 2024.
    viet_yen = District.objects.get(code="222")

    assert str(viet_yen) == "Thị xã Việt Yên"
    assert viet_yen.name_on(datetime.date(2023, 6, 1)) == "huyện Việt Yên"
    assert viet_yen.name_on(datetime.date(2024, 1, 31)) == "huyện Việt Yên"
    assert viet_yen.name_on(datetime.date(2024, 2, 1)) == "thị xã Việt Yên"
    assert viet_yen.name_on(datetime.date(2024, 6, 1)) == "thị xã Việt Yên"


def test_quang_minh_address_in_2023_reads_as_it_was_then(real_units):
    quang_minh = Commune.objects.get(code="07792")

    assert quang_minh.address_on(datetime.date(2023, 5, 1)) == "xã Quảng Minh, huyện Việt Yên, tỉnh Bắc Giang"
    assert quang_minh.address_on(datetime.date(2025, 5, 1)) == "phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang"


def test_quang_minh_is_succeeded_by_phuong_van_ha(real_units):
    quang_minh = Commune.objects.get(code="07792")
    van_ha = Commune.objects.current().get(code="07798")

    assert list(quang_minh.successors.all()) == [van_ha]
    assert str(van_ha) == "Phường Vân Hà"
    assert quang_minh in van_ha.predecessors.all()


def test_legacy_bac_giang_is_succeeded_by_current_bac_ninh(real_units):
    bac_giang = Province.objects.get(code="24", valid_until=LEGACY_UNTIL)
    bac_ninh = Province.objects.current().get(code="24")

    assert list(bac_giang.successors.all()) == [bac_ninh]
    assert list(bac_ninh.predecessors.all()) == [bac_giang]
    assert list(bac_ninh.successors.all()) == []


def test_units_load_links_successors_whichever_period_is_loaded_first():
    current_load()
    result = legacy_load()

    assert result.links_created > 0
    assert Province.objects.get(valid_until=LEGACY_UNTIL).successors.get().name == "Bắc Ninh"
    assert [c.code for c in Commune.objects.get(code="07792").successors.all()] == ["07798"]


def test_thi_xa_chu_begins_on_1_january_2025(real_units):
    chu = District.objects.get(code="224")

    assert str(chu) == "Thị xã Chũ"
    assert (chu.valid_from, chu.valid_until) == (datetime.date(2025, 1, 1), LEGACY_UNTIL)
    assert chu not in District.objects.on(datetime.date(2024, 12, 31))
    assert chu in District.objects.on(datetime.date(2025, 1, 1))
