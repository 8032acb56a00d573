"""The workspace is each role's inbox: what waits for the user, with counts and the list that shows it.

One province of today (no districts) with two wards, and the pre-2025 province it replaced with one
district; data built through the services by the apps' factories, on a fixed day before the 2025
submission deadline (20/11).
"""

from __future__ import annotations

import contextlib
import datetime
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.selectors import role_assignments_for_user
from communes.models import DisclosureCategory
from communes.services import disclosure_save, shop_update, shop_verify
from core import clock
from portal.views.workspace import InboxPanel, _deadline_item, inbox
from scoring.models import Assessment, CriteriaSet
from scoring.selectors.inbox import Deadline
from scoring.services import (
    assessment_appraise,
    assessments_open,
    criteria_set_load,
    criteria_set_publish,
    decision_draft,
    decision_issue,
)
from scoring.services.criteria import CRITERIA_FILE
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, DistrictFactory, ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory, user_with_role
from tests.scoring.factories import advance, fill_self, open_assessment, pdf_file, published_set

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 10)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Clock:
    """The day the portal believes it is; ``at`` moves it for a block."""

    def __init__(self, monkeypatch):
        self.day = TODAY
        monkeypatch.setattr(clock, "today", lambda: self.day)

    @contextlib.contextmanager
    def at(self, day: datetime.date):
        before, self.day = self.day, day
        try:
            yield
        finally:
            self.day = before


