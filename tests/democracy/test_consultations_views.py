"""Consultations' pages: what residents read and send on the public page (never anyone's name), the
back office's steps with bad input changing nothing, double submits, files, and constant query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfWriter

from accounts.models import Role
from core import clock
from democracy.models.consultations import (
    Comment,
    CommentResponse,
    CommentStatus,
    Consultation,
    ConsultationChannel,
    ConsultationStatus,
)
from democracy.selectors.consultations import consultations_for_commune
from democracy.services import consultations as services
from democracy.views import consultations as views
from tests.communes.factories import CommuneFactory
from tests.democracy.matrix.consultations import open_consultation, plan
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def pdf(name: str = "du-thao.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/pdf")


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune, full_name="Cán Bộ Xã Nhập Liệu")


@pytest.fixture
def resident():
    return UserFactory(full_name="Phạm Thị Riêng Tư", email="rieng-tu@example.com")


def detail(consultation) -> str:
    return reverse("democracy:consultation_detail", kwargs={"pk": consultation.pk})


def manage(consultation) -> str:
    return reverse("democracy:manage_consultation", kwargs={"pk": consultation.pk})


def comments(consultation, officer, residents, count: int) -> None:
    """``count`` published comments, half typed in, half from residents and moderated."""
    section = consultation.sections.first()
    for number in range(count):
        if number % 2:
            services.comment_enter(
                consultation=consultation,
                section=section,
                channel=ConsultationChannel.FRONT,
                source=f"Ban công tác Mặt trận thôn {number}",
                text=f"Ý kiến số {number} từ thôn.",
                by=officer,
            )
        else:
            sent = services.comment_submit(
                consultation=consultation, user=residents[number % len(residents)], text=f"Ý kiến số {number} gửi."
            )
            services.comment_moderate(comment=sent, publish=True, by=officer)


def assert_no_personal_data(content: str, *people) -> None:
    for person in people:
        assert person.full_name not in content
        assert person.email not in content


# --- The public page --------------------------------------------------------------------------------------


def test_the_public_page_shows_the_plan_and_comments_and_never_who_wrote_them(client, commune, officer, resident):
    consultation = open_consultation(commune, officer, sections=2)
    comments(consultation, officer, [resident], 2)
    hidden = services.comment_submit(consultation=consultation, user=resident, text="Chưa duyệt: không công khai.")
    response = client.get(detail(consultation))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="consultation-plan"' in content and 'id="days-left"' in content
    assert "Ý kiến số 0 gửi." in content and "Ý kiến số 1 từ thôn." in content
    assert "Ban công tác Mặt trận thôn 1" in content  # a typed-in comment's source is public
    assert hidden.text not in content
    assert 'id="sign-in-to-comment"' in content and "next=" in content
    assert_no_personal_data(content, resident, officer)

    # Its author sees their own comment awaiting moderation; nobody else does, and no name is shown.
    client.force_login(resident)
    content = client.get(detail(consultation)).content.decode()
    assert f'id="own-comment-{hidden.pk}" data-status="pending"' in content
    assert_no_personal_data(content, officer)  # the account menu names the signed-in resident only
    assert resident.full_name not in content
    client.force_login(UserFactory())
    content = client.get(detail(consultation)).content.decode()
    assert hidden.text not in content and 'id="own-comments"' not in content
    assert_no_personal_data(content, resident, officer)


def test_a_consultation_being_prepared_is_not_public_and_its_draft_only_for_the_back_office(client, commune, officer):
    consultation = plan(commune, officer, draft=pdf())
    draft_url = reverse("democracy:consultation_draft", kwargs={"pk": consultation.pk})
    assert client.get(detail(consultation)).status_code == 404
    assert client.get(draft_url).status_code == 404
    client.force_login(officer)
    response = client.get(draft_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(reverse("democracy:consultation_final", kwargs={"pk": consultation.pk})).status_code == 404


def test_a_resident_comments_once_however_often_the_form_is_sent(client, commune, officer, resident):
    consultation = open_consultation(commune, officer)
    section = consultation.sections.get()
    data = {"section": str(section.pk), "text": "Đề nghị ghi rõ thời hạn trả lời.", "submission": "token-1"}
    assert client.post(detail(consultation), data).status_code == 302
    assert "/accounts/login" in client.post(detail(consultation), data).headers["Location"]
    assert not Comment.objects.exists()

    client.force_login(resident)
    assert client.post(detail(consultation), data).status_code == 302
    assert client.post(detail(consultation), data).status_code == 302  # a double click
    sent = Comment.objects.get()
    assert (sent.author, sent.section, sent.status) == (resident, section, CommentStatus.PENDING)
    response = client.post(detail(consultation), {"text": "ngắn", "submission": "token-2"})
    assert response.status_code == 400 and 'id="comment-errors"' in response.content.decode()
    assert Comment.objects.count() == 1


def test_comments_are_rate_limited_and_refused_once_closed(client, commune, officer, resident, monkeypatch):
    consultation = open_consultation(commune, officer)
    client.force_login(resident)
    monkeypatch.setattr(views, "COMMENTS_PER_HOUR", 0)
    response = client.post(detail(consultation), {"text": "Ý kiến hợp lệ và đủ dài.", "submission": "a"})
    assert response.status_code == 429
    monkeypatch.undo()
    services.consultation_close(consultation=consultation, reason="Hội đồng nhân dân họp sớm.", by=officer)
    response = client.post(detail(consultation), {"text": "Ý kiến hợp lệ và đủ dài.", "submission": "b"})
    content = response.content.decode()
    assert response.status_code == 400 and 'id="comments-closed"' in content and 'id="closed-early"' in content
    assert 'id="comment-errors"' in content
    assert not Comment.objects.exists()


def test_the_public_page_costs_the_same_for_2_and_10_comments(client, commune, officer, resident):
    few, many = open_consultation(commune, officer), open_consultation(commune, officer, sections=3)
    residents = [resident, UserFactory()]
    comments(few, officer, residents, 2)
    comments(many, officer, residents, 10)
    client.force_login(resident)
    counts = []
    for consultation in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(consultation)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8


def test_after_the_synthesis_each_comment_shows_its_answer_and_the_counts(client, commune, officer, resident):
    consultation = open_consultation(commune, officer)
    comments(consultation, officer, [resident], 3)
    services.consultation_close(consultation=consultation, reason="Kết thúc sớm theo kế hoạch mới.", by=officer)
    responses = [CommentResponse.ACCEPTED, CommentResponse.EXPLAINED, CommentResponse.ACCEPTED]
    for sent, response in zip(consultation.comments.order_by("pk"), responses, strict=True):
        services.comment_answer(comment=sent, response=response, answer=f"Trả lời ý kiến {sent.pk}.", by=officer)
    services.consultation_synthesise(
        consultation=consultation, synthesis="Tổng hợp.", changes="Sửa Điều 1.", final_document=pdf(), by=officer
    )
    content = client.get(detail(consultation)).content.decode()
    for sent in consultation.comments.all():
        assert f'id="answer-{sent.pk}" data-response="{sent.response}"' in content
        assert content.index(sent.text) < content.index(f"Trả lời ý kiến {sent.pk}.")
    assert 'data-comments="3" data-accepted="2" data-partly="0" data-explained="1"' in content
    assert 'id="on-time" data-on-time="no"' in content  # closed before its planned date
    assert 'id="final-link"' in content and 'id="comment-form"' in content and 'id="sign-in-to-comment"' not in content
    assert client.get(reverse("democracy:consultation_final", kwargs={"pk": consultation.pk})).status_code == 200
    assert_no_personal_data(content, resident, officer)


def test_the_commune_panel_lists_open_consultations_first_in_constant_queries(
    commune, officer, django_assert_max_num_queries
):
    open_consultation(commune, officer, title="Đang mở")
    plan(commune, officer, title="Chưa công bố")
    for number in range(3):
        closed = open_consultation(commune, officer, title=f"Đã đóng {number}")
        services.consultation_close(consultation=closed, reason="Đóng sớm để kiểm thử.", by=officer)
    with django_assert_max_num_queries(2):
        listed = consultations_for_commune(commune=commune)
    assert listed[0].title == "Đang mở" and len(listed) == 4
    assert listed[0].days_left == 24 and listed[1].days_left is None

    from django.template.loader import render_to_string

    html = render_to_string("democracy/public/_consultations_panel.html", {"consultations": listed})
    assert f'id="consultation-{listed[0].pk}" data-status="open"' in html and "Chưa công bố" not in html


# --- The back office -----------------------------------------------------------------------------------------


def plan_data(**kwargs) -> dict:
    today = clock.today()
    return {
        "topic": "2",
        "title": "Quy hoạch sử dụng đất phường",
        "summary": "Lấy ý kiến về phương án quy hoạch.",
        "channels": ["portal", "meeting"],
        "opens_on": today.isoformat(),
        "closes_on": (today + 25 * DAY).isoformat(),
        "organiser": "UBND phường",
        "sent_to_council_on": today.isoformat(),
        "sent_to_front_on": today.isoformat(),
        "submission": "plan-1",
    } | kwargs


def test_an_officer_plans_once_and_a_short_window_changes_nothing(client, commune, officer):
    client.force_login(officer)
    url = reverse("democracy:manage_consultation_create", kwargs={"pk": commune.pk})
    short = plan_data(closes_on=(clock.today() + 10 * DAY).isoformat(), submission="plan-0")
    response = client.post(url, short)
    assert response.status_code == 400 and 'id="id_closes_on_error"' in response.content.decode()
    assert not Consultation.objects.exists()
    assert client.post(url, plan_data(draft=pdf())).status_code == 302
    assert client.post(url, plan_data()).status_code == 302  # sent twice
    consultation = Consultation.objects.get()
    assert consultation.draft and consultation.created_by == officer
    not_pdf = SimpleUploadedFile("du-thao.pdf", b"MZ not a pdf", content_type="application/pdf")
    update = reverse("democracy:manage_consultation_update", kwargs={"pk": consultation.pk})
    assert client.post(update, plan_data(draft=not_pdf)).status_code == 400


def test_the_back_office_steps_from_sections_to_synthesis(client, commune, officer, resident):
    client.force_login(officer)
    consultation = plan(commune, officer)
    paste = reverse("democracy:manage_consultation_sections_paste", kwargs={"pk": consultation.pk})
    assert client.post(paste, {"text": "Điều 1. Phạm vi\nNội dung.\nĐiều 2. Đối tượng\nNội dung."}).status_code == 302
    assert client.post(reverse("democracy:manage_consultation_open", kwargs={"pk": consultation.pk})).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN and consultation.sections.count() == 2

    sent = services.comment_submit(consultation=consultation, user=resident, text="Có số điện thoại 0912…")
    moderate = reverse("democracy:manage_consultation_comment_moderate", kwargs={"pk": sent.pk})
    response = client.post(moderate, {f"m{sent.pk}-publish": "0"})
    assert response.status_code == 400 and f'id="reject-{sent.pk}" open' in response.content.decode()
    assert client.post(moderate, {f"m{sent.pk}-publish": "0", f"m{sent.pk}-reason": "personal_data"}).status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.moderation_reason) == (CommentStatus.REJECTED, "personal_data")

    create = reverse("democracy:manage_consultation_comment_create", kwargs={"pk": consultation.pk})
    typed = {"channel": "front", "source": "Ban công tác Mặt trận thôn", "text": "Đề nghị họp thôn.", "submission": "t"}
    assert client.post(create, typed).status_code == 302
    assert client.post(create, typed).status_code == 302  # sent twice
    entered = Comment.objects.get(status=CommentStatus.PUBLISHED)

    close = reverse("democracy:manage_consultation_close", kwargs={"pk": consultation.pk})
    assert client.post(close, {}).status_code == 400  # before its last day: the reason is needed
    assert client.post(close, {"close-reason": "Kỳ họp Hội đồng nhân dân được tổ chức sớm."}).status_code == 302
    synthesis = reverse("democracy:manage_consultation_synthesis", kwargs={"pk": consultation.pk})
    response = client.post(synthesis, {"synthesis": "Tổng hợp.", "changes": "Không."})
    assert response.status_code == 400 and 'id="synthesis-missing"' in response.content.decode()
    answer = reverse("democracy:manage_consultation_comment_answer", kwargs={"pk": entered.pk})
    answered = {f"c{entered.pk}-response": "accepted", f"c{entered.pk}-answer": "Đã bổ sung Điều 2."}
    assert client.post(answer, answered).status_code == 302
    assert client.post(synthesis, {"synthesis": "Tổng hợp.", "changes": "Sửa Điều 2."}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.SYNTHESISED
    content = client.get(manage(consultation)).content.decode()
    assert 'id="history"' in content and 'data-on-time="no"' in content


def test_the_back_office_page_costs_the_same_and_only_officers_see_residents_names(client, commune, officer, resident):
    few, many = open_consultation(commune, officer), open_consultation(commune, officer, sections=3)
    residents = [resident, UserFactory()]
    comments(few, officer, residents, 2)
    comments(many, officer, residents, 10)
    for consultation in (few, many):
        services.comment_submit(consultation=consultation, user=resident, text="Đang chờ kiểm duyệt nội dung.")
    client.force_login(officer)
    counts = []
    for consultation in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(manage(consultation))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert resident.email in response.content.decode()

    front = user_with_role(Role.COMMUNE_FRONT, commune)
    client.force_login(front)
    response = client.get(manage(many))
    assert response.status_code == 200 and 'id="moderation"' not in response.content.decode()
    assert_no_personal_data(response.content.decode(), resident)

    listings = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as listing:
            assert client.get(reverse("democracy:manage_consultations", kwargs={"pk": commune.pk})).status_code == 200
        listings.append(len(listing))
        for number in range(3):
            plan(commune, officer, title=f"Kế hoạch {number}")
    assert listings[0] == listings[1]  # 2 consultations, then 5
