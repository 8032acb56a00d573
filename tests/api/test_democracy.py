"""The democracy app's API (/api/v1/): the public pages' records, what a resident sees of their own
comments, commenting on a consultation, and what never leaves (authors, accounts, records not public)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core import clock
from democracy.models import (
    BoardKind,
    Category,
    Comment,
    CommentResponse,
    Conference,
    Consultation,
    ConsultationChannel,
    Form,
    Outcome,
    Position,
    Proposer,
)
from democracy.models.consultations import ModerationReason
from democracy.services import conferences as conference_services
from democracy.services import consultations as consultation_services
from democracy.services import matter_propose
from democracy.services.boards import board_create, board_member_add, recommendation_answer, recommendation_create
from democracy.services.execution import execution_record
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import village_with_households
from tests.democracy.matrix.consultations import open_consultation, plan
from tests.democracy.matrix.execution import inspection_board, pdf_bytes, recognised_matter
from tests.portal.factories import UserFactory

RESIDENT_EMAIL = "lan.nguyen@example.vn"
RESIDENT_NAME = "Nguyễn Thị Lan"
MEMBER_EMAIL = "kiem.le@example.vn"


def api(name: str, pk: int) -> str:
    return reverse(f"api:democracy:{name}", kwargs={"pk": pk})


def client_for(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class Scene:
    commune: object
    elsewhere: object
    officer: object
    resident: object
    neighbour: object
    matter: object
    draft_matter: object
    consultation: object
    section: object
    pending: object
    rejected: object
    synthesised: object
    draft_consultation: object
    conference: object
    board: object
    answered: object
    awaiting: object


def _synthesised(commune, officer, neighbour):
    """A consultation that ran its whole period, with two comments answered and its synthesis published."""
    consultation = open_consultation(commune, officer, title="Dự thảo quy hoạch khu dân cư")
    typed_in = consultation_services.comment_enter(
        consultation=consultation,
        text="Đề nghị mở rộng đường vào khu dân cư.",
        channel=ConsultationChannel.FRONT,
        source="Ban công tác Mặt trận thôn Đông",
        by=officer,
    )
    sent = consultation_services.comment_submit(
        consultation=consultation, user=neighbour, text="Cần thêm sân chơi cho trẻ em."
    )
    consultation_services.comment_moderate(comment=sent, publish=True, by=officer)
    # Its period moved back, as if it had opened a month ago.
    today = clock.today()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=5)
    )
    consultation_services.consultation_close(consultation=consultation, by=officer)
    consultation_services.comment_answer(
        comment=typed_in, response=CommentResponse.ACCEPTED, answer="Đã bổ sung vào quy hoạch.", by=officer
    )
    consultation_services.comment_answer(
        comment=sent, response=CommentResponse.EXPLAINED, answer="Sân chơi có trong giai đoạn 2.", by=officer
    )
    return consultation_services.consultation_synthesise(
        consultation=consultation, synthesis="Hai ý kiến đã được trả lời.", changes="Mở rộng đường vào.", by=officer
    )


def _published_conference(commune, officer, resident):
    """A conference whose answers are published: one resident's question, answered at the conference."""
    now = timezone.now()
    conference = conference_services.conference_schedule(
        commune=commune,
        title="Hội nghị đối thoại năm 2026",
        agenda="Đường giao thông nông thôn.",
        starts_at=now + datetime.timedelta(days=2),
        place="Hội trường Ủy ban nhân dân",
        questions_until=now + datetime.timedelta(days=1),
        by=officer,
    )
    question = conference_services.question_send(
        conference=conference, text="Khi nào sửa đường ngõ 5?", author=resident
    )
    conference_services.question_moderate(question=question, publish=True, by=officer)
    Conference.objects.filter(pk=conference.pk).update(
        starts_at=now - datetime.timedelta(days=7), questions_until=now - datetime.timedelta(days=8)
    )
    conference.refresh_from_db()
    conference_services.conference_record_held(
        conference=conference,
        held_on=clock.today() - datetime.timedelta(days=7),
        attendance=120,
        minutes=SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf"),
        summary="Nhân dân nêu 1 câu hỏi.",
        by=officer,
    )
    conference_services.question_outcome_record(
        question=question, outcome=Outcome.ANSWERED, answer="Quý III sẽ sửa.", by=officer
    )
    return conference_services.conference_publish(conference=conference, by=officer)


