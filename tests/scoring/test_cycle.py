"""A cycle DoHA can finish: a cycle without districts after the 2025 reform, closing the comment period
early, criteria without data for the year, and a failed save that keeps the files sent with it."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import Role
from communes.data.unit_history import LEGACY_UNTIL
from communes.models import Province
from scoring.models import Appeal, Assessment, Status, Step
from scoring.models.criteria import province_has_districts
from scoring.services import (
    ScoringError,
    appeal_answer,
    appeal_file,
    assessments_compute,
    assessments_finalize,
    comments_close_early,
    criteria_set_load,
    criteria_set_publish,
)
from scoring.services.computation.stars import weights
from scoring.services.criteria import CRITERIA_FILE
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.factories import advance, fill_self, open_assessment, pdf_bytes, published_set
from tests.scoring.test_workflow import dossiers_reported, line, media_in_tmp  # noqa: F401 - media_in_tmp: autouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    """The messages are asserted as written; the Vietnamese of the same pages is another test's."""
    with translation.override("en"):
        yield


COMMENTS_OPEN = datetime.date(2025, 12, 1)  # the day the tests publish on: comments run a week after


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- 3. A cycle without districts --------------------------------------------------------------------


@pytest.fixture
def bac_ninh(real_units):
    return Province.objects.current().get(code="24")


@pytest.fixture
def bac_giang(real_units):
    return Province.objects.get(code="24", valid_until=LEGACY_UNTIL)


def test_a_2025_bac_ninh_set_has_no_district_step_and_a_2024_bac_giang_set_has_one(bac_ninh, bac_giang):
    current = criteria_set_load(province=bac_ninh, year=2025)
    legacy = criteria_set_load(province=bac_giang, year=2024)

    # Before any assessment: the units in force at the end of the period say it.
    assert (current.has_district_step, legacy.has_district_step) == (False, True)
    assert current.review_deadline is None
    assert legacy.review_deadline == datetime.date(2024, 11, 30)
    # The registration's approval: the province's steering committee once districts are gone.
    hs5 = {s.year: s.documents.get(code="HS5").name_vi for s in (current, legacy)}
    assert "Ban Chỉ đạo tỉnh" in hs5[2025] and "huyện" not in hs5[2025]
    assert hs5[2024] == "Văn bản phê duyệt đăng ký của Ban Chỉ đạo cấp huyện"
    assert province_has_districts(bac_ninh, datetime.date(2025, 10, 31)) is False


def test_a_set_with_assessed_units_in_districts_has_the_district_step(places):  # noqa: F811
    # The pre-2025 province's units ended on 30 June: its 2025 set learns it from the units it assesses.
    criteria_set = published_set(places.province)
    assert criteria_set.has_district_step is False
    open_assessment(places.commune, criteria_set)
    criteria_set.refresh_from_db()
    del criteria_set.has_district_step  # a cached_property: a new request reads it again
    assert criteria_set.has_district_step is True


def no_district_words(content: str) -> list[str]:
    lowered = content.lower()
    return [word for word in ("district", "huyện", "ban chỉ đạo cấp huyện") if word in lowered]


def pages_of(client, criteria_set, assessment) -> dict[str, str]:
    province, year = criteria_set.province, criteria_set.year
    pages = {}
    for language in ("en", "vi"):
        with translation.override(language):
            urls = {
                "board": reverse("scoring:board", kwargs={"pk": province.pk, "year": year}),
                "criteria_set": reverse("scoring:criteria_set", kwargs={"pk": criteria_set.pk}),
                "assessment": reverse("scoring:assessment", kwargs={"pk": assessment.pk}),
                "commune_assessments": reverse("scoring:commune_assessments", kwargs={"pk": assessment.commune_id}),
                "workspace": reverse("portal:unit_workspace", kwargs={"kind": "province", "pk": province.pk}),
            }
            for name, url in urls.items():
                response = client.get(url)
                assert response.status_code == 200, name
                pages[f"{name}/{language}"] = response.content.decode()
    return pages


