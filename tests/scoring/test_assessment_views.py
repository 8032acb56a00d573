"""One assessment's pages: every role against every page in the state where its action is possible,
then each page's happy path and bad input. The service rules themselves are in test_workflow.py."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from pypdf import PdfReader

from scoring.models import Appeal, Assessment, Status, Step
from scoring.rules import (
    ANSWER_APPEAL,
    APPEAL_LINE,
    APPRAISE_ASSESSMENT,
    FILL_ASSESSMENT,
    RETURN_ASSESSMENT,
    REVIEW_ASSESSMENT,
    VIEW_ASSESSMENT,
)
from scoring.services import appeal_answer, appeal_file, assessments_compute
from scoring.services.computation.metrics import METRICS
from scoring.services.computation.stars import knockout_text
from scoring.views import assessment as views
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture
from tests.scoring.factories import advance, fill_self, open_assessment, pdf_bytes, published_set
from tests.scoring.test_workflow import dossiers_reported, line, media_in_tmp  # noqa: F401 - media_in_tmp: autouse

pytestmark = pytest.mark.django_db

OFFICERS = {"officer_here", "officer_of_successor"}
REVIEWER = {"reviewer_here"}
DOHA = {"doha_here", "doha_of_successor"}
WORKS_ON = OFFICERS | REVIEWER | DOHA | {"leader_here", "site_admin"}


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


# Expected status of a GET per (route, role), with the assessment of places.commune (which has a
# district) in the state ROUTES gives. Official acts are one role's; POST-only actions give 405 to that role.
MATRIX = {
    "scoring:commune_assessments": expected(WORKS_ON),
    "scoring:assessment": expected(WORKS_ON),
    "scoring:assessment_fill": expected(OFFICERS),
    "scoring:assessment_documents": expected(OFFICERS),
    "scoring:assessment_sheet": expected(WORKS_ON),
    "scoring:assessment_submit": expected(OFFICERS, allowed_status=405),
    "scoring:assessment_review": expected(REVIEWER),
    "scoring:assessment_return": expected(REVIEWER | DOHA, allowed_status=405),
    "scoring:assessment_appraise": expected(DOHA),
    "scoring:assessment_adopt": expected(DOHA, allowed_status=405),
    "scoring:assessment_appeal": expected(OFFICERS),
    "scoring:appeal_answer": expected(DOHA),
}
# Each route's permission, and the state of the assessment in which its action is possible.
ROUTES = {
    "scoring:commune_assessments": (VIEW_ASSESSMENT, Status.DRAFT),
    "scoring:assessment": (VIEW_ASSESSMENT, Status.DRAFT),
    "scoring:assessment_fill": (FILL_ASSESSMENT, Status.DRAFT),
    "scoring:assessment_documents": (FILL_ASSESSMENT, Status.DRAFT),
    "scoring:assessment_sheet": (VIEW_ASSESSMENT, Status.DRAFT),
    "scoring:assessment_submit": (FILL_ASSESSMENT, Status.DRAFT),
    "scoring:assessment_review": (REVIEW_ASSESSMENT, Status.SUBMITTED),
    "scoring:assessment_return": (RETURN_ASSESSMENT, Status.SUBMITTED),
    "scoring:assessment_appraise": (APPRAISE_ASSESSMENT, Status.REVIEWED),
    "scoring:assessment_adopt": (APPRAISE_ASSESSMENT, Status.REVIEWED),
    "scoring:assessment_appeal": (APPEAL_LINE, Status.PROVISIONAL),
    "scoring:appeal_answer": (ANSWER_APPEAL, Status.PROVISIONAL),
}


def assessment_in(commune, status: str = Status.DRAFT) -> Assessment:
    assessment = open_assessment(commune)
    return assessment if status == Status.DRAFT else advance(fill_self(assessment), status)


def url(name: str, assessment: Assessment, appeal: Appeal | None = None) -> str:
    if name == "scoring:commune_assessments":
        return reverse(name, kwargs={"pk": assessment.commune_id})
    return reverse(name, kwargs={"pk": appeal.pk if name == "scoring:appeal_answer" else assessment.pk})


def sign_in(client, role: str, places):  # noqa: F811
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("name", list(MATRIX))
def test_role_gets_expected_answer_from_assessment_page(places, name):  # noqa: F811
    """Every role on one route, against one scene: building the assessment's scene is the slow part."""
    assessment = assessment_in(places.commune, ROUTES[name][1])
    appeal = None
    if name == "scoring:appeal_answer":
        appeal = appeal_file(line=line(assessment, "G1.1"), by=None, text="Đề nghị xem lại điểm.")
    address = url(name, assessment, appeal)
    answers = {}
    for role in ROLES:
        client = Client()
        sign_in(client, role, places)
        response = client.get(address)
        answers[role] = response.status_code
        if response.status_code == 302:
            assert "login" in response.headers["Location"], role

    assert answers == MATRIX[name]


