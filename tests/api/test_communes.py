"""The communes app's API: units with their periods and successors, one-stop pages, procedures and
disclosures as the public pages show them, and the pushes of the province's one-stop dossier system.

One scene for the module (tests/api/test_matrix.py explains the pattern): the real units of Bắc Giang
before the 2025 reform and of Bắc Ninh today, where a citizen of phường Quảng Minh lives in phường Vân Hà;
each test's writes roll back after it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import translation
from rest_framework.test import APIClient

from accounts.api_keys import api_key_issue
from accounts.models import ApiCall, ApiScope
from communes.models import (
    FIGURES,
    Commune,
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DisclosureCategory,
    DisclosureList,
    District,
    DossierStatistics,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OnlineLevel,
    OpeningException,
    OpeningHours,
    Procedure,
    Province,
)
from communes.selectors.disclosures import disclosure_list_items
from communes.services.pushes import DUPLICATE_IN_REQUEST
from communes.services.statistics import (
    DUPLICATE_MONTH,
    EMPTY_FIGURE,
    RESOLVED_OVER_RECEIVED,
    UNKNOWN_COMMUNE,
    last_complete_month,
)
from core import clock
from core.web import absolute_url
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.conftest import real_units_load
from tests.portal.factories import UserFactory

API = "/api/v1"
VERIFIER_EMAIL = "nguoi.xac.nhan@example.vn"
LEGACY_MONTH = "2025-05"  # before the reform: the units of Bắc Giang


@dataclass
class Scene:
    bac_giang: Province  # ended on 30 June 2025
    bac_ninh: Province  # took Bắc Giang over
    viet_yen: District
    quang_minh: Commune  # phường Quảng Minh (thị xã Việt Yên), ended on 30 June 2025
    van_ha: Commune  # phường Vân Hà, today's, which took Quảng Minh over
    elsewhere: Province  # one district, one commune, one procedure
    elsewhere_commune: Commune
    keys: dict  # raw keys: "bac_ninh" (every scope), "procedures_only", "elsewhere"


def _procedure(province, code: str, name: str, field: str, **fields) -> Procedure:
    values = {"fee": "Miễn phí", "online_level": OnlineLevel.FULL, **fields}
    return Procedure.objects.create(province=province, code=code, name=name, field=field, **values)


def _disclosure(commune, title: str, published_on: datetime.date, category=DisclosureCategory.BUDGET) -> Disclosure:
    return Disclosure.objects.create(
        commune=commune,
        title=title,
        category=category,
        decision_date=published_on,
        published_on=published_on,
        posted_until=published_on + datetime.timedelta(days=30),
        document=f"disclosures/{published_on.year}/{title}.pdf",
    )


def _one_stop_shop(commune) -> None:
    shop = OneStopShop.objects.create(
        commune=commune,
        address="Số 1 đường Thân Nhân Trung",
        phone="0204 3871 234",
        email="motcua.vanha@bacninh.gov.vn",
        verified_on=clock.today() - datetime.timedelta(days=10),
        verified_by=UserFactory(email=VERIFIER_EMAIL),
    )
    for day in range(5):
        OpeningHours.objects.create(shop=shop, weekday=day, opens=datetime.time(7, 30), closes=datetime.time(11, 30))
    OpeningException.objects.create(
        shop=shop, date=clock.today() + datetime.timedelta(days=3), closed=True, reason="Tổng vệ sinh trụ sở"
    )
    DutyLeader.objects.create(shop=shop, weekday=0, full_name="Nguyễn Văn An", title="Phó Chủ tịch UBND phường")
    CounterOfficer.objects.create(
        shop=shop, full_name="Trần Thị Bình", title="Công chức", field="Hộ tịch", duty_days=[0]
    )
    Facility.objects.create(shop=shop, kind=FacilityKind.FREE_WIFI, available=True, note="Mật khẩu tại quầy")


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        real_units_load()
        quang_minh = Commune.objects.get(code="07792", valid_until__isnull=False)
        van_ha = Commune.objects.current().get(code="07798")
        _one_stop_shop(van_ha)
        bac_ninh = van_ha.province
        birth = _procedure(bac_ninh, "1.001193", "Đăng ký khai sinh", "Hộ tịch", same_day=True)
        death = _procedure(bac_ninh, "1.000656", "Đăng ký khai tử", "Hộ tịch", time_limit_days=3)
        copy = _procedure(bac_ninh, "2.000815", "Chứng thực bản sao", "Chứng thực", fee="2.000 đồng/trang")
        for procedure in (birth, death, copy):
            CommuneProcedure.objects.create(commune=van_ha, procedure=procedure, local_notes="Quầy số 2")
        published = [_disclosure(van_ha, f"Công khai {n}", datetime.date(2025, 10, n)) for n in (1, 2, 3)]
        _disclosure(van_ha, "Thủ tục hành chính", datetime.date(2025, 10, 4), DisclosureCategory.PROCEDURES)
        for year, quarter in ((2025, 3), (2025, 4)):
            DisclosureList.objects.create(
                commune=van_ha,
                year=year,
                quarter=quarter,
                items=disclosure_list_items(commune=van_ha, year=year, quarter=quarter),
                published_on=datetime.date(year + 1 if quarter == 4 else year, 1 if quarter == 4 else 10, 5),
            )
        published[0].delete()  # withdrawn after the list was posted: the list keeps its line, unlinked
        elsewhere = ProvinceFactory(code="99", name="Tỉnh khác")
        elsewhere_commune = CommuneFactory(province=elsewhere, district=DistrictFactory(province=elsewhere))
        CommuneProcedure.objects.create(
            commune=elsewhere_commune, procedure=_procedure(elsewhere, "1.000001", "Thủ tục khác", "Khác")
        )
        _disclosure(elsewhere_commune, "Công khai khác", datetime.date(2025, 10, 1))
        DisclosureList.objects.create(
            commune=elsewhere_commune, year=2025, quarter=4, items=[], published_on=datetime.date(2026, 1, 5)
        )
        keys = {
            name: api_key_issue(province=province, name="Hệ thống một cửa", scopes=scopes, by=None)[1]
            for name, province, scopes in (
                ("bac_ninh", bac_ninh, ApiScope.values),
                ("procedures_only", bac_ninh, [ApiScope.PROCEDURES]),
                ("elsewhere", elsewhere, ApiScope.values),
            )
        }
        yield Scene(
            bac_giang=quang_minh.province,
            bac_ninh=bac_ninh,
            viet_yen=quang_minh.district,
            quang_minh=quang_minh,
            van_ha=van_ha,
            elsewhere=elsewhere,
            elsewhere_commune=elsewhere_commune,
            keys=keys,
        )
        transaction.set_rollback(True)


def client(key: str | None = None) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if key:
        api.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return api


def english(message) -> str:
    with translation.override("en"):
        return str(message)


def codes(units: list[dict]) -> list[str]:
    return [unit["code"] for unit in units]


# --- Units -------------------------------------------------------------------------------------------


def test_commune_search_finds_an_ended_unit_and_where_it_went(db, scene):
    found = client().get(f"{API}/communes/", {"q": "quang minh"}).json()["results"]
    quang_minh = next(unit for unit in found if unit["id"] == scene.quang_minh.pk)
    assert quang_minh["is_current"] is False
    assert codes(quang_minh["successors_today"]) == ["07798"]
    assert quang_minh["district"]["official_name"] == "Thị xã Việt Yên"
    # Vân Hà is found by the name of a unit it took over, and the units in force come first.
    assert scene.van_ha.pk in [unit["id"] for unit in found]
    in_force = [unit["is_current"] for unit in found]
    assert in_force == sorted(in_force, reverse=True)

    current = client().get(f"{API}/communes/", {"q": "quang minh", "current": "true"}).json()["results"]
    assert scene.van_ha.pk in [unit["id"] for unit in current]
    assert all(unit["is_current"] for unit in current)


def test_commune_list_names_each_unit_as_it_was_named_on_the_day_asked(db, scene):
    answer = client().get(f"{API}/communes/", {"on": "2024-01-15", "district": scene.viet_yen.pk, "page_size": 200})
    units = {unit["id"]: unit for unit in answer.json()["results"]}
    # A xã until 31 January 2024, a phường after.
    assert units[scene.quang_minh.pk]["official_name"] == "Xã Quảng Minh"
    assert units[scene.quang_minh.pk]["division_type_label"] == "commune"
    assert all(unit["valid_until"] is None or unit["valid_until"] >= "2024-01-15" for unit in units.values())
    today = client().get(f"{API}/communes/{scene.quang_minh.pk}/").json()
    assert today["official_name"] == "Phường Quảng Minh"

    refused = client().get(f"{API}/communes/", {"on": "15/01/2024", "province": "x"}).json()
    assert refused["code"] == "invalid" and set(refused["fields"]) == {"on", "province"}


def test_commune_detail_gives_its_history_and_its_parents_as_they_were(db, scene):
    ended = client().get(f"{API}/communes/{scene.quang_minh.pk}/").json()
    assert ended["valid_until"] == "2025-06-30"
    assert ended["former_names"] == [{"name": "xã Quảng Minh", "valid_until": "2024-01-31"}]
    assert ended["province"]["official_name"] == "Tỉnh Bắc Giang"
    assert ended["district"]["official_name"] == "Thị xã Việt Yên"
    assert ended["address"] == "phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang"
    assert codes(ended["successors_today"]) == codes(ended["successors"]) == ["07798"]
    assert ended["page_url"] == absolute_url(f"/en/communes/{scene.quang_minh.pk}/")

    van_ha = client().get(f"{API}/communes/{scene.van_ha.pk}/").json()
    assert van_ha["district"] is None and van_ha["province"]["official_name"] == "Tỉnh Bắc Ninh"
    assert "07792" in codes(van_ha["predecessors"]) and van_ha["successors_today"] == []

    district = client().get(f"{API}/districts/{scene.viet_yen.pk}/").json()
    assert "07792" in codes(district["communes"])
    assert client().get(f"{API}/communes/{2**40}/").status_code == 404


# --- One-stop page, procedures, disclosures -------------------------------------------------------


def test_one_stop_page_shows_what_the_commune_page_shows(db, scene):
    answer = client().get(f"{API}/communes/{scene.van_ha.pk}/one-stop/")
    page = answer.json()
    assert page["shop"]["address"] == "Số 1 đường Thân Nhân Trung"
    assert page["shop"]["is_stale"] is False
    assert [day["label"] for day in page["week"]][:2] == ["Monday", "Tuesday"]
    assert page["week"][0]["sessions"] == [{"opens": "07:30", "closes": "11:30"}]
    assert page["today"]["date"] == clock.today().isoformat()
    assert "Tổng vệ sinh trụ sở" in [day["reason"] for day in page["special_days"]]
    assert page["duty_week"][0]["leader"] == {"full_name": "Nguyễn Văn An", "title": "Phó Chủ tịch UBND phường"}
    assert page["officers"][0]["full_name"] == "Trần Thị Bình" and page["officers"][0]["duty_day_labels"] == ["Monday"]
    assert len(page["facilities"]) == len(FacilityKind)
    wifi = next(row for row in page["facilities"] if row["kind"] == FacilityKind.FREE_WIFI)
    assert wifi["available"] is True and wifi["note"] == "Mật khẩu tại quầy"
    # Who confirmed the page is the back office's business, not the public's.
    assert VERIFIER_EMAIL not in answer.content.decode() and "verified_by" not in page["shop"]

    history = client().get(f"{API}/communes/{scene.quang_minh.pk}/one-stop/").json()
    assert history["is_history"] is True and history["today"] is None and history["special_days"] == []
    assert history["ended_on"] == "2025-07-01" and codes(history["successors_today"]) == ["07798"]


def test_procedures_of_a_commune_and_of_its_province(db, scene):
    handled = client().get(f"{API}/communes/{scene.van_ha.pk}/procedures/", {"field": "Hộ tịch"}).json()
    assert [row["name"] for row in handled["results"]] == ["Đăng ký khai sinh", "Đăng ký khai tử"]
    birth, death = handled["results"]
    assert birth["time_limit_label"] == "Within the day" and death["time_limit_label"] == "3 working days"
    assert birth["local_notes"] == "Quầy số 2" and birth["online_level_label"] == "fully online"
    assert birth["page_url"].endswith(f"/en/communes/{scene.van_ha.pk}/procedures/1.001193/")

    catalogue = client().get(f"{API}/provinces/{scene.bac_ninh.pk}/procedures/").json()
    assert {row["code"]: row["commune_count"] for row in catalogue["results"]} == {
        "1.001193": 1,
        "1.000656": 1,
        "2.000815": 1,
    }


def test_disclosures_and_the_quarterly_lists_as_posted(db, scene):
    url = f"{API}/communes/{scene.van_ha.pk}"
    budget = client().get(f"{url}/disclosures/", {"category": DisclosureCategory.BUDGET}).json()
    assert [row["title"] for row in budget["results"]] == ["Công khai 3", "Công khai 2"]
    assert budget["results"][0]["document_url"].startswith(absolute_url("/en/communes/"))
    refused = client().get(f"{url}/disclosures/", {"category": "15_secret"}).json()
    assert refused["code"] == "invalid" and "category" in refused["fields"]

    lists = client().get(f"{url}/disclosure-lists/").json()
    assert [(row["year"], row["quarter"]) for row in lists] == [(2025, 4), (2025, 3)]
    posted = client().get(lists[0]["url"]).json()
    titles = ["Công khai 1", "Công khai 2", "Công khai 3", "Thủ tục hành chính"]
    assert [row["title"] for row in posted["rows"]] == titles
    withdrawn = posted["rows"][0]
    assert withdrawn["still_published"] is False and withdrawn["document_url"] is None
    assert client().get(f"{url}/disclosure-lists/2024/1/").status_code == 404


def test_lists_cost_the_same_queries_for_one_row_as_for_many(db, scene, django_assert_max_num_queries):
    one, many = scene.elsewhere_commune, scene.van_ha
    cases = [
        ("/communes/?province={}", scene.elsewhere.pk, scene.bac_giang.pk, 3),
        ("/communes/?q={}", "Khác", "Bắc Giang", 3),
        ("/districts/?province={}", scene.elsewhere.pk, scene.bac_giang.pk, 3),
        ("/communes/{}/procedures/", one.pk, many.pk, 3),
        ("/provinces/{}/procedures/", scene.elsewhere.pk, scene.bac_ninh.pk, 3),
        ("/communes/{}/disclosures/", one.pk, many.pk, 3),
        ("/communes/{}/disclosure-lists/", one.pk, many.pk, 2),
    ]
    for path, few, lots, queries in cases:
        sizes = []
        for value in (few, lots):
            with django_assert_max_num_queries(queries):
                answer = client().get(API + path.format(value))
            rows = answer.json()
            sizes.append(len(rows["results"] if isinstance(rows, dict) else rows))
        assert sizes[0] == 1 and sizes[1] > 1, (path, sizes)


# --- The province's systems ------------------------------------------------------------------------


def _row(commune_code: str, month: str, **figures) -> dict:
    return {"commune_code": commune_code, "month": month, **dict.fromkeys(FIGURES, 0), "received": 10, **figures}


def test_statistics_push_saves_every_row_and_a_replay_gets_the_first_answer(db, scene):
    month = last_complete_month(commune=scene.van_ha).strftime("%Y-%m")
    # 07798 is Vân Hà today and was phường Ninh Sơn before the reform: the month tells which.
    rows = [_row("07798", month), _row("07798", LEGACY_MONTH), _row("07792", LEGACY_MONTH, resolved_on_time=4)]
    url = f"{API}/provinces/{scene.bac_ninh.pk}/dossier-statistics/"
    system = client(scene.keys["bac_ninh"])

    answer = system.post(url, {"rows": rows}, format="json", HTTP_IDEMPOTENCY_KEY="thang-11")
    assert answer.status_code == 201, answer.content
    months = [{"month": LEGACY_MONTH, "communes": 2}, {"month": month, "communes": 1}]
    assert answer.json() == {"created": 3, "updated": 0, "unchanged": 0, "months": months}
    saved = DossierStatistics.objects.get(commune=scene.quang_minh)
    assert saved.resolved_on_time == 4 and saved.history.get().history_user is None
    assert DossierStatistics.objects.filter(commune=scene.van_ha).count() == 1

    replay = system.post(url, {"rows": rows}, format="json", HTTP_IDEMPOTENCY_KEY="thang-11")
    assert replay.json() == answer.json() and replay["Idempotent-Replayed"] == "true"
    assert DossierStatistics.objects.count() == 3
    # Every call a key makes is logged with it.
    assert ApiCall.objects.filter(key__province=scene.bac_ninh, path=url).count() == 2

    again = system.post(url, {"rows": rows[:1]}, format="json")
    assert again.status_code == 200 and again.json()["unchanged"] == 1


def test_statistics_push_keeps_nothing_when_a_row_is_wrong_and_says_why_as_the_import(db, scene):
    url = f"{API}/provinces/{scene.bac_ninh.pk}/dossier-statistics/"
    rows = [
        _row("07792", LEGACY_MONTH),
        _row("99999", LEGACY_MONTH),
        _row("07792", LEGACY_MONTH),
        _row("07792", "2025-04", resolved_early=11, pending=None),
    ]
    answer = client(scene.keys["bac_ninh"]).post(url, {"rows": rows}, format="json")
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "rows.1.commune_code": [english(UNKNOWN_COMMUNE)],
        "rows.2.month": [english(DUPLICATE_MONTH % {"row": 0})],
        "rows.3.received": [english(RESOLVED_OVER_RECEIVED % {"resolved": 11, "received": 10})],
        "rows.3.pending": [english(EMPTY_FIGURE)],
    }
    assert not DossierStatistics.objects.exists()

    shapeless = client(scene.keys["bac_ninh"]).post(url, {"rows": [{"commune_code": "07792"}]}, format="json")
    assert "rows.0.received" in shapeless.json()["fields"]


def test_pushes_take_only_the_provinces_own_key_with_the_scope(db, scene):
    url = f"{API}/provinces/{scene.bac_ninh.pk}/dossier-statistics/"
    body = {"rows": [_row("07792", LEGACY_MONTH)]}
    assert client(scene.keys["elsewhere"]).post(url, body, format="json").status_code == 404
    assert client(scene.keys["procedures_only"]).post(url, body, format="json").status_code == 403
    assert client().post(url, body, format="json").status_code == 401
    # Bắc Ninh's key also reaches the province it replaced.
    replaced = f"{API}/provinces/{scene.bac_giang.pk}/dossier-statistics/"
    assert client(scene.keys["bac_ninh"]).post(replaced, body, format="json").status_code == 201
    assert not DossierStatistics.objects.filter(commune__province=scene.elsewhere).exists()


def _entry(code: str, name: str, **fields) -> dict:
    entry = {"code": code, "name": name, "field": "Hộ tịch", "steps": ["Nộp hồ sơ"], "documents": ["Tờ khai"]}
    return {**entry, "fee": "Miễn phí", "online_level": "partial", **fields}


def test_catalogue_push_creates_corrects_and_leaves_unchanged_entries_alone(db, scene):
    url = f"{API}/provinces/{scene.bac_ninh.pk}/procedures/"
    system = client(scene.keys["procedures_only"])
    entries = [
        _entry("1.004884", "Đăng ký kết hôn", steps=["Nộp tờ khai", " ", "Nhận kết quả "], time_limit_days=5),
        _entry("1.001022", "Đăng ký nhận cha, mẹ, con"),
    ]
    created = system.post(url, {"procedures": entries}, format="json")
    assert created.status_code == 201, created.content
    assert [row["result"] for row in created.json()["procedures"]] == ["created", "created"]
    marriage = Procedure.objects.get(province=scene.bac_ninh, code="1.004884")
    assert marriage.steps == ["Nộp tờ khai", "Nhận kết quả"] and marriage.history.get().history_user is None

    unchanged = system.post(url, {"procedures": entries}, format="json")
    assert unchanged.status_code == 200 and unchanged.json()["unchanged"] == 2
    assert marriage.history.count() == 1

    corrected = system.post(url, {"procedures": [{**entries[0], "fee": "Miễn phí lần đầu"}]}, format="json")
    assert corrected.json()["updated"] == 1
    assert Procedure.objects.get(pk=marriage.pk).fee == "Miễn phí lần đầu"


def test_catalogue_push_keeps_nothing_when_an_entry_is_wrong(db, scene):
    url = f"{API}/provinces/{scene.bac_ninh.pk}/procedures/"
    system = client(scene.keys["bac_ninh"])
    entries = [_entry("1.004884", "Đăng ký kết hôn"), _entry("1.004884", "Đăng ký kết hôn lại")]
    answer = system.post(url, {"procedures": entries}, format="json")
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"procedures.1.code": [english(DUPLICATE_IN_REQUEST % {"index": 0})]}
    assert not Procedure.objects.filter(code="1.004884").exists()

    shapeless = system.post(url, {"procedures": [{**entries[0], "online_level": "sometimes"}]}, format="json")
    assert list(shapeless.json()["fields"]) == ["procedures.0.online_level"]
    assert client(scene.keys["elsewhere"]).post(url, {"procedures": entries[:1]}, format="json").status_code == 404