@pytest.fixture
def today(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def recognisable_set(province, year: int) -> CriteriaSet:
    """The project's set without the survey minimum, so a result without surveys can reach a star."""
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["knockouts"]["survey_minimum"] = False
    return criteria_set_publish(criteria_set=criteria_set_load(province=province, year=year, data=data), by=None)


def final(commune, criteria_set: CriteriaSet) -> Assessment:
    assessment = fill_self(open_assessment(commune, criteria_set))
    assessment = advance(assessment, "submitted")
    scores = {
        line.pk: (line.criterion.max_points, "Số liệu do Sở Nội vụ tổng hợp")
        for line in assessment.lines.select_related("criterion")
        if line.criterion.is_computed
    }
    assessment_appraise(assessment=assessment, by=None, scores=scores)
    return advance(Assessment.objects.get(pk=assessment.pk), "final")


def disclose(commune, category, by):
    disclosure_save(
        commune=commune,
        title="Danh mục thủ tục hành chính",
        category=category,
        decision_date=TODAY - datetime.timedelta(days=10),
        published_on=TODAY - datetime.timedelta(days=9),
        document=pdf_file("cong-khai.pdf"),
        by=by,
    )


@dataclass
class Scene:
    province: object
    ward: object  # its assessment is submitted; feedback waits, one item overdue; a stale page
    other_ward: object  # its assessment is a draft; its page was confirmed last week
    old_province: object
    district: object
    officer: object
    other_officer: object
    reviewer: object
    doha: object
    leader: object


@pytest.fixture
def scene(today) -> Scene:
    old_province = ProvinceFactory(valid_until=LEGACY_UNTIL, name="Bắc Giang")
    district = DistrictFactory(province=old_province)
    province = ProvinceFactory(name="Bắc Ninh")
    province.predecessors.add(old_province)
    ward, other_ward = CommuneFactory(province=province), CommuneFactory(province=province)
    doha = user_with_role(Role.DOHA_STAFF, province)
    officer = user_with_role(Role.COMMUNE_OFFICER, ward)
    other_officer = user_with_role(Role.COMMUNE_OFFICER, other_ward)

    # Scoring: 2025 in today's province, with no district step; 2024 in the old one, with districts.
    criteria_set = published_set(province)
    advance(fill_self(open_assessment(ward, criteria_set)), "submitted")
    open_assessment(other_ward, criteria_set)
    old_set = published_set(old_province, year=2024)
    reviewing, reviewed = CommuneFactory.create_batch(2, legacy=True, district=district, province=old_province)
    advance(fill_self(open_assessment(reviewing, old_set)), "submitted")
    advance(fill_self(open_assessment(reviewed, old_set)), "reviewed")
    # Decisions of today's province: 2022's issued (numbered and dated) for the leader to approve, 2023's
    # a draft for the records office to issue.
    for year in (2022, 2023):
        recognised = final(CommuneFactory(province=province), recognisable_set(province, year))
        decision = decision_draft(
            province=province, year=year, signer_name="Nguyễn Văn Bình", assessments=[recognised], by=doha
        )
        if year == 2022:
            decision_issue(decision=decision, number="12/QĐ-UBND", signed_on=TODAY, by=doha)

    # Feedback: two items of a month ago are overdue, one of today is not.
    category = CategoryFactory(province=province)
    with today.at(TODAY - datetime.timedelta(days=30)):
        submitted(commune=ward, category=category)
        submitted(commune=ward, category=category)
    submitted(commune=ward, category=category)

    # One-stop pages: the ward's confirmed 100 days ago, the other's last week.
    for commune, days in ((ward, 100), (other_ward, 7)):
        with today.at(TODAY - datetime.timedelta(days=days)):
            shop = shop_update(commune=commune, address="Số 1 đường Lý Thái Tổ", by=officer)
            shop_verify(shop=shop, by=officer)
    for category_value in (DisclosureCategory.DEMOCRACY_RULES, DisclosureCategory.PROCEDURES):
        disclose(other_ward, category_value, other_officer)

    return Scene(
        province=province,
        ward=ward,
        other_ward=other_ward,
        old_province=old_province,
        district=district,
        officer=officer,
        other_officer=other_officer,
        reviewer=user_with_role(Role.DISTRICT_REVIEWER, district),
        doha=doha,
        leader=user_with_role(Role.PROVINCIAL_LEADER, province),
    )


def panels_of(user) -> list[InboxPanel]:
    return inbox(user=user, assignments=list(role_assignments_for_user(user=user)))


def items_of(user) -> list[tuple[int | None, str, str]]:
    (panel,) = panels_of(user)
    return [(item.count, item.label, item.url) for item in panel.items]


def url(name: str, query: str = "", **kwargs) -> str:
    return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def test_leader_inbox_has_the_decisions_to_approve(scene):
    assert items_of(scene.leader) == [
        (1, "decision to approve", url("scoring:decisions", "status=issued", pk=scene.province.pk)),
    ]


def test_doha_inbox_has_appraisals_overdue_feedback_stale_pages_and_decisions(scene):
    old, new = scene.old_province, scene.province
    stale = url("portal:unit_workspace", "stale=1", kind="province", pk=new.pk)
    assert items_of(scene.doha) == [
        (1, f"submission to appraise, 2024 ({old})", url("scoring:board", "waiting=appraisal", pk=old.pk, year=2024)),
        (1, "submission to appraise, 2025", url("scoring:board", "waiting=appraisal", pk=new.pk, year=2025)),
        (2, "feedback items still open after their due date", url("feedback:overdue", f"province={new.pk}")),
        (1, "one-stop page not confirmed for more than 90 days", stale),
        (1, "draft decision to issue", url("scoring:decisions", "status=draft", pk=new.pk)),
    ]


def test_district_reviewer_inbox_has_the_reviews_to_do(scene):
    district = scene.district.pk
    assert items_of(scene.reviewer) == [
        (1, "self-assessment to review, 2024", url("scoring:district_board", "waiting=review", pk=district, year=2024)),
    ]


def test_officer_inbox_has_feedback_the_stale_page_and_missing_disclosures(scene):
    queue = url("feedback:queue", pk=scene.ward.pk)
    assert items_of(scene.officer) == [
        (3, "feedback items to answer", f"{queue}?status=open"),
        (2, "feedback items still open after their due date", f"{queue}?status=open&overdue=on"),
        (
            100,
            "days since the one-stop page was last confirmed (02/08/2025): check it and confirm it",
            url("communes:manage_home", pk=scene.ward.pk),
        ),
        (
            2,
            "disclosures to keep posted permanently not published yet: 4. Grassroots democracy rules, duties of "
            "officials, code of conduct; 13. Administrative procedures handled by the commune",
            url("communes:manage_disclosure_create", "category=04_democracy_rules", pk=scene.ward.pk),
        ),
    ]


def test_officer_inbox_has_the_assessment_deadline(scene, today):
    assessment = Assessment.objects.get(commune=scene.other_ward, year=2025)
    link = url("scoring:assessment", pk=assessment.pk)
    assert items_of(scene.other_officer) == [
        (10, "days left to submit the self-assessment of 2025 (due 20/11/2025)", link),
    ]
    with today.at(datetime.date(2025, 11, 20)):
        assert items_of(scene.other_officer) == [(None, "The self-assessment of 2025 is due today", link)]
    with today.at(datetime.date(2025, 11, 23)):
        (item,) = panels_of(scene.other_officer)[0].items
        assert (item.count, item.urgent) == (3, True)
        assert item.label == "days since the self-assessment of 2025 was due (20/11/2025): submit it now"


def test_a_citizen_has_no_workspace(client, scene):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:workspace")).status_code == 403


def test_workspace_page_shows_each_role_with_its_items(client, scene):
    client.force_login(scene.doha)
    page = client.get(reverse("portal:workspace")).content.decode()
    assert f'id="inbox-doha_staff-{scene.province.pk}"' in page
    assert "feedback items still open after their due date" in page
    assert url("feedback:overdue", f"province={scene.province.pk}") in page
    assert "Nothing is waiting." not in page
    assert "still open after their due date" in page


def test_empty_inbox_says_so(client, today):
    client.force_login(user_with_role(Role.PROVINCIAL_LEADER, ProvinceFactory()))
    page = client.get(reverse("portal:workspace")).content.decode()
    # "Không có việc nào đang chờ" in Vietnamese.
    assert '<p class="inbox__empty">Nothing is waiting.</p>' in page


def test_each_item_links_to_a_list_of_exactly_the_rows_it_counts(client, scene):
    client.force_login(scene.doha)
    board = client.get(url("scoring:board", "waiting=appraisal", pk=scene.province.pk, year=2025))
    assert [row.assessment.commune for row in board.context["board"].rows] == [scene.ward]
    overdue = client.get(url("feedback:overdue", f"province={scene.province.pk}"))
    assert overdue.context["page"].paginator.count == 2
    stale = client.get(url("portal:unit_workspace", "stale=1", kind="province", pk=scene.province.pk))
    assert list(stale.context["children"]) == [scene.ward]
    drafts = client.get(url("scoring:decisions", "status=draft", pk=scene.province.pk))
    assert [d.year for d in drafts.context["decisions"]] == [2023]
    client.force_login(scene.leader)
    issued = client.get(url("scoring:decisions", "status=issued", pk=scene.province.pk))
    assert [d.number for d in issued.context["decisions"]] == ["12/QĐ-UBND"]
    client.force_login(scene.doha)
    client.force_login(scene.reviewer)
    reviews = client.get(url("scoring:district_board", "waiting=review", pk=scene.district.pk, year=2024))
    assert [row.assessment.status for row in reviews.context["board"].rows] == ["submitted"]
    client.force_login(scene.officer)
    queue = client.get(url("feedback:queue", "status=open&overdue=on", pk=scene.ward.pk))
    assert queue.context["page"].paginator.count == 2
    form = client.get(url("communes:manage_disclosure_create", "category=04_democracy_rules", pk=scene.ward.pk))
    assert form.context["form"]["category"].value() == "04_democracy_rules"


def _doha_province(communes: int):
    """A province of ``communes`` wards, each with an open assessment, an overdue feedback item and a
    stale one-stop page; its DoHA staff member."""
    province = ProvinceFactory()
    wards = CommuneFactory.create_batch(communes, province=province)
    assessments_open(criteria_set=published_set(province), by=None, communes=wards)
    category = CategoryFactory(province=province)
    doha = user_with_role(Role.DOHA_STAFF, province)
    for ward in wards:
        with _day(TODAY - datetime.timedelta(days=120)):
            submitted(commune=ward, category=category)
        shop_update(commune=ward, address="Số 1 đường Lý Thái Tổ", by=doha)  # never confirmed: stale
    return doha


_clock_day = {"value": TODAY}


@contextlib.contextmanager
def _day(day):
    before, _clock_day["value"] = _clock_day["value"], day
    try:
        yield
    finally:
        _clock_day["value"] = before


def test_workspace_costs_the_same_queries_for_three_communes_as_for_thirty(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(clock, "today", lambda: _clock_day["value"])
    few, many = _doha_province(3), _doha_province(30)
    client.force_login(few)
    with django_assert_max_num_queries(40) as baseline:
        response = client.get(reverse("portal:workspace"))
    assert [item.count for item in response.context["panels"][0].items] == [3, 3]
    client.force_login(many)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("portal:workspace"))
    assert [item.count for item in response.context["panels"][0].items] == [30, 30]


def test_an_appraised_result_leaves_the_appraisal_count(scene):
    """Appraised, it waits for nobody until DoHA publishes the year's results."""
    assessment = Assessment.objects.get(commune=scene.ward, year=2025)
    assessment_appraise(assessment=assessment, by=scene.doha, scores={})
    assert [item.label for item in panels_of(scene.doha)[0].items if "2025" in item.label] == []


def test_a_ward_officer_counts_the_feedback_of_the_communes_the_ward_replaced(today):
    old = CommuneFactory(legacy=True)
    ward = CommuneFactory()
    ward.predecessors.add(old)
    submitted(commune=old)
    submitted(commune=ward)
    officer = user_with_role(Role.COMMUNE_OFFICER, ward)
    items = [(count, link) for count, _label, link in items_of(officer) if "feedback" in link]
    assert items == [(2, url("feedback:queue", "status=open", pk=ward.pk))]


def test_every_item_opens_a_page_its_role_may_see(client, scene):
    for user in (scene.leader, scene.doha, scene.reviewer, scene.officer, scene.other_officer):
        client.force_login(user)
        for panel in panels_of(user):
            assert panel.items
            for item in panel.items:
                assert client.get(item.url).status_code == 200, (user, item)


RETURNED = "The self-assessment of 2025 was returned for correction: submit it again"


@pytest.mark.parametrize(
    ("kind", "days_left", "count", "label", "urgent"),
    [
        ("returned", 4, None, f"{RETURNED} by 20/11/2025", True),
        ("returned", -2, None, f"{RETURNED}, its due date (20/11/2025) has passed", True),
        ("comments", 3, 3, "days left to comment on the provisional results of 2025 (until 20/11/2025)", False),
        ("comments", 0, None, "Last day to comment on the provisional results of 2025 (20/11/2025)", False),
    ],
)
def test_a_deadline_says_what_waits_and_until_when(kind, days_left, count, label, urgent):
    ward = CommuneFactory.build(pk=7)
    item = _deadline_item(Deadline(1, 7, 2025, kind, datetime.date(2025, 11, 20), days_left), ward, ward)
    assert (item.count, item.label, item.urgent) == (count, label, urgent)