def test_no_page_of_a_2025_bac_ninh_cycle_speaks_of_a_district(client, bac_ninh):
    criteria_set = published_set(bac_ninh)
    ward = bac_ninh.communes.current().order_by("code").first()
    assessment = advance(fill_self(open_assessment(ward, criteria_set)), Status.APPRAISED)
    client.force_login(user_with_role(Role.DOHA_STAFF, bac_ninh))

    pages = pages_of(client, criteria_set, assessment)

    assert {name: no_district_words(content) for name, content in pages.items()} == {name: [] for name in pages}
    board = client.get(reverse("scoring:board", kwargs={"pk": bac_ninh.pk, "year": 2025})).context["board"]
    assert not board.has_district_step
    assert Status.REVIEWED not in [count.status for count in board.counts]
    assert not assessment.steps.filter(action=Step.Action.REVIEW).exists()


def test_a_2024_bac_giang_cycle_still_shows_the_district_step(client, bac_giang):
    criteria_set = published_set(bac_giang, year=2024)
    commune = bac_giang.communes.on(datetime.date(2024, 10, 31)).order_by("code").first()
    assessment = advance(fill_self(open_assessment(commune, criteria_set)), Status.APPRAISED)
    client.force_login(user_with_role(Role.DOHA_STAFF, bac_giang))

    pages = pages_of(client, criteria_set, assessment)

    assert "District reviews due" in pages["board/en"] and 'id="district-filter"' in pages["board/en"]
    assert ">District</th>" in pages["board/en"]
    assert "District reviews due" in pages["criteria_set/en"]
    assert "District review" in pages["assessment/en"] and "District's note" in pages["assessment/en"]
    assert assessment.steps.filter(action=Step.Action.REVIEW).exists()


def test_the_draft_of_a_no_district_cycle_does_not_ask_for_the_review_deadline(client, bac_ninh):
    criteria_set = criteria_set_load(province=bac_ninh, year=2025)
    client.force_login(user_with_role(Role.DOHA_STAFF, bac_ninh))

    with translation.override("en"):
        response = client.get(reverse("scoring:criteria_set", kwargs={"pk": criteria_set.pk}))

    assert "review_deadline" not in response.context["editor"].form.fields
    assert no_district_words(response.content.decode()) == []


def test_a_set_s_deadlines_keep_their_order_with_or_without_a_review():
    from scoring.models import CriteriaSet

    day = datetime.date
    without = CriteriaSet(submission_deadline=day(2025, 11, 20), appraisal_deadline=day(2025, 12, 20))
    wrong = CriteriaSet(submission_deadline=day(2025, 12, 21), appraisal_deadline=day(2025, 12, 20))
    late_review = CriteriaSet(
        submission_deadline=day(2025, 11, 20), review_deadline=day(2025, 12, 25), appraisal_deadline=day(2025, 12, 20)
    )
    without.clean()
    for criteria_set in (wrong, late_review):
        with pytest.raises(ValidationError) as refused:
            criteria_set.clean()
        assert list(refused.value.message_dict) == ["appraisal_deadline"]


# --- 9. Closing the comment period early -----------------------------------------------------------


@pytest.fixture
def provisional(places):  # noqa: F811
    """Two provisional results of the pre-2025 province, comments open until the next week."""
    criteria_set = published_set(places.province)
    first = advance(fill_self(open_assessment(places.commune, criteria_set)), Status.PROVISIONAL, today=COMMENTS_OPEN)
    second = advance(
        fill_self(open_assessment(places.other_commune, criteria_set)), Status.PROVISIONAL, today=COMMENTS_OPEN
    )
    return criteria_set, first, second


def appealed(assessment) -> Appeal:
    return appeal_file(line=line(assessment, "G1.1"), by=None, text="Xin xem lại điểm.", today=COMMENTS_OPEN)


def test_closing_early_is_refused_without_a_reason_while_an_appeal_is_open(provisional, english):
    criteria_set, first, _second = provisional
    appealed(first)

    with pytest.raises(ScoringError, match="1 appeal is not answered yet"):
        comments_close_early(criteria_set=criteria_set, by=None, today=COMMENTS_OPEN)

    assert not Assessment.objects.filter(comments_closed_at__isnull=False).exists()
    assert not Step.objects.filter(action=Step.Action.CLOSE).exists()


