"""The permission matrix's rows for consultations (art. 25-29; see tests/democracy/matrix/__init__.py).

The commune's officers plan, publish, moderate, answer and synthesise (MANAGE_CONSULTATIONS); whoever
follows the commune's democracy, its Fatherland Front committee included, reads the back office
(FOLLOW_DEMOCRACY). The scene's consultation is open, with one section, a resident's comment awaiting
moderation and a comment typed in from the village Front work committee.
"""

from __future__ import annotations

import datetime

from core import clock
from democracy.models.consultations import ConsultationChannel, Topic
from democracy.services import consultations as services
from tests.democracy.matrix.roles import COMMUNE_FOLLOWERS, OFFICERS

ALLOWED: dict[str, set[str]] = {
    "manage_consultations": COMMUNE_FOLLOWERS,
    "manage_consultation": COMMUNE_FOLLOWERS,
    **dict.fromkeys(
        (
            "manage_consultation_create",
            "manage_consultation_update",
            "manage_consultation_open",
            "manage_consultation_close",
            "manage_consultation_synthesis",
            "manage_consultation_section_create",
            "manage_consultation_sections_paste",
            "manage_consultation_comment_create",
            "manage_consultation_section_update",
            "manage_consultation_section_delete",
            "manage_consultation_comment_moderate",
            "manage_consultation_comment_answer",
        ),
        OFFICERS,
    ),
}
POST_ALLOWED: dict[str, set[str]] = {}
# The page residents read and comment on (a POST asks for sign-in itself).
PUBLIC: set[str] = {"consultation_detail"}
# The draft and the final text: a file that may be absent, a draft readable by the back office only.
OWN_RULES: set[str] = {"consultation_draft", "consultation_final"}
PREFIXES: list[tuple[str, str]] = [
    ("consultations/", "consultation"),
    ("manage/consultations/", "consultation"),
    ("manage/consultation-sections/", "consultation_section"),
    ("manage/consultation-comments/", "consultation_comment"),
]


def plan(commune, by, *, opens_in: int = -1, days: int = 25, channels=None, **kwargs):
    """A consultation being prepared, sent to the council and the Front, opening ``opens_in`` days from
    today for ``days`` days."""
    today = clock.today()
    values = {
        "topic": Topic.DEMOCRACY_REGULATION,
        "title": "Dự thảo Quy chế thực hiện dân chủ ở cơ sở",
        "summary": "Lấy ý kiến Nhân dân về dự thảo Quy chế.",
        "channels": channels or [ConsultationChannel.PORTAL, ConsultationChannel.FRONT],
        "opens_on": today + datetime.timedelta(days=opens_in),
        "closes_on": today + datetime.timedelta(days=opens_in + days),
        "organiser": "Ủy ban nhân dân xã",
        "sent_to_council_on": today - datetime.timedelta(days=5),
        "sent_to_front_on": today - datetime.timedelta(days=5),
    } | kwargs
    return services.consultation_plan(commune=commune, by=by, **values)


def open_consultation(commune, by, *, sections: int = 1, **kwargs):
    consultation = plan(commune, by, **kwargs)
    for number in range(1, sections + 1):
        services.section_save(
            consultation=consultation,
            number=number,
            heading=f"Điều {number}",
            text=f"Nội dung điều {number} của dự thảo.",
            by=by,
        )
    return services.consultation_open(consultation=consultation, by=by)


def _scene(commune, by) -> dict:
    from tests.portal.factories import UserFactory

    consultation = open_consultation(commune, by)
    section = consultation.sections.get()
    pending = services.comment_submit(
        consultation=consultation, user=UserFactory(), text="Đề nghị bổ sung việc công khai tại nhà văn hoá."
    )
    services.comment_enter(
        consultation=consultation,
        section=section,
        channel=ConsultationChannel.FRONT,
        source="Ban công tác Mặt trận thôn",
        text="Nhân dân đề nghị niêm yết dự thảo tại nhà văn hoá thôn.",
        by=by,
    )
    return {"consultation": consultation, "consultation_section": section, "consultation_comment": pending}


def build(places, officer) -> dict:
    return _scene(places.commune, officer)


def post_scene(commune, village, by) -> dict[str, dict]:
    """For the project's POST matrix (tests/portal/test_post_matrix.py): this feature's records in
    ``commune``, as the URL arguments of its views' loaders, by the loaders' names."""
    objects = _scene(commune, by)
    return {
        "_consultation": {"pk": objects["consultation"].pk},
        "_consultation_section": {"pk": objects["consultation_section"].pk},
        "_consultation_comment": {"pk": objects["consultation_comment"].pk},
    }
