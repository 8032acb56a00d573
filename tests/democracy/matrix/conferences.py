"""The permission matrix's rows for dialogue conferences (art. 32; see tests/democracy/matrix/__init__.py).

The scene's conference is held, with its minutes and one question on its list awaiting its outcome:
every back-office step has an object to act on (or a state to refuse politely, never with a 403).
"""

from tests.democracy.matrix.roles import COMMUNE_FOLLOWERS, OFFICERS

ALLOWED: dict[str, set[str]] = {
    "manage_conferences": COMMUNE_FOLLOWERS,
    "manage_conference_create": OFFICERS,
    "manage_conference": COMMUNE_FOLLOWERS,
    "manage_conference_update": OFFICERS,
    "manage_conference_cancel": OFFICERS,
    "manage_conference_question_enter": OFFICERS,
    "manage_conference_held": OFFICERS,
    "manage_conference_publish": OFFICERS,
    "manage_conference_minutes": COMMUNE_FOLLOWERS,
    "manage_conference_question_moderate": OFFICERS,
    "manage_conference_question_outcome": OFFICERS,
    "manage_conference_question_written": OFFICERS,
}
POST_ALLOWED: dict[str, set[str]] = {}
PUBLIC: set[str] = {"conference_detail"}
# Sending a question needs a signed-in resident and an open conference; the public minutes exist once
# published: both are tested in tests/democracy/test_conferences_views.py.
OWN_RULES: set[str] = {"conference_question", "conference_minutes"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PREFIXES: list[tuple[str, str]] = [
    ("conferences/", "conference"),
    ("manage/conferences/", "conference"),
    ("manage/conference-questions/", "conference_question"),
]


def held_conference(commune, by):
    """A conference held a week ago, its minutes attached, one published question without an outcome."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from core import clock
    from democracy.models import Conference
    from democracy.services import conferences as services

    now = timezone.now()
    conference = services.conference_schedule(
        commune=commune,
        title="Hội nghị đối thoại năm 2026",
        agenda="Tình hình hoạt động của Ủy ban nhân dân.",
        starts_at=now + datetime.timedelta(days=2),
        place="Hội trường Ủy ban nhân dân",
        questions_until=now + datetime.timedelta(days=1),
        by=by,
    )
    question = services.question_enter(conference=conference, text="Khi nào sửa đường ngõ 5?", by=by)
    # Its dates moved back as if it had been announced a fortnight ago.
    Conference.objects.filter(pk=conference.pk).update(
        starts_at=now - datetime.timedelta(days=7), questions_until=now - datetime.timedelta(days=8)
    )
    conference.refresh_from_db()
    services.conference_record_held(
        conference=conference,
        held_on=clock.today() - datetime.timedelta(days=7),
        attendance=120,
        minutes=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        summary="Nhân dân nêu 1 câu hỏi.",
        by=by,
    )
    return conference, question


def build(places, officer) -> dict:
    conference, question = held_conference(places.commune, officer)
    return {"conference": conference, "conference_question": question}


def post_scene(commune, village, by) -> dict[str, dict]:
    """For the project's POST matrix (tests/portal/test_post_matrix.py): this feature's records in
    ``commune``, as the URL arguments of its views' loaders, by the loaders' names."""
    conference, question = held_conference(commune, by)
    return {"_conference": {"pk": conference.pk}, "_conference_question": {"pk": question.pk}}