def scene_build() -> Scene:
    from accounts.models import Role
    from tests.portal.factories import user_with_role

    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    resident = UserFactory(email=RESIDENT_EMAIL, full_name=RESIDENT_NAME)
    neighbour = UserFactory()
    village = village_with_households(2, commune=commune)

    matter = recognised_matter(village, officer)
    execution_record(matter=matter, kind="collected", on=clock.today(), amount=800000, description="Thu.", by=officer)
    execution_record(matter=matter, kind="spent", on=clock.today(), amount=300000, description="Chi.", by=officer)
    draft_matter = matter_propose(
        commune=commune,
        village=village,
        title="Chưa công bố",
        summary="Đang chuẩn bị.",
        category=Category.SELF_MANAGED,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=officer,
    )

    consultation = open_consultation(commune, officer, sections=2)
    section = consultation.sections.order_by("number").first()
    pending = consultation_services.comment_submit(
        consultation=consultation, user=resident, text="Ý kiến của tôi đang chờ kiểm duyệt.", section=section
    )
    rejected = consultation_services.comment_submit(
        consultation=consultation, user=resident, text="Số điện thoại của tôi là 0912345678."
    )
    consultation_services.comment_moderate(
        comment=rejected, publish=False, reason=ModerationReason.PERSONAL_DATA, by=officer
    )
    published = consultation_services.comment_submit(
        consultation=consultation, user=resident, text="Đề nghị niêm yết tại nhà văn hoá."
    )
    consultation_services.comment_moderate(comment=published, publish=True, by=officer)
    consultation_services.comment_enter(
        consultation=consultation,
        section=section,
        text="Nhân dân đề nghị họp thôn để bàn.",
        channel=ConsultationChannel.MEETING,
        source="Hội nghị thôn Đông",
        by=officer,
    )

    board = inspection_board(commune)
    UserFactory(email=MEMBER_EMAIL)  # the member's account, linked: it opens the board's queue to the member
    board_member_add(board=board, full_name="Lê Văn Kiểm", position=Position.HEAD, by=officer, email=MEMBER_EMAIL)
    day = clock.today()
    answered = recommendation_create(
        board=board, title="Sửa rãnh", text="Đề nghị sửa rãnh.", received_on=day, by=officer
    )
    answered = recommendation_answer(recommendation=answered, answer="Đã sửa rãnh.", by=officer)
    awaiting = recommendation_create(
        board=board, title="Công khai", text="Đề nghị công khai.", received_on=day, by=officer
    )

    return Scene(
        commune=commune,
        elsewhere=CommuneFactory(),
        officer=officer,
        resident=resident,
        neighbour=neighbour,
        matter=matter,
        draft_matter=draft_matter,
        consultation=consultation,
        section=section,
        pending=pending,
        rejected=rejected,
        synthesised=_synthesised(commune, officer, neighbour),
        draft_consultation=plan(commune, officer, title="Kế hoạch chưa công bố"),
        conference=_published_conference(commune, officer, resident),
        board=board,
        answered=answered,
        awaiting=awaiting,
    )


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at its end; each test runs in a savepoint
    (``db``) rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield scene_build()
        transaction.set_rollback(True)


def private_data(scene) -> list[str]:
    """What must never appear in a public answer: residents' names and e-mail addresses, the officer's."""
    return [
        RESIDENT_EMAIL,
        RESIDENT_NAME,
        scene.neighbour.email,
        scene.neighbour.full_name,
        scene.officer.email,
        scene.officer.full_name,
        MEMBER_EMAIL,
    ]


def assert_no_private_data(scene, response) -> None:
    body = response.content.decode()
    assert not [value for value in private_data(scene) if value in body]


# --- Reads (a module-scoped scene: these tests come last in the file) ------------------------------------


