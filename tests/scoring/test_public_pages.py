"""The public scoring pages: a result explained, the stars over the years through the 2025
reorganisation, the province's rankings and their Excel export, and the commune page's stars.

Pages are read in English (under /en/) so that the assertions do not depend on the translations.
"""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Role
from communes.services import statistics_save
from scoring.models import Line, Status
from scoring.services import (
    assessment_appraise,
    criteria_set_load,
    criteria_set_publish,
    decision_approve,
    decision_draft,
    decision_issue,
)
from scoring.services.criteria import CRITERIA_FILE
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role
from tests.scoring.factories import advance, fill_self, open_assessment, published_set

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
REASON = "Thẩm định theo hồ sơ."
# One month of dossier figures: 38 resolved, 35 of them early or on time.
DOSSIERS = {
    "received": 40,
    "resolved_early": 10,
    "resolved_on_time": 25,
    "resolved_late": 3,
    "late_with_apology": 2,
    "resolved_same_day": 20,
    "submitted_online": 15,
    "paid_online": 5,
    "digitised": 30,
    "pending": 2,
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def lenient_set(province, year: int = 2025):
    """The project's set without the survey-minimum and group-share knock-outs, so that points alone
    decide the stars."""
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["knockouts"] = {**data["knockouts"], "survey_minimum": False, "group_share": "0"}
    return criteria_set_publish(criteria_set=criteria_set_load(province=province, year=year, data=data), by=None)


def scored(commune, criteria_set, share: str, *, to: str = Status.FINAL, by=None, today=None):
    """An assessment whose every line DoHA appraised at ``share`` of its points, taken up to ``to``."""
    assessment = advance(fill_self(open_assessment(commune, criteria_set, by=by), by=by), Status.REVIEWED, by=by)
    scores = {
        line.pk: ((line.criterion.max_points * Decimal(share)).quantize(CENT), REASON)
        for line in assessment.lines.select_related("criterion")
    }
    assessment = assessment_appraise(assessment=assessment, by=by, scores=scores)
    return advance(assessment, to, by=by, today=today)


def finished(commune, criteria_set=None, *, to: str = Status.FINAL, by=None):
    return advance(fill_self(open_assessment(commune, criteria_set, by=by), by=by), to, by=by)


def section(response, html_id: str) -> str:
    """The element with ``html_id``, up to the next element with an id at the same depth (roughly)."""
    content = response.content.decode()
    start = content.index(f'id="{html_id}"')
    return content[start : start + 6000]


# --- One result explained -------------------------------------------------------------------------


def test_result_page_explains_every_line_total_band_and_knockouts(client):
    commune = CommuneFactory(legacy=True)
    assessment = advance(fill_self(open_assessment(commune)), Status.REVIEWED)
    g11 = assessment.lines.get(criterion__code="G1.1")
    reason = "Thiếu biên bản hội nghị."
    advance(assessment_appraise(assessment=assessment, by=None, scores={g11.pk: (Decimal("1.00"), reason)}), "final")

    response = client.get(reverse("scoring:result", args=[commune.pk, 2025]))

    assert response.status_code == 200
    assert "41.00 points" in section(response, "result-total")  # 42 proposed, 1 taken off G1.1
    assert "Not recognised" in section(response, "result-band")
    knockouts = section(response, "result-knockouts")
    # No unit had a survey answer in 2025: G5.1 has no data for the year, which is no knock-out.
    assert "Criterion G5.1 has fewer survey answers than required." not in knockouts
    assert "Group G2 reached less than 50% of its points." in knockouts
    assert "Final results." in section(response, "result-status")
    g1 = section(response, "criterion-g11")
    assert "1.00 of 2" in g1
    assert "Appraised score: 1.00 (the commune's side put forward 2.00)." in g1
    assert "Thiếu biên bản hội nghị." in g1
    assert "The commune scores itself and uploads the evidence index" in g1  # the criterion's guidance
    g16 = assessment.lines.get(criterion__code="G1.6")
    assert f"?line={g16.pk}&amp;file=evidence" in section(response, "criterion-g16")
    download = client.get(reverse("scoring:result", args=[commune.pk, 2025]), {"line": g16.pk, "file": "evidence"})
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Type"] == "application/pdf"
    feedback = section(response, "criterion-g42")  # no feedback in the period: nothing handled late
    assert "100.0%" in feedback
    assert "0 rows of data" in feedback
    assert "5.00 of 5" in feedback
    assert "0 points at or below 80%, full points from 100%" in feedback
    assert "Data from 01/01/2025 to 31/10/2025" in section(response, "data")


def test_result_counts_the_data_of_the_units_merged_into_the_ward(client):
    legacy = CommuneFactory(legacy=True, name="Quảng Minh")
    ward = CommuneFactory(name="Vân Hà")
    ward.predecessors.add(legacy)
    statistics_save(commune=legacy, month="2025-03", figures=DOSSIERS, by=None)
    statistics_save(commune=ward, month="2025-09", figures=DOSSIERS, by=None)
    finished(ward)

    response = client.get(reverse("scoring:result", args=[ward.pk, 2025]))

    units = section(response, "data-units")
    assert "Xã Vân Hà" in units
    assert "Xã Quảng Minh" in units
    on_time = section(response, "criterion-g22")
    assert "76 rows of data" in on_time  # 38 dossiers resolved in each unit
    assert "92.1%" in on_time  # 70 of 76 early or on time


def test_result_of_a_provisional_assessment_says_until_when_comments_are_open(client):
    commune = CommuneFactory()
    assessment = finished(commune, to=Status.PROVISIONAL)

    banner = section(client.get(reverse("scoring:result", args=[commune.pk, 2025])), "result-status")

    day = assessment.comments_until.strftime("%d/%m/%Y")
    assert f"Provisional results, open for comments until {day}." in banner


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPRAISED])
def test_a_result_not_yet_published_is_not_public(client, status):
    commune = CommuneFactory()
    finished(commune, to=status)

    assert client.get(reverse("scoring:result", args=[commune.pk, 2025])).status_code == 404
    line = Line.objects.filter(assessment__commune=commune, criterion__code="G1.6").get()
    evidence = {"line": line.pk, "file": "evidence"}  # its evidence is not public either
    assert client.get(reverse("scoring:result", args=[commune.pk, 2025]), evidence).status_code == 404
    rankings = client.get(reverse("scoring:rankings", args=[commune.province_id, 2025]))
    assert f'id="row-{commune.pk}"' not in rankings.content.decode()
    assert client.get(reverse("scoring:star_history", args=[commune.pk])).context["history"].results == []


