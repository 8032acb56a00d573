"""The year's boards: who reaches them, what they show, and the steps of the cycle run from them.

The places are those of the portal's permission matrix; the year's criteria set belongs to the
pre-2025 province, whose two communes sit in two districts.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from scoring.models import Assessment, Status, Step
from scoring.services.computation.stars import knockout_text
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture
from tests.scoring.factories import advance, fill_self, open_assessment, published_set

pytestmark = pytest.mark.django_db

DOHA = {"doha_here", "doha_of_successor"}


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


# Expected status of a GET per (route, role): 200 allowed, 403 signed in but refused, 302 sent to sign in.
# board_act only takes a POST: the roles allowed to run the cycle get 405 from a GET.
MATRIX = {
    "scoring:board": expected(DOHA | {"leader_here", "site_admin"}),
    "scoring:board_act": expected(DOHA | {"site_admin"}, allowed_status=405),
    # Closing the comment period early is DoHA's official act: the site administrator does not hold it.
    "scoring:board_close_comments": expected(DOHA, allowed_status=405),
    "scoring:district_board": expected(DOHA | {"leader_here", "reviewer_here", "site_admin"}),
    # The board's spreadsheet: whoever reads the province's board, and only they.
    "scoring:board_export": expected(DOHA | {"leader_here", "site_admin"}),
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def url_for(name: str, places, year: int = 2025) -> str:  # noqa: F811
    if name == "scoring:board_act":
        return reverse(name, kwargs={"pk": places.province.pk, "year": year, "action": "compute"})
    if name == "scoring:board_close_comments":
        return reverse(name, kwargs={"pk": places.province.pk, "year": year})
    if name == "scoring:district_board":
        return reverse(name, kwargs={"pk": places.district.pk, "year": year})
    return reverse(name, kwargs={"pk": places.province.pk, "year": year})


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer_from_scoring_board(client, places, name, role):  # noqa: F811
    published_set(places.province)
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)

    response = client.get(url_for(name, places))

    assert response.status_code == MATRIX[name][role]
    if response.status_code == 302:
        assert "login" in response.headers["Location"]


# --- What the boards show -------------------------------------------------------------------------


@pytest.fixture
def doha(places):  # noqa: F811
    return user_with_role(Role.DOHA_STAFF, places.province)


def test_board_shows_the_set_counts_and_every_assessment(client, places, doha):  # noqa: F811
    criteria_set = published_set(places.province)
    done = advance(fill_self(open_assessment(places.commune, criteria_set)), Status.FINAL)
    draft = open_assessment(places.other_commune, criteria_set)
    client.force_login(doha)

    response = client.get(url_for("scoring:board", places))

    content = response.content.decode()
    assert reverse("scoring:criteria_set", kwargs={"pk": criteria_set.pk}) in content
    assert "20/11/2025" in content  # the submission deadline
    counts = {item.status: item.count for item in response.context["board"].counts}
    assert counts[Status.FINAL] == counts[Status.DRAFT] == 1
    row = content[content.index(f'id="assessment-{done.pk}"') :][:3000]
    assert reverse("scoring:assessment", kwargs={"pk": done.pk}) in row
    assert "42.00" in row
    assert "Group G2 reached less than 50% of its points." in row
    # No unit had a survey answer in 2025: G5.1 has no data for the year, which is no knock-out.
    assert "Criterion G5.1 has fewer survey answers than required." not in row
    # Submitted after 20 November 2025 (the tests run later): marked late.
    assert "after the deadline" in row
    assert f'id="assessment-{draft.pk}"' in content
    assert 'action="' + reverse("scoring:board_act", args=[places.province.pk, 2025, "publish"]) in content


def test_board_filters_by_status_and_district(client, places, doha):  # noqa: F811
    criteria_set = published_set(places.province)
    advance(fill_self(open_assessment(places.commune, criteria_set)), Status.SUBMITTED)
    open_assessment(places.other_commune, criteria_set)
    client.force_login(doha)
    base = url_for("scoring:board", places)

    def communes(query: str) -> list[int]:
        return [row.assessment.commune_id for row in client.get(base + query).context["board"].rows]

    assert communes("?status=submitted") == [places.commune.pk]
    assert communes(f"?district={places.other_district.pk}") == [places.other_commune.pk]
    assert sorted(communes("?status=nonsense")) == sorted([places.commune.pk, places.other_commune.pk])


def test_district_board_lists_only_its_communes_and_offers_no_cycle_step(client, places):  # noqa: F811
    criteria_set = published_set(places.province)
    open_assessment(places.commune, criteria_set)
    open_assessment(places.other_commune, criteria_set)
    client.force_login(user_with_role(Role.DISTRICT_REVIEWER, places.district))

    response = client.get(url_for("scoring:district_board", places))

    assert [row.assessment.commune_id for row in response.context["board"].rows] == [places.commune.pk]
    assert "board_act" not in response.content.decode()
    assert "/scoring/2025/open/" not in response.content.decode()


def test_board_without_a_published_set_says_so_and_links_to_the_sets(client, places, doha):  # noqa: F811
    client.force_login(doha)

    response = client.get(url_for("scoring:board", places))

    assert 'id="no-set"' in response.content.decode()
    assert reverse("scoring:criteria_sets", kwargs={"pk": places.province.pk}) in response.content.decode()


def test_leader_sees_the_board_without_the_cycle_steps(client, places, doha):  # noqa: F811
    assessment = open_assessment(places.commune, published_set(places.province))
    steps = [reverse("scoring:board_act", args=[places.province.pk, 2025, step]) for step in ("open", "compute")]
    client.force_login(doha)
    assert all(step in client.get(url_for("scoring:board", places)).content.decode() for step in steps)
    client.force_login(user_with_role(Role.PROVINCIAL_LEADER, places.province))

    response = client.get(url_for("scoring:board", places))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="assessment-{assessment.pk}"' in content
    assert reverse("scoring:assessment", kwargs={"pk": assessment.pk}) in content
    assert 'id="cycle-title"' not in content
    assert not any(step in content for step in steps)


def test_boards_cost_the_same_queries_whatever_the_number_of_communes(client):
    def district_with(count: int):
        district = DistrictFactory()
        criteria_set = published_set(district.province)
        for index in range(count):
            commune = CommuneFactory(legacy=True, district=district, province=district.province)
            assessment = open_assessment(commune, criteria_set)
            if index % 2:
                advance(fill_self(assessment), Status.FINAL)
        return district

    small, large = district_with(2), district_with(5)
    client.force_login(UserFactory(is_superuser=True))
    counted = {}
    for size, district in (("small", small), ("large", large)):
        for name, pk in (("scoring:board", district.province.pk), ("scoring:district_board", district.pk)):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(name, kwargs={"pk": pk, "year": 2025}))
            counted[size, name] = len(queries)
            assert len(response.context["board"].rows) == (2 if size == "small" else 5)

    assert counted["small", "scoring:board"] == counted["large", "scoring:board"]
    assert counted["small", "scoring:district_board"] == counted["large", "scoring:district_board"]


# --- The cycle run from the board -----------------------------------------------------------------


def act(client, places, action: str, year: int = 2025, data=None):  # noqa: F811
    return client.post(reverse("scoring:board_act", args=[places.province.pk, year, action]), data or {})


def test_open_then_compute_from_the_board(client, places, doha):  # noqa: F811
    criteria_set = published_set(places.province, year=2024)  # both pre-2025 communes were in force
    client.force_login(doha)

    response = act(client, places, "open", year=2024)

    assert response.status_code == 302
    assert set(criteria_set.assessments.values_list("commune_id", flat=True)) == {
        places.commune.pk,
        places.other_commune.pk,
    }
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 assessments opened."]

    response = act(client, places, "compute", year=2024)

    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message.startswith("Figures computed for 2 assessments: 2 with new figures, 2 of them used at once")
    assert criteria_set.assessments.filter(snapshot__isnull=False).count() == 2


def test_publish_from_the_board_opens_the_comment_period(client, places, doha):  # noqa: F811
    criteria_set = published_set(places.province)
    assessment = advance(fill_self(open_assessment(places.commune, criteria_set)), Status.APPRAISED)
    client.force_login(doha)

    response = act(client, places, "publish", data={"confirm_missing": "on"})  # no survey data: confirmed

    assessment.refresh_from_db()
    assert assessment.status == Status.PROVISIONAL
    assert assessment.comments_until is not None
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 provisional result published."]


def test_finalize_from_the_board_once_the_comment_period_is_over(client, places, doha):  # noqa: F811
    criteria_set = published_set(places.province)
    filled = fill_self(open_assessment(places.commune, criteria_set))
    over = advance(filled, Status.PROVISIONAL, today=datetime.date(2025, 12, 1))
    still_open = advance(fill_self(open_assessment(places.other_commune, criteria_set)), Status.PROVISIONAL)
    client.force_login(doha)

    act(client, places, "finalize")

    over.refresh_from_db()
    still_open.refresh_from_db()
    assert (over.status, still_open.status) == (Status.FINAL, Status.PROVISIONAL)
    assert Step.objects.filter(assessment=over, action=Step.Action.FINALIZE, by=doha).exists()


def test_the_leader_cannot_publish_from_the_board(client, places):  # noqa: F811
    criteria_set = published_set(places.province)
    assessment = advance(fill_self(open_assessment(places.commune, criteria_set)), Status.APPRAISED)
    client.force_login(user_with_role(Role.PROVINCIAL_LEADER, places.province))

    assert act(client, places, "publish").status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.APPRAISED


def test_unknown_action_is_not_found_and_nothing_changes(client, places, doha):  # noqa: F811
    published_set(places.province)
    client.force_login(doha)

    assert act(client, places, "lock").status_code == 404


def test_act_without_a_published_set_changes_nothing(client, places, doha):  # noqa: F811
    client.force_login(doha)

    response = act(client, places, "open")

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The province has no published criteria set for this year."
    ]
    assert not Assessment.objects.exists()


def test_board_of_another_province_is_refused(client, places, doha):  # noqa: F811
    other = ProvinceFactory()
    published_set(other)
    client.force_login(doha)

    assert client.get(reverse("scoring:board", args=[other.pk, 2025])).status_code == 403


# --- The board as a spreadsheet -------------------------------------------------------------------


def test_the_board_exports_its_rows_to_excel_with_points_per_group(client, places, doha):  # noqa: F811
    criteria_set = published_set(places.province)
    done = advance(fill_self(open_assessment(places.commune, criteria_set)), Status.FINAL)
    open_assessment(places.other_commune, criteria_set)
    client.force_login(doha)
    page = client.get(url_for("scoring:board", places)).content.decode()

    response = client.get(url_for("scoring:board_export", places))

    assert reverse("scoring:board_export", args=[places.province.pk, 2025]) in page
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"scoring-board-{places.province.code}-2025.xlsx" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    groups = list(criteria_set.groups.order_by("position", "code"))
    assert header[:6] == ("Unit", "Unit code", "District", "Status", "Submitted", "Self-assessed")
    assert header[-3:] == ("Points", "Stars", "Knock-outs")
    assert [name.split(" ")[0] for name in header[6:-3]] == [group.code for group in groups]
    assert len(rows) == 3
    row = next(row for row in rows[1:] if row[0] == done.unit_name)
    done.refresh_from_db()
    assert row[1] == places.commune.code
    assert row[3] == done.get_status_display()
    assert isinstance(row[4], datetime.datetime)  # a date cell, not text
    # Numbers stay numbers: the groups add up to the total.
    assert row[-3] == float(done.total)
    assert sum(row[6:-3]) == pytest.approx(float(done.total))
    # The knock-outs as the board states them (no survey ran: G5.1 has no data, so it knocks nothing out).
    assert row[-1] == "; ".join(knockout_text(code, done.criteria_set) for code in done.knockouts)
    assert "Group G5 reached less than 50% of its points." in row[-1]


def test_the_board_export_keeps_the_page_filters(client, places, doha):  # noqa: F811
    criteria_set = published_set(places.province)
    advance(fill_self(open_assessment(places.commune, criteria_set)), Status.SUBMITTED)
    open_assessment(places.other_commune, criteria_set)
    client.force_login(doha)

    response = client.get(url_for("scoring:board_export", places) + "?status=submitted")

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == [places.commune.code]


def test_the_board_export_reads_vietnamese_headers(client, places, doha):  # noqa: F811
    published_set(places.province)
    client.force_login(doha)

    with translation.override("vi"):
        response = client.get(url_for("scoring:board_export", places))

    header = next(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert header[0] == "Đơn vị"
    assert "Trạng thái" in header


def test_the_board_export_costs_the_same_queries_whatever_the_number_of_communes(client):
    def province_with(count: int):
        district = DistrictFactory()
        criteria_set = published_set(district.province)
        for index in range(count):
            commune = CommuneFactory(legacy=True, district=district, province=district.province)
            assessment = open_assessment(commune, criteria_set)
            if index % 2:
                advance(fill_self(assessment), Status.FINAL)
        return district.province

    client.force_login(UserFactory(is_superuser=True))
    counted = []
    for province in (province_with(2), province_with(5)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("scoring:board_export", kwargs={"pk": province.pk, "year": 2025}))
        assert response.status_code == 200
        counted.append(len(queries))

    assert counted[0] == counted[1]


def test_a_year_without_a_published_set_has_no_board_to_export(client, places, doha):  # noqa: F811
    client.force_login(doha)

    assert client.get(url_for("scoring:board_export", places)).status_code == 404