def test_closing_early_needs_no_reason_once_every_appeal_is_answered_then_results_become_final(
    provisional,
    places,  # noqa: F811
    english,
):
    criteria_set, first, _second = provisional
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    appeal_answer(appeal=appealed(first), by=doha, outcome=Appeal.Outcome.REJECTED, answer="Giữ nguyên điểm.")

    closed = comments_close_early(criteria_set=criteria_set, by=doha, today=COMMENTS_OPEN)
    again = comments_close_early(criteria_set=criteria_set, by=doha, today=COMMENTS_OPEN)  # a double click

    assert (closed, again) == (2, 0)
    step = Step.objects.get(assessment=first, action=Step.Action.CLOSE)
    assert (step.by, step.note, step.from_status, step.to_status) == (
        doha,
        "Every appeal is answered.",
        Status.PROVISIONAL,
        Status.PROVISIONAL,
    )
    assert Step.objects.filter(action=Step.Action.CLOSE).count() == 2
    first.refresh_from_db()
    assert not first.open_for_comments(COMMENTS_OPEN) and first.comments_over(COMMENTS_OPEN)
    with pytest.raises(ScoringError):
        appeal_file(line=line(first, "G1.2"), by=None, text="Thêm một ý kiến.", today=COMMENTS_OPEN)
    # The same day, before the planned end of the comments: the results become final.
    assert assessments_finalize(criteria_set=criteria_set, by=doha, today=COMMENTS_OPEN) == 2


def test_closing_early_with_a_reason_keeps_it_and_an_open_appeal_still_waits_for_its_answer(provisional, places):  # noqa: F811
    criteria_set, first, _second = provisional
    appeal = appealed(first)
    reason = "Quyết định công nhận phải trình trước ngày 31/12; các đơn vị đã thống nhất."

    comments_close_early(criteria_set=criteria_set, by=None, reason=f"  {reason} ", today=COMMENTS_OPEN)

    assert set(Step.objects.filter(action=Step.Action.CLOSE).values_list("note", flat=True)) == {reason}
    assert assessments_finalize(criteria_set=criteria_set, by=None, today=COMMENTS_OPEN) == 1  # the second
    appeal_answer(appeal=appeal, by=None, outcome=Appeal.Outcome.REJECTED, answer="Giữ nguyên.")
    assert assessments_finalize(criteria_set=criteria_set, by=None, today=COMMENTS_OPEN) == 1  # then the first


def board_url(places, name: str = "scoring:board") -> str:  # noqa: F811
    return reverse(name, kwargs={"pk": places.province.pk, "year": 2025})


def test_doha_closes_the_comments_from_the_board_and_a_double_click_changes_nothing(
    client,
    provisional,
    places,  # noqa: F811
    english,
    monkeypatch,
):
    monkeypatch.setattr("core.clock.today", lambda: COMMENTS_OPEN)
    _criteria_set, first, _second = provisional
    appealed(first)
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    client.force_login(doha)

    board = client.get(board_url(places))
    refused = client.post(board_url(places, "scoring:board_close_comments"), {"reason": ""})
    closed = client.post(board_url(places, "scoring:board_close_comments"), {"reason": "Đã đủ thời gian xem xét."})
    again = client.post(board_url(places, "scoring:board_close_comments"), {"reason": "Đã đủ thời gian xem xét."})

    content = board.content.decode()
    assert 'id="close-comments"' in content and "1 appeal is not answered yet." in content
    assert messages_of(refused)[-1].startswith("1 appeal is not answered yet")
    assert messages_of(closed)[-1].startswith("The comment period of 2 provisional results is closed")
    assert messages_of(again)[-1] == "No comment period is running: nothing changed."
    assert Step.objects.filter(action=Step.Action.CLOSE, by=doha).count() == 2
    assert 'id="close-comments"' not in client.get(board_url(places)).content.decode()


def test_the_leader_cannot_close_the_comments(client, provisional, places):  # noqa: F811
    client.force_login(user_with_role(Role.PROVINCIAL_LEADER, places.province))

    assert client.post(board_url(places, "scoring:board_close_comments"), {"reason": "x"}).status_code == 403
    assert not Step.objects.filter(action=Step.Action.CLOSE).exists()