def test_every_assessment_route_is_in_the_matrix_with_its_permission():
    routes = {
        f"scoring:{pattern.name}": pattern.callback
        for pattern in get_resolver("scoring.urls").url_patterns
        if isinstance(pattern, URLPattern) and pattern.callback.__module__ == views.__name__
    }
    assert set(routes) == set(MATRIX) == set(ROUTES)
    assert all(set(statuses) == set(ROLES) for statuses in MATRIX.values())
    for name, view in routes.items():
        assert view.permission_required == ROUTES[name][0], name


@pytest.mark.parametrize("role", ["site_admin", "leader_here", "doha_here"])
def test_official_acts_of_the_commune_are_its_officers_alone(client, places, role):  # noqa: F811
    assessment = fill_self(assessment_in(places.commune))
    sign_in(client, role, places)

    assert client.post(url("scoring:assessment_submit", assessment)).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


# --- The commune's list and the overview -----------------------------------------------------------


def test_commune_list_shows_each_year_with_its_status_and_deadlines(client, places, django_assert_num_queries):  # noqa: F811
    sign_in(client, "officer_here", places)
    assessment_in(places.commune)
    page = reverse("scoring:commune_assessments", kwargs={"pk": places.commune.pk})
    with CaptureQueriesContext(connection) as one_year:
        first = client.get(page)
    for year in (2023, 2024):
        open_assessment(places.commune, published_set(places.province, year=year))

    with django_assert_num_queries(len(one_year)):
        response = client.get(page)

    text = response.content.decode()
    assert first.status_code == response.status_code == 200
    assert [a.year for a in response.context["assessments"]] == [2025, 2024, 2023]
    assert "20/11/2025" in text  # the 2025 set's submission deadline


def overview_queries(client, assessment) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("scoring:assessment", assessment)).status_code == 200
    return len(captured)


def test_overview_costs_the_same_queries_for_one_appeal_as_for_five(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.PROVISIONAL)
    officer, doha = make_user("officer_here", places), sign_in(client, "doha_here", places)
    codes = ["G1.1", "G1.3", "G1.4", "G1.5", "G1.6"]
    appeal_file(line=line(assessment, codes[0]), by=officer, text="Đề nghị xem lại.")
    one = overview_queries(client, assessment)

    for code in codes[1:]:
        appeal = appeal_file(line=line(assessment, code), by=officer, text="Đề nghị xem lại.")
        appeal_answer(appeal=appeal, by=doha, outcome=Appeal.Outcome.REJECTED, answer="Giữ nguyên điểm.")

    assert overview_queries(client, assessment) == one
    assert assessment.steps.count() > 10


def test_overview_explains_lines_figures_documents_steps_and_knockouts(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.SUBMITTED)
    sign_in(client, "reviewer_here", places)

    response = client.get(url("scoring:assessment", assessment))

    text = response.content.decode()
    page = response.context["page"]
    assert [group.group.code for group in page.groups] == ["G1", "G2", "G3", "G4", "G5"]
    assert "Đã thực hiện đầy đủ." in text  # a self-assessed line's note
    assert f"?line={line(assessment, 'G1.1').pk}&amp;file=evidence" in text
    # G3.3: no unit had a survey answer in the period, so no data for the year, and no knock-out.
    assert _("no data for the year") in text
    assert knockout_text("survey:G3.3") not in text
    assert [row.present for row in page.documents] == [True] * 5
    assert [step.action for step in page.steps] == [Step.Action.OPEN, Step.Action.COMPUTE, Step.Action.SUBMIT]
    assert page.deadlines[0].done and page.deadlines[0].late  # submitted after 20/11/2025
    assert reverse("scoring:assessment_review", kwargs={"pk": assessment.pk}) in text
    assert reverse("scoring:assessment_fill", kwargs={"pk": assessment.pk}) not in text


