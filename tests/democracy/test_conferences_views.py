"""Dialogue conferences (art. 32), the pages: residents ask on the public page, which never shows who
asked; the officers' steps refuse bad input without changing anything; lists cost constant queries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import Role
from core import clock
from democracy.models import Conference, ConferenceStatus, Outcome, Question, QuestionStatus
from democracy.services import conferences as services
from tests.communes.factories import CommuneFactory
from tests.democracy.test_conferences_services import held, moved_back, planned
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def a_pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


@pytest.fixture
def resident():
    return UserFactory(full_name="Nguyễn Thị Hỏi", email="nguoi-hoi@example.com")


def detail_url(conference) -> str:
    return reverse("democracy:conference_detail", kwargs={"pk": conference.pk})


def ask_url(conference) -> str:
    return reverse("democracy:conference_question", kwargs={"pk": conference.pk})


def manage_url(conference) -> str:
    return reverse("democracy:manage_conference", kwargs={"pk": conference.pk})


def assert_no_author(content: str, resident) -> None:
    assert resident.full_name not in content and resident.email not in content


# --- The residents' page ----------------------------------------------------------------------------------


def test_a_resident_asks_once_and_the_page_never_shows_who_asked(client, commune, officer, resident):
    conference = planned(commune, officer)
    client.force_login(resident)
    data = {"text": "Khi nào nạo vét mương tiêu ngõ 3?", "submission": "token-1"}
    first = client.post(ask_url(conference), data)
    again = client.post(ask_url(conference), data)  # a double click
    assert first.status_code == again.status_code == 302
    question = Question.objects.get(conference=conference)
    assert question.author == resident and question.status == QuestionStatus.PENDING
    services.question_moderate(question=question, publish=True, by=officer)

    neighbour = type(client)()
    neighbour.force_login(UserFactory())
    for viewer in (neighbour, type(client)()):  # a signed-in neighbour, an anonymous visitor
        content = viewer.get(detail_url(conference)).content.decode()
        assert f'id="question-{question.pk}"' in content
        assert_no_author(content, resident)
    conference = held(conference, officer)
    services.question_outcome_record(question=question, outcome=Outcome.ANSWERED, answer="Tháng 5.", by=officer)
    services.conference_publish(conference=conference, by=officer)
    response = type(client)().get(detail_url(conference))
    content = response.content.decode()
    assert 'id="minutes-link"' in content and 'data-outcome="answered"' in content
    assert_no_author(content, resident)


def test_asking_needs_a_signed_in_resident_and_an_open_conference(client, commune, officer, resident):
    conference = planned(commune, officer)
    response = client.post(ask_url(conference), {"text": "Câu hỏi", "submission": "a"})
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
    page = client.get(detail_url(conference)).content.decode()
    assert 'id="sign-in-to-ask"' in page
    client.force_login(resident)
    assert client.post(ask_url(conference), {"text": "  ", "submission": "b"}).status_code == 400
    moved_back(conference, 9)
    response = client.post(ask_url(conference), {"text": "Muộn rồi", "submission": "c"})
    assert response.status_code == 400 and 'id="ask-errors"' in response.content.decode()
    assert not Question.objects.exists()


def test_too_many_questions_from_one_connection_are_refused(client, commune, officer, resident, monkeypatch):
    conference = planned(commune, officer)
    monkeypatch.setattr("democracy.views.conferences.rate_limit_exceeded", lambda **kwargs: True)
    client.force_login(resident)
    assert client.post(ask_url(conference), {"text": "Câu hỏi", "submission": "a"}).status_code == 429
    assert not Question.objects.exists()


def test_the_public_page_costs_the_same_for_2_and_10_questions(client, commune, officer, django_assert_max_num_queries):
    conference = planned(commune, officer)
    for number in range(2):
        services.question_enter(conference=conference, text=f"Câu hỏi {number}", by=officer)
    conference = held(conference, officer)
    queries = {}
    for total in (2, 10):
        for number in range(Question.objects.count(), total):
            services.question_enter(conference=conference, text=f"Câu hỏi {number}", by=officer)
        with django_assert_max_num_queries(8) as captured:
            assert client.get(detail_url(conference)).status_code == 200
        queries[total] = len(captured)
    assert queries[2] == queries[10]


def test_the_minutes_are_public_once_published(client, commune, officer):
    conference = held(planned(commune, officer), officer)
    minutes_url = reverse("democracy:conference_minutes", kwargs={"pk": conference.pk})
    assert client.get(minutes_url).status_code == 404
    services.conference_publish(conference=conference, by=officer)
    response = client.get(minutes_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_commune_panel_lists_the_conferences(commune, officer):
    from django.template.loader import render_to_string

    from democracy.selectors.conferences import conferences_for_commune

    conference = planned(commune, officer)
    html = render_to_string(
        "democracy/public/_conferences_panel.html",
        {"commune": commune, "conferences": conferences_for_commune(commune=commune)},
    )
    assert f'id="conference-{conference.pk}"' in html and detail_url(conference) in html


# --- The back office -------------------------------------------------------------------------------------------


def test_the_officer_schedules_once_and_a_bad_plan_changes_nothing(client, commune, officer):
    client.force_login(officer)
    url = reverse("democracy:manage_conference_create", kwargs={"pk": commune.pk})
    start = timezone.localtime(timezone.now() + 10 * DAY, clock.VIETNAM)
    data = {
        "title": "Hội nghị đối thoại năm 2026",
        "agenda": "Giao thông, môi trường.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "place": "Hội trường",
        "questions_until": (start + DAY).strftime("%Y-%m-%dT%H:%M"),
        "submission": "plan-1",
    }
    assert client.post(url, data).status_code == 400  # questions after the start
    assert not Conference.objects.exists()
    data["questions_until"] = (start - 2 * DAY).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    conference = Conference.objects.get()
    edit_url = reverse("democracy:manage_conference_update", kwargs={"pk": conference.pk})
    assert client.get(edit_url).status_code == 200
    assert client.post(edit_url, data | {"place": "Nhà văn hóa tổ dân phố số 2"}).status_code == 302
    assert Conference.objects.get().place == "Nhà văn hóa tổ dân phố số 2"


def test_recording_the_conference_refuses_a_file_that_is_not_a_pdf(client, commune, officer):
    conference = moved_back(planned(commune, officer), 12)
    client.force_login(officer)
    url = reverse("democracy:manage_conference_held", kwargs={"pk": conference.pk})
    data = {
        "held-held_on": (clock.today() - DAY).isoformat(),
        "held-attendance": 120,
        "held-summary": "Tóm tắt.",
        "held-minutes": SimpleUploadedFile("bien-ban.pdf", b"not a pdf", content_type="application/pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 400 and 'id="held"' in response.content.decode()
    assert Conference.objects.get(pk=conference.pk).status == ConferenceStatus.PLANNED
    data["held-minutes"] = a_pdf()
    assert client.post(url, data).status_code == 302
    assert Conference.objects.get(pk=conference.pk).status == ConferenceStatus.HELD


def test_an_outcome_without_its_details_is_refused_on_its_field(client, commune, officer):
    conference = planned(commune, officer)
    question = services.question_enter(conference=conference, text="Đường ngõ 5?", by=officer)
    conference = held(conference, officer)
    client.force_login(officer)
    url = reverse("democracy:manage_conference_question_outcome", kwargs={"pk": question.pk})
    prefix = f"q{question.pk}-outcome"
    response = client.post(url, {f"{prefix}-outcome": Outcome.FORWARDED})
    assert response.status_code == 400
    assert f'id="id_{prefix}-forwarded_to_error"' in response.content.decode()
    assert Question.objects.get(pk=question.pk).outcome == ""
    publish = client.post(reverse("democracy:manage_conference_publish", kwargs={"pk": conference.pk}))
    assert publish.status_code == 302
    assert Conference.objects.get(pk=conference.pk).status == ConferenceStatus.HELD


def test_only_the_officers_see_who_asked_and_overdue_answers_are_marked(client, commune, officer, resident):
    conference = planned(commune, officer)
    question = services.question_send(conference=conference, text="Bao giờ có nước sạch?", author=resident)
    services.question_moderate(question=question, publish=True, by=officer)
    conference = held(conference, officer, days_ago=10)
    services.question_outcome_record(
        question=question, outcome=Outcome.IN_WRITING, answer_due_on=clock.today() - DAY, by=officer
    )
    client.force_login(officer)
    content = client.get(manage_url(conference)).content.decode()
    assert resident.full_name in content and 'data-overdue="1"' in content
    client.force_login(user_with_role(Role.COMMUNE_FRONT, commune))
    content = client.get(manage_url(conference)).content.decode()
    assert 'data-overdue="1"' in content
    assert_no_author(content, resident)
    services.conference_publish(conference=conference, by=officer)
    public = type(client)().get(detail_url(conference)).content.decode()
    assert 'data-overdue="true"' in public


def test_the_back_office_pages_cost_the_same_for_2_and_10_questions(
    client, commune, officer, django_assert_max_num_queries
):
    conference = planned(commune, officer)
    client.force_login(officer)
    pages = [manage_url(conference), reverse("democracy:manage_conferences", kwargs={"pk": commune.pk})]
    queries = {}
    for total in (2, 10):
        for number in range(Question.objects.count(), total):
            services.question_send(conference=conference, text=f"Câu hỏi {number}", author=UserFactory())
            planned(commune, officer, title=f"Hội nghị {number}")
        with django_assert_max_num_queries(30) as captured:
            for url in pages:
                assert client.get(url).status_code == 200
        queries[total] = len(captured)
    assert queries[2] == queries[10]