def test_commune_democracy_lists_what_its_page_lists(db, scene):
    response = client_for().get(api("commune-democracy", scene.commune.pk))

    assert response.status_code == 200
    data = response.json()
    assert data["page_url"] == reverse("democracy:commune_democracy", kwargs={"pk": scene.commune.pk})
    assert [matter["id"] for matter in data["matters"]] == [scene.matter.pk]  # not the matter being prepared
    assert data["matters"][0]["url"] == api("matter-detail", scene.matter.pk)
    assert data["matters"][0]["decisions"][0]["passed"] is True
    assert {c["id"] for c in data["consultations"]} == {scene.consultation.pk, scene.synthesised.pk}
    assert [c["id"] for c in data["conferences"]] == [scene.conference.pk]
    assert [b["id"] for b in data["boards"]["in_office"]] == [scene.board.pk]
    assert data["boards"]["figures"] == {"year": clock.today().year, "received": 2, "answered": 1, "on_time": 1}
    assert len(data["villages"]) == 1
    assert_no_private_data(scene, response)
    assert client_for().get(api("commune-democracy", 0)).json()["code"] == "not-found"


def test_matter_shows_each_village_result_the_recognition_and_the_money(db, scene):
    response = client_for().get(api("matter-detail", scene.matter.pk))

    assert response.status_code == 200
    data = response.json()
    (decision,) = data["decisions"]
    assert decision["result"]["passed"] is True and decision["result"]["households_total"] == 2
    assert decision["minutes_url"] == reverse("democracy:decision_minutes", kwargs={"pk": decision["id"]})
    assert data["recognition"] == {"recognised": True, "number": "12/QĐ-UBND", "on": str(clock.today()), "reasons": ""}
    totals = data["execution"]["totals"]
    # Numbers, not strings: an app adds them up.
    assert (totals["collected"], totals["spent"], totals["balance"], totals["overspent"]) == (
        800000,
        300000,
        500000,
        False,
    )
    assert [step["kind"] for step in data["execution"]["steps"]] == ["collected", "spent"]
    assert data["execution"]["board"]["id"] == scene.board.pk
    assert_no_private_data(scene, response)
    # A matter being prepared is not public yet.
    assert client_for().get(api("matter-detail", scene.draft_matter.pk)).status_code == 404


def test_open_consultation_shows_published_comments_without_authors_and_no_answers_yet(db, scene):
    response = client_for().get(api("consultation-detail", scene.consultation.pk))

    assert response.status_code == 200
    data = response.json()
    assert data["comment_state"] == "open" and data["answers_public"] is False and data["counts"] is None
    assert data["synthesis"] is None
    whole, first, second = data["discussion"]
    assert whole["section"] is None and [c["text"] for c in whole["comments"]] == ["Đề nghị niêm yết tại nhà văn hoá."]
    assert first["section"]["id"] == scene.section.pk
    (typed_in,) = first["comments"]
    assert typed_in["typed_in"] is True and typed_in["source"] == "Hội nghị thôn Đông"
    assert second["comments"] == []
    assert data["published_comments"] == 2
    body = response.content.decode()
    assert scene.pending.text not in body and scene.rejected.text not in body
    assert_no_private_data(scene, response)
    assert client_for().get(api("consultation-detail", scene.draft_consultation.pk)).status_code == 404


def test_synthesised_consultation_shows_answers_counts_and_synthesis(db, scene):
    data = client_for().get(api("consultation-detail", scene.synthesised.pk)).json()

    assert data["comment_state"] == "closed" and data["answers_public"] is True
    assert data["counts"] == {"comments": 2, "accepted": 1, "partly": 0, "explained": 1, "answered": 2}
    assert data["synthesis"]["on_time"] is True and data["synthesis"]["text"] == "Hai ý kiến đã được trả lời."
    answers = {comment["response"]: comment["answer"] for comment in data["discussion"][0]["comments"]}
    assert answers == {"accepted": "Đã bổ sung vào quy hoạch.", "explained": "Sân chơi có trong giai đoạn 2."}


def test_commune_consultations_are_filtered_by_state_and_by_commune(db, scene):
    client = client_for()
    everything = client.get(api("commune-consultation-list", scene.commune.pk)).json()
    done = client.get(api("commune-consultation-list", scene.commune.pk) + "?status=synthesised").json()

    assert [c["id"] for c in everything["results"]] == [scene.consultation.pk, scene.synthesised.pk]
    assert [c["id"] for c in done["results"]] == [scene.synthesised.pk]
    assert client.get(api("commune-consultation-list", scene.elsewhere.pk)).json()["count"] == 0