def test_overview_shows_newer_figures_and_doha_adopts_them(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.REVIEWED)
    dossiers_reported(places.commune, received=100, on_time=100)
    assessments_compute(criteria_set=assessment.criteria_set, assessments=Assessment.objects.filter(pk=assessment.pk))
    sign_in(client, "doha_here", places)

    response = client.get(url("scoring:assessment", assessment))
    changes = {change.code: change for change in response.context["page"].changes}
    adopted = client.post(url("scoring:assessment_adopt", assessment))
    again = client.post(url("scoring:assessment_adopt", assessment), follow=True)

    assert (changes["G2.2"].before.points, changes["G2.2"].after.points) == (Decimal(0), Decimal(8))
    assert changes["G2.2"].after.percent == 100
    assert _("Newer figures") in response.content.decode()
    assert adopted.status_code == 302
    assert line(assessment, "G2.2").computed_points == Decimal(8)
    assert _("The assessment already uses the newest figures.") in messages_of(again)


def test_overview_serves_the_evidence_to_those_who_work_on_it(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.SUBMITTED)
    target = line(assessment, "G1.1")
    document = assessment.documents.select_related("document").first()
    sign_in(client, "leader_here", places)
    base = url("scoring:assessment", assessment)

    evidence = client.get(base, {"line": target.pk, "file": "evidence"})
    attached = client.get(base, {"document": document.document_id})

    assert evidence.status_code == attached.status_code == 200
    assert evidence["Content-Type"] == "application/pdf"
    assert b"".join(evidence.streaming_content).startswith(b"%PDF-")
    assert evidence["Content-Security-Policy"] == attached["Content-Security-Policy"] == "sandbox"
    assert client.get(base, {"line": target.pk, "file": "self_note"}).status_code == 404
    assert client.get(base, {"line": line(assessment, "G1.2").pk, "file": "evidence"}).status_code == 404
    assert client.get(base, {"line": "x", "file": "evidence"}).status_code == 404


# --- The commune's pages ---------------------------------------------------------------------------