def test_public_pages_never_name_the_officers_who_worked_on_the_result(client):
    officer = UserFactory(full_name="Nguyễn Thị Bảo Mật", email="bao.mat@example.com")
    commune = CommuneFactory()
    finished(commune, by=officer)

    for url in [
        reverse("scoring:result", args=[commune.pk, 2025]),
        reverse("scoring:star_history", args=[commune.pk]),
        reverse("scoring:rankings", args=[commune.province_id, 2025]),
        commune.get_absolute_url(),
    ]:
        content = client.get(url).content.decode()
        assert "Bảo Mật" not in content
        assert "bao.mat@example.com" not in content


# --- Stars over the years -------------------------------------------------------------------------


def merged_ward(predecessors: int):
    """A ward formed in 2025 from ``predecessors`` communes of one district, each with a final 2024
    result; the ward has its own final 2025 result."""
    district = DistrictFactory()
    set_2024 = published_set(district.province, year=2024)
    ward = CommuneFactory(name="Vân Hà")
    legacy = []
    for _ in range(predecessors):
        unit = CommuneFactory(legacy=True, district=district, province=district.province)
        finished(unit, set_2024)
        ward.predecessors.add(unit)
        legacy.append(unit)
    finished(ward)
    return ward, legacy


def test_history_of_a_ward_includes_the_results_of_the_units_it_took_over(client):
    ward, (legacy,) = merged_ward(1)

    response = client.get(reverse("scoring:star_history", args=[ward.pk]))

    history = section(response, "star-history")
    assert reverse("scoring:result", args=[ward.pk, 2025]) in history
    assert reverse("scoring:result", args=[legacy.pk, 2024]) in history
    assert legacy.assessments.get().unit_name in history  # named as it was in 2024
    assert "a unit it took over" in section(response, f"result-{legacy.pk}-2024")
    assert [a.year for a in response.context["history"].results] == [2025, 2024]