def test_a_resident_comments_once_per_key_and_sees_the_comment_awaiting_moderation(db, scene):
    client = client_for(scene.neighbour)
    url = api("consultation-comment-create", scene.consultation.pk)
    body = {"text": "Đề nghị bổ sung lịch họp thôn.", "section": scene.section.pk}

    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="comment-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="comment-1")

    assert first.status_code == 201
    assert first.json()["status"] == "pending" and first.json()["section"]["id"] == scene.section.pk
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Comment.objects.filter(consultation=scene.consultation, author=scene.neighbour).count() == 1
    # Not public until moderated.
    assert body["text"] not in client_for().get(api("consultation-detail", scene.consultation.pk)).content.decode()


def test_commenting_is_refused_as_the_page_refuses_it(db, scene):
    client = client_for(scene.neighbour)
    text = {"text": "Một ý kiến đủ dài để gửi."}

    closed = client.post(api("consultation-comment-create", scene.synthesised.pk), text, format="json")
    wrong_section = client.post(
        api("consultation-comment-create", scene.synthesised.pk),
        {**text, "section": scene.section.pk},
        format="json",
    )
    anonymous = client_for().post(api("consultation-comment-create", scene.consultation.pk), text, format="json")
    not_public = client.post(api("consultation-comment-create", scene.draft_consultation.pk), text, format="json")

    assert closed.status_code == 400
    assert closed.json() == {
        "code": "refused",
        "message": "This consultation is closed: comments are no longer received.",
    }
    assert wrong_section.status_code == 400 and list(wrong_section.json()["fields"]) == ["section"]
    assert anonymous.status_code == 401
    assert not_public.status_code == 404


def test_commenting_keeps_the_page_rate_limit(db, scene, monkeypatch):
    monkeypatch.setattr("democracy.views.consultations.COMMENTS_PER_HOUR", 1)
    client = client_for(scene.neighbour)
    url = api("consultation-comment-create", scene.consultation.pk)

    assert client.post(url, {"text": "Ý kiến thứ nhất của tôi."}, format="json").status_code == 201
    refused = client.post(url, {"text": "Ý kiến thứ hai của tôi."}, format="json")

    assert refused.status_code == 429 and refused.json()["code"] == "rate-limited"


def test_a_resident_reads_only_their_own_comments_with_their_moderation(db, scene):
    url = api("consultation-comment-mine", scene.consultation.pk)

    mine = client_for(scene.resident).get(url).json()
    theirs = client_for(scene.neighbour).get(url).json()

    assert [(c["id"], c["status"]) for c in mine] == [
        (scene.pending.pk, "pending"),
        (scene.rejected.pk, "rejected"),
        (mine[2]["id"], "published"),
    ]
    assert mine[1]["moderation_reason"] == "it gives personal data of someone"
    assert theirs == []
    assert client_for().get(url).status_code == 401


def test_conference_shows_questions_and_outcomes_never_who_asked(db, scene):
    response = client_for().get(api("conference-detail", scene.conference.pk))

    data = response.json()
    assert data["published"] is True and data["attendance"] == 120
    assert data["minutes_url"] == reverse("democracy:conference_minutes", kwargs={"pk": scene.conference.pk})
    (question,) = data["questions"]
    assert (question["text"], question["outcome"], question["answer"]) == (
        "Khi nào sửa đường ngõ 5?",
        Outcome.ANSWERED,
        "Quý III sẽ sửa.",
    )
    assert_no_private_data(scene, response)


def test_board_shows_members_as_offices_and_only_answered_recommendations(db, scene):
    response = client_for().get(api("board-detail", scene.board.pk))

    data = response.json()
    assert data["in_office"] is True
    assert [(m["full_name"], m["position"]) for m in data["members"]] == [("Lê Văn Kiểm", "head")]
    assert [r["id"] for r in data["recommendations"]] == [scene.answered.pk]
    assert_no_private_data(scene, response)
    boards = client_for().get(api("commune-boards", scene.commune.pk)).json()
    assert [b["member_count"] for b in boards["in_office"]] == [1]