# --- 10. Criteria without data for the year --------------------------------------------------------


def test_a_criterion_no_unit_has_data_for_is_marked_missing_and_knocks_nobody_out(places):  # noqa: F811
    criteria_set = published_set(places.province)
    first = open_assessment(places.commune, criteria_set)
    open_assessment(places.other_commune, criteria_set)
    dossiers_reported(places.commune)  # one unit has dossier statistics: those criteria have data
    assessments_compute(criteria_set=criteria_set)

    first.refresh_from_db()
    values = first.snapshot.values
    assert values["G5.1"]["missing"] and values["G5.2"]["missing"] and values["G3.3"]["missing"]
    assert "missing" not in values["G2.2"]
    other = Assessment.objects.get(commune=places.other_commune)
    assert "missing" not in other.snapshot.values["G2.2"]  # no rows of its own, but the year has data
    assert not [code for code in first.knockouts if code.startswith("survey:")]


def set_with_policy(province, policy: str):
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["missing_data"] = policy
    return criteria_set_publish(criteria_set=criteria_set_load(province=province, year=2025, data=data), by=None)


@pytest.mark.parametrize(("policy", "g5"), [("share", Decimal("20.00")), ("appraisal", Decimal("4.00"))])
def test_the_set_s_policy_says_how_the_points_of_a_criterion_without_data_count(places, policy, g5):  # noqa: F811
    assessment = fill_self(open_assessment(places.commune, set_with_policy(places.province, policy)))

    from scoring.services import assessment_recount

    result = assessment_recount(assessment)

    # G5: G5.1 (10) and G5.2 (6) have no survey data; G5.3 and G5.4 (2 each) are self-assessed in full.
    assert result.groups["G5"] == g5
    assert "group:G5" not in result.knockouts if policy == "share" else "group:G5" in result.knockouts


def test_weights_share_a_group_s_missing_points_and_a_group_without_any_data_over_the_set():
    class Group:
        def __init__(self, code):
            self.code = code

    class Criterion:
        def __init__(self, code, group, points):
            self.code, self.group, self.max_points = code, Group(group), Decimal(points)

    criteria = [Criterion("A1", "A", 6), Criterion("A2", "A", 4), Criterion("B1", "B", 10)]

    assert weights(criteria, {"A2"}, "share") == {"A1": Decimal(10) / 6, "A2": 0, "B1": 1}
    assert weights(criteria, {"A2"}, "appraisal") == {"A1": 1, "A2": 1, "B1": 1}
    whole = weights(criteria, {"B1"}, "share")
    assert whole == {"A1": 2, "A2": 2, "B1": 0}  # B's 10 points over A's 10: twice each


def test_the_board_warns_and_publishing_waits_for_doha_s_confirmation(client, places, english):  # noqa: F811
    criteria_set = published_set(places.province)
    assessment = advance(fill_self(open_assessment(places.commune, criteria_set)), Status.APPRAISED)
    client.force_login(user_with_role(Role.DOHA_STAFF, places.province))
    publish = reverse("scoring:board_act", args=[places.province.pk, 2025, "publish"])

    board = client.get(board_url(places))
    refused = client.post(publish)
    assessment.refresh_from_db()
    status_after_refusal = assessment.status
    published = client.post(publish, {"confirm_missing": "on"})

    content = board.content.decode()
    warning = content[content.index('id="missing-data"') :][:4000]
    # No unit has survey answers (nor any other data: the test has none) for 2025.
    assert {"G3.3", "G5.1", "G5.2"} <= {item.criterion.code for item in board.context["board"].missing}
    assert "G5.2" in warning and escape(criteria_set.get_missing_data_policy_display()) in warning
    assert 'name="confirm_missing"' in content
    assert status_after_refusal == Status.APPRAISED
    assert messages_of(refused)[-1].startswith("Some criteria have no data for the year")
    assessment.refresh_from_db()
    assert assessment.status == Status.PROVISIONAL
    assert messages_of(published)[-1] == "1 provisional result published."