def test_history_of_an_ended_unit_points_to_its_successor(client):
    ward, (legacy,) = merged_ward(1)

    response = client.get(reverse("scoring:star_history", args=[legacy.pk]))

    assert reverse("scoring:star_history", args=[ward.pk]) in section(response, "unit-ended")
    assert [a.year for a in response.context["history"].results] == [2024]
    # The ended unit's own result is still shown at its own address.
    assert client.get(reverse("scoring:result", args=[legacy.pk, 2024])).status_code == 200


def test_history_costs_the_same_queries_whatever_the_number_of_units_merged(client):
    small, _legacy = merged_ward(2)
    large, _legacy = merged_ward(5)

    with CaptureQueriesContext(connection) as two:
        client.get(reverse("scoring:star_history", args=[small.pk]))
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("scoring:star_history", args=[large.pk]))

    assert len(response.context["history"].results) == 6
    assert len(five) == len(two)


def test_commune_page_shows_the_latest_stars_and_links_to_the_result_and_history(client):
    province = ProvinceFactory()
    commune = CommuneFactory(province=province)
    scored(commune, lenient_set(province), "0.92")

    panel = section(client.get(commune.get_absolute_url()), "star-rating")

    assert "4 stars" in panel
    assert "2025: 92.00 points" in panel
    assert reverse("scoring:result", args=[commune.pk, 2025]) in panel
    assert reverse("scoring:star_history", args=[commune.pk]) in panel


def test_commune_page_of_a_new_ward_shows_the_stars_of_the_units_it_took_over(client):
    ward = CommuneFactory()
    legacy = CommuneFactory(legacy=True)
    ward.predecessors.add(legacy)
    finished(legacy, published_set(legacy.province, year=2024))

    panel = section(client.get(ward.get_absolute_url()), "star-rating")

    assert "In 2024, the units it took over were assessed" in panel
    assert reverse("scoring:result", args=[legacy.pk, 2024]) in panel


# --- Rankings -------------------------------------------------------------------------------------


@pytest.fixture
def ranked():
    """A pre-2025 province with two districts: Hòa (4★, 92 points) and An (3★, 87) in the first,
    Bình (not recognised, 60) in the second."""
    province = ProvinceFactory(valid_until=LEGACY_UNTIL)
    first, second = DistrictFactory(province=province), DistrictFactory(province=province)
    criteria_set = lenient_set(province)
    units = {}
    for name, district, share in [("Hòa", first, "0.92"), ("An", first, "0.87"), ("Bình", second, "0.60")]:
        units[name] = CommuneFactory(legacy=True, name=name, district=district, province=province)
        scored(units[name], criteria_set, share)
    return province, first, units