def test_a_recommendation_is_public_once_answered(db, scene):
    answered = client_for().get(api("recommendation-detail", scene.answered.pk))

    assert answered.status_code == 200
    assert answered.json()["answer"] == "Đã sửa rãnh." and answered.json()["board"]["id"] == scene.board.pk
    assert client_for().get(api("recommendation-detail", scene.awaiting.pk)).status_code == 404


def _planned_conference(scene) -> Conference:
    now = timezone.now()
    conference = conference_services.conference_schedule(
        commune=scene.commune,
        title="Hội nghị đối thoại giữa năm",
        agenda="",
        starts_at=now + datetime.timedelta(days=9),
        place="Nhà văn hoá xã",
        questions_until=now + datetime.timedelta(days=8),
        by=scene.officer,
    )
    conference_services.question_enter(conference=conference, text="Câu hỏi gửi qua hòm thư.", by=scene.officer)
    return conference


def _more_rows(scene, conference) -> None:
    """More of every listed record in the scene's commune (inside the test's savepoint)."""
    officer = scene.officer
    for number in range(3):
        conference_services.question_enter(conference=conference, text=f"Câu hỏi số {number}.", by=officer)
        consultation = open_consultation(scene.commune, officer, title=f"Dự thảo số {number}", sections=3)
        for section in consultation.sections.all():
            consultation_services.comment_enter(
                consultation=scene.consultation,
                section=scene.section,
                text=f"Ý kiến thêm số {number} về điều {section.number}.",
                channel=ConsultationChannel.BOX,
                source="Hòm thư góp ý",
                by=officer,
            )
        consultation_services.comment_submit(
            consultation=scene.consultation, user=scene.resident, text=f"Ý kiến riêng số {number} của tôi."
        )
        execution_record(matter=scene.matter, kind="works", on=clock.today(), description=f"Bước {number}.", by=officer)
        board_member_add(board=scene.board, full_name=f"Thành viên {number}", position=Position.MEMBER, by=officer)
        board_create(
            commune=scene.commune,
            kind=BoardKind.INVESTMENT,
            subject=f"Công trình số {number}",
            term_starts_on=scene.board.term_starts_on,
            term_ends_on=scene.board.term_ends_on,
            by=officer,
        )
        answered = recommendation_create(
            board=scene.board, title=f"Kiến nghị {number}", text="Đề nghị.", received_on=clock.today(), by=officer
        )
        recommendation_answer(recommendation=answered, answer="Đã trả lời.", by=officer)
        recognised_matter(village_with_households(2, commune=scene.commune), officer, title=f"Việc số {number}")


def test_every_answer_costs_the_same_queries_for_one_row_as_for_many(db, scene, django_assert_max_num_queries):
    # The queries of each answer: its selectors' own (one or two per list), plus the session and the account
    # for the signed-in resident.
    conference = _planned_conference(scene)
    cases = [
        ("commune-democracy", scene.commune.pk, None, 12),
        ("commune-consultation-list", scene.commune.pk, None, 3),
        ("commune-boards", scene.commune.pk, None, 3),
        ("matter-detail", scene.matter.pk, None, 4),
        ("consultation-detail", scene.consultation.pk, None, 3),
        ("consultation-comment-mine", scene.consultation.pk, scene.resident, 4),
        ("conference-detail", conference.pk, None, 2),
        ("board-detail", scene.board.pk, None, 5),
        ("recommendation-detail", scene.answered.pk, None, 1),
    ]
    sizes = SimpleNamespace(before={}, after={})
    for when in ("before", "after"):
        if when == "after":
            _more_rows(scene, conference)
        for name, pk, user, most in cases:
            client = client_for(user)
            with django_assert_max_num_queries(most):
                response = client.get(api(name, pk))
            assert response.status_code == 200, name
            getattr(sizes, when)[name] = len(response.content)
    # The rows were there: every answer grew, except the recommendation's own page.
    assert [name for name in sizes.before if sizes.after[name] <= sizes.before[name]] == ["recommendation-detail"]