def test_the_criteria_page_says_what_happens_to_a_criterion_without_data(client, places, english):  # noqa: F811
    criteria_set = published_set(places.province)
    client.force_login(user_with_role(Role.DOHA_STAFF, places.province))

    content = client.get(reverse("scoring:criteria_set", kwargs={"pk": criteria_set.pk})).content.decode()

    assert 'id="missing-data-policy"' in content
    assert "never a knock-out" in content


# --- 11. A failed save keeps the files ---------------------------------------------------------------


def test_a_failed_save_keeps_the_file_and_the_corrected_form_saves_it_without_a_new_upload(client, places):  # noqa: F811
    assessment = open_assessment(places.commune)
    target = line(assessment, "G1.1")
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, places.commune))
    page = reverse("scoring:assessment_fill", kwargs={"pk": assessment.pk})
    prefix = f"line-{target.pk}"
    upload = SimpleUploadedFile("bien-ban-hoi-nghi.pdf", pdf_bytes("Biên bản"), content_type="application/pdf")

    failed = client.post(page, {f"{prefix}-self_score": "99", f"{prefix}-evidence": upload})

    assert failed.status_code == 200
    content = failed.content.decode()
    assert "bien-ban-hoi-nghi.pdf" in content  # shown as attached
    kept = failed.context["sections"][0][1][0][1].kept["evidence"]
    assert f'name="{kept.input_name}" value="{kept.token}"' in content
    assert not line(assessment, "G1.1").evidence  # nothing saved yet

    saved = client.post(page, {f"{prefix}-self_score": "1,5", kept.input_name: kept.token})

    assert saved.status_code == 302
    target = line(assessment, "G1.1")
    assert target.self_score == Decimal("1.50")
    assert target.evidence.name.endswith("bien-ban-hoi-nghi.pdf")
    with target.evidence.open("rb") as stored:
        assert stored.read() == pdf_bytes("Biên bản")


def test_a_failed_save_never_drops_a_file_sent_earlier_and_a_forged_token_attaches_nothing(client, places):  # noqa: F811
    assessment = fill_self(open_assessment(places.commune))
    target = line(assessment, "G1.1")
    before = target.evidence.name
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, places.commune))
    page = reverse("scoring:assessment_fill", kwargs={"pk": assessment.pk})
    prefix = f"line-{target.pk}"

    client.post(page, {f"{prefix}-self_score": "99"})
    client.post(page, {f"{prefix}-self_score": "1", f"{prefix}-evidence_index_kept": "forged:token"})

    target = line(assessment, "G1.1")
    assert target.evidence.name == before and target.evidence_index
    assert target.self_score == Decimal("1.00")


def test_a_district_has_a_board_only_in_the_years_its_communes_were_assessed(places):  # noqa: F811
    from scoring.selectors.board import district_board_years

    open_assessment(places.commune, published_set(places.province))
    published_set(places.province, year=2024)  # no assessment opened: no district board that year

    assert district_board_years(district=places.district) == [2025]
    assert district_board_years(district=places.other_district) == []


def test_the_dossier_page_keeps_a_good_file_when_another_is_refused(client, places):  # noqa: F811
    assessment = open_assessment(places.commune)
    first, second = assessment.criteria_set.documents.filter(generated=False).order_by("position")[:2]
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, places.commune))
    page = reverse("scoring:assessment_documents", kwargs={"pk": assessment.pk})
    good = SimpleUploadedFile("bien-ban.pdf", pdf_bytes("Biên bản"), content_type="application/pdf")
    bad = SimpleUploadedFile("anh.pdf", b"not a pdf", content_type="application/pdf")

    failed = client.post(page, {f"document_{first.pk}": good, f"document_{second.pk}": bad})

    assert failed.status_code == 200 and not assessment.documents.exists()
    kept = failed.context["form"].kept[f"document_{first.pk}"]
    assert f'name="{kept.input_name}" value="{kept.token}"' in failed.content.decode()

    saved = client.post(page, {kept.input_name: kept.token})

    assert saved.status_code == 302
    (attached,) = assessment.documents.all()
    assert attached.document == first
    with attached.file.open("rb") as stored:
        assert stored.read() == pdf_bytes("Biên bản")