def rankings_url(province, **query) -> str:
    url = reverse("scoring:rankings", args=[province.pk, 2025])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_rankings_list_group_points_total_and_stars_best_first(client, ranked):
    province, _first, units = ranked

    response = client.get(rankings_url(province))

    rows = response.context["rankings"].rows
    assert [row.assessment.commune_id for row in rows] == [units["Hòa"].pk, units["An"].pk, units["Bình"].pk]
    assert [row.rank for row in rows] == [1, 2, 3]
    assert rows[0].points == [Decimal("18.40"), Decimal("23.00"), Decimal("18.40"), Decimal("13.80"), Decimal("18.40")]
    row = section(response, f"row-{units['Hòa'].pk}")
    assert "92.00" in row
    assert "4 stars" in row
    assert reverse("scoring:result", args=[units["Hòa"].pk, 2025]) in row
    distribution = {item.stars: item.count for item in response.context["rankings"].distribution}
    assert distribution == {5: 0, 4: 1, 3: 1, 2: 0, 1: 0, 0: 1}


def test_rankings_sort_by_a_whitelisted_column_and_filter_by_district(client, ranked):
    province, first, _units = ranked

    by_name = client.get(rankings_url(province, sort="name")).context["rankings"].rows
    by_district = client.get(rankings_url(province, district=first.pk, sort="G2")).context["rankings"].rows
    unknown = client.get(rankings_url(province, sort="commune__code")).context["rankings"]

    assert [row.commune.name for row in by_name] == ["An", "Bình", "Hòa"]
    assert [row.commune.name for row in by_district] == ["Hòa", "An"]
    assert [row.rank for row in by_district] == [1, 2]  # the rank stays the province's
    assert unknown.sort == "rank"


def test_rankings_export_has_the_rows_and_columns_of_the_page(client, ranked):
    province, _first, units = ranked

    response = client.get(reverse("scoring:rankings_export", args=[province.pk, 2025]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Rank", "Unit", "District", "G1", "G2", "G3", "G4", "G5", "Total", "Stars", "Result"]
    assert len(rows) == 4
    assert rows[1][0] == 1
    assert rows[1][1] == units["Hòa"].assessments.get().unit_name
    assert rows[1][3:10] == [18.4, 23, 18.4, 13.8, 18.4, 92, 4]
    assert rows[3][9] == 0


def test_rankings_cost_the_same_queries_whatever_the_number_of_communes(client):
    def province_with(count: int):
        province = ProvinceFactory()
        criteria_set = lenient_set(province)
        for _ in range(count):
            scored(CommuneFactory(province=province), criteria_set, "0.9")
        return province

    small, large = province_with(2), province_with(5)
    with CaptureQueriesContext(connection) as two:
        client.get(rankings_url(small))
    with CaptureQueriesContext(connection) as five:
        response = client.get(rankings_url(large))

    rows = response.context["rankings"].rows
    assert len(five) == len(two) <= 5
    # Equal results share the first rank and keep a stable order: by name, then official code.
    assert [row.rank for row in rows] == [1] * 5
    assert [row.assessment.unit_name for row in rows] == sorted(row.assessment.unit_name for row in rows)


def test_rankings_without_a_published_set_say_so(client):
    province = ProvinceFactory()

    response = client.get(rankings_url(province))

    assert response.status_code == 200
    assert 'id="no-rankings"' in response.content.decode()
    assert client.get(reverse("scoring:rankings_export", args=[province.pk, 2025])).status_code == 404


def test_result_of_a_locked_assessment_names_the_decision(client):
    province = ProvinceFactory()
    commune = CommuneFactory(province=province)
    assessment = scored(commune, lenient_set(province), "0.96")
    decision = decision_draft(
        province=province,
        year=2025,
        signer_name="Lê Văn Ký",
        assessments=[assessment],
        by=None,
    )
    decision = decision_issue(decision=decision, number="125/QĐ-UBND", signed_on=datetime.date(2026, 1, 15), by=None)
    decision_approve(decision=decision, by=user_with_role(Role.PROVINCIAL_LEADER, province))

    response = client.get(reverse("scoring:result", args=[commune.pk, 2025]))

    assert "Recognised by decision 125/QĐ-UBND of 15/01/2026." in section(response, "result-status")
    assert reverse("scoring:decision_document", args=[decision.pk]) in section(response, "result-status")
    assert "5 stars" in section(response, "summary")