def pdf_upload(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_officer_scores_a_line_with_evidence_and_files_already_sent_stay(client, places):  # noqa: F811
    assessment = assessment_in(places.commune)
    first, computed = line(assessment, "G1.1"), line(assessment, "G1.2")
    sign_in(client, "officer_here", places)
    page = url("scoring:assessment_fill", assessment)
    prefix = f"line-{first.pk}"

    shown = client.get(page)
    saved = client.post(
        page,
        {
            f"{prefix}-self_score": "1,5",
            f"{prefix}-self_note": "Đã ban hành quy chế.",
            f"{prefix}-evidence": pdf_upload(),
        },
    )
    kept = client.post(page, {f"{prefix}-self_score": "2", f"{prefix}-self_note": "Đã ban hành quy chế."})

    first.refresh_from_db()
    assert escape(str(METRICS["disclosure.compliance"].label)) in shown.content.decode()  # G1.2, read-only figures
    assert f"line-{computed.pk}-self_score" not in shown.content.decode()
    assert saved.status_code == kept.status_code == 302
    assert (first.self_score, first.self_note) == (Decimal(2), "Đã ban hành quy chế.")
    assert first.evidence.name.endswith(".pdf") and not first.evidence_index
    assert Assessment.objects.get(pk=assessment.pk).self_total == assessment.self_total + 2


def test_bad_input_in_any_line_saves_nothing_and_says_why_in_vietnamese(client, places):  # noqa: F811
    assessment = assessment_in(places.commune)
    first, second = line(assessment, "G1.1"), line(assessment, "G3.1")
    sign_in(client, "officer_here", places)
    fake = SimpleUploadedFile("minh-chung.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        url("scoring:assessment_fill", assessment),
        {
            f"line-{first.pk}-self_score": "2",
            f"line-{first.pk}-evidence": fake,
            f"line-{second.pk}-self_score": "3,5",  # above the criterion's 3 points
        },
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Tệp này không phải là văn bản PDF" in text
    assert "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 3" in text
    assert line(assessment, "G1.1").self_score is None
    assert not line(assessment, "G1.1").evidence


def test_officer_sends_dossier_documents_as_pdf_only(client, places):  # noqa: F811
    assessment = assessment_in(places.commune)
    documents = {d.code: d for d in assessment.criteria_set.documents.all()}
    sign_in(client, "officer_here", places)
    page = url("scoring:assessment_documents", assessment)

    nothing = client.post(page, {})
    refused = client.post(
        page,
        {
            f"document_{documents['HS1'].pk}": pdf_upload("to-trinh.pdf"),
            f"document_{documents['HS2'].pk}": SimpleUploadedFile("bao-cao.pdf", b"plain text"),
        },
    )
    sent = client.post(page, {f"document_{documents['HS1'].pk}": pdf_upload("to-trinh.pdf")})
    shown = client.get(page).content.decode()

    assert _("Choose at least one file to send.") in nothing.content.decode()
    assert refused.status_code == 200 and "Tệp này không phải là văn bản PDF" in refused.content.decode()
    assert sent.status_code == 302
    assert list(assessment.documents.values_list("document__code", flat=True)) == ["HS1"]
    assert f'name="document_{documents["HS3"].pk}"' not in shown
    assert reverse("scoring:assessment_sheet", kwargs={"pk": assessment.pk}) in shown


def test_the_self_scoring_sheet_is_a_vietnamese_pdf_of_the_criteria(client, places):  # noqa: F811
    assessment = fill_self(assessment_in(places.commune))
    sign_in(client, "reviewer_here", places)

    response = client.get(url("scoring:assessment_sheet", assessment))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BẢNG TỰ CHẤM ĐIỂM" in text
    assert "G3.4" in text
    assert assessment.unit_name.split(",")[0] in text


def test_submit_shows_what_is_missing_and_a_second_click_changes_nothing(client, places):  # noqa: F811
    assessment = assessment_in(places.commune)
    sign_in(client, "officer_here", places)
    submit = url("scoring:assessment_submit", assessment)

    refused = client.post(submit, follow=True)
    fill_self(assessment)
    first = client.post(submit)
    second = client.post(submit)

    refusal = _("Give a self-score to every criterion before submitting: %(codes)s.") % {"codes": ""}
    assert any(text.startswith(refusal[:-1]) for text in messages_of(refused))
    assert first.status_code == 302
    assert second.status_code == 403  # no longer a draft: nothing to submit
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SUBMITTED
    assert assessment.steps.filter(action=Step.Action.SUBMIT).count() == 1


# --- The district's and DoHA's pages ---------------------------------------------------------------


def test_reviewer_notes_lines_and_sends_the_assessment_to_appraisal(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.SUBMITTED)
    noted = line(assessment, "G2.7")
    sign_in(client, "reviewer_here", places)
    page = url("scoring:assessment_review", assessment)

    too_long = client.post(page, {f"note_{noted.pk}": "x" * 4001})
    assert too_long.status_code == 200 and Assessment.objects.get(pk=assessment.pk).status == Status.SUBMITTED
    reviewed = client.post(page, {f"note_{noted.pk}": "Ảnh chụp quầy chưa rõ.", "overall": "Đạt yêu cầu."})

    assert reviewed.status_code == 302
    assert line(assessment, "G2.7").review_note == "Ảnh chụp quầy chưa rõ."
    assert assessment.steps.get(action=Step.Action.REVIEW).note == "Đạt yêu cầu."


@pytest.mark.parametrize(("role", "status"), [("reviewer_here", Status.SUBMITTED), ("doha_here", Status.REVIEWED)])
def test_an_assessment_goes_back_to_the_commune_only_with_a_reason(client, places, role, status):  # noqa: F811
    assessment = assessment_in(places.commune, status)
    sign_in(client, role, places)
    send_back = url("scoring:assessment_return", assessment)

    refused = client.post(send_back, {"reason": "  ", "back_to": "review"})
    returned = client.post(send_back, {"reason": "Thiếu minh chứng G2.7.", "back_to": "elsewhere"})

    assert refused.headers["Location"] == reverse("scoring:assessment_review", kwargs={"pk": assessment.pk})
    assert _("Say why the assessment goes back to the commune.") in messages_of(refused)
    assert returned.headers["Location"] == url("scoring:assessment", assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == Status.DRAFT
    assert assessment.steps.get(action=Step.Action.RETURN).note == "Thiếu minh chứng G2.7."


def test_doha_appraises_a_line_down_with_a_reason(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.REVIEWED)
    lowered = line(assessment, "G2.7")
    sign_in(client, "doha_here", places)
    page = url("scoring:assessment_appraise", assessment)

    form = client.get(page).context["form"]
    no_reason = client.post(page, {f"score_{lowered.pk}": "2"})
    too_high = client.post(page, {f"score_{lowered.pk}": "5", f"reason_{lowered.pk}": "Lý do"})
    appraised = client.post(
        page,
        {
            f"score_{lowered.pk}": "2",
            f"reason_{lowered.pk}": "Chưa có lối đi cho người khuyết tật.",
            "overall": "Đã thẩm định.",
        },
    )

    assert form[f"score_{lowered.pk}"].initial == Decimal(4)  # prefilled with the commune's score
    reason_needed = _("%(code)s: give the reason for a score that differs from the commune's.") % {"code": "G2.7"}
    assert escape(reason_needed) in no_reason.content.decode()
    assert "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 4" in too_high.content.decode()
    assert appraised.status_code == 302
    after = Assessment.objects.get(pk=assessment.pk)
    assert (after.status, line(assessment, "G2.7").points) == (Status.APPRAISED, Decimal(2))
    assert after.total == assessment.total - 2


def test_doha_records_a_discipline_case_only_with_its_description(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.REVIEWED)
    sign_in(client, "doha_here", places)
    page = url("scoring:assessment_appraise", assessment)

    refused = client.post(page, {"discipline_case": "on"})
    recorded = client.post(page, {"discipline_case": "on", "discipline_note": "Kỷ luật khiển trách 01 công chức."})

    assert _("Describe the discipline or corruption case.") in refused.content.decode()
    assert recorded.status_code == 302
    after = Assessment.objects.get(pk=assessment.pk)
    assert after.discipline_case and "discipline" in after.knockouts and after.stars == 0


# --- Appeals ---------------------------------------------------------------------------------------


def test_officer_appeals_a_line_and_doha_accepts_it_with_a_new_score(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.PROVISIONAL)
    contested = line(assessment, "G2.7")
    sign_in(client, "officer_here", places)

    empty = client.post(url("scoring:assessment_appeal", assessment), {"line": contested.pk, "text": " "})
    filed = client.post(url("scoring:assessment_appeal", assessment), {"line": contested.pk, "text": "Đã đủ hồ sơ."})
    appeal = Appeal.objects.get(line=contested)
    sign_in(client, "doha_here", places)
    answer = url("scoring:appeal_answer", assessment, appeal)
    no_score = client.post(answer, {"outcome": "accepted", "answer": "Đồng ý một phần."})
    accepted = client.post(answer, {"outcome": "accepted", "score": "3,5", "answer": "Đồng ý một phần."})

    assert empty.status_code == 200 and not Appeal.objects.filter(line=contested, text=" ").exists()
    assert filed.status_code == 302
    assert _("Give the new score of the line.") in no_score.content.decode()
    assert accepted.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.score_before, appeal.score_after) == ("accepted", Decimal(4), Decimal("3.5"))
    assert Assessment.objects.get(pk=assessment.pk).total == assessment.total - Decimal("0.5")


def test_doha_rejects_an_appeal_with_an_answer_and_the_points_stay(client, places):  # noqa: F811
    assessment = assessment_in(places.commune, Status.PROVISIONAL)
    appeal = appeal_file(line=line(assessment, "G1.1"), by=None, text="Đề nghị xem lại.")
    sign_in(client, "doha_here", places)

    rejected = client.post(
        url("scoring:appeal_answer", assessment, appeal), {"outcome": "rejected", "answer": "Giữ nguyên."}
    )
    shown = client.get(url("scoring:assessment", assessment)).content.decode()

    appeal.refresh_from_db()
    assert rejected.status_code == 302
    assert (appeal.outcome, appeal.answer) == ("rejected", "Giữ nguyên.")
    assert Assessment.objects.get(pk=assessment.pk).total == assessment.total
    assert "Giữ nguyên." in shown
