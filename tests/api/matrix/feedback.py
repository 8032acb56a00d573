"""The feedback app's API routes in the permission matrix (see tests/api/matrix/__init__.py).

feedback.rules: VIEW_FEEDBACK_PRIVATE is works_on (the commune's officers, its district's reviewer, the
province's DoHA and leader, the site admin); WORK_FEEDBACK the commune's officers and the site admin.
Rating and disputing are the submitter's: the body carries the action key, which lets anyone holding it.
"""

from __future__ import annotations

from feedback.services import feedback_accept, feedback_resolve
from tests.api.matrix import EVERYONE, OFFICERS, PEOPLE, WORKS_ON, Route
from tests.feedback.factories import CategoryFactory, submitted


def build(places) -> dict:
    """An item in each state the routes need, in the commune "here"."""
    officer = places.users["officer_here"]
    category = CategoryFactory(province=places.province, name="Giao thông")
    received = submitted(commune=places.commune, category=category)
    accepted = submitted(commune=places.commune, category=category)
    feedback_accept(feedback=accepted, by=officer)
    resolved = submitted(commune=places.commune, category=category)
    feedback_accept(feedback=resolved, by=officer)
    feedback_resolve(feedback=resolved, by=officer, answer="Đã sửa xong.")
    return {
        "feedback_category": category,
        "feedback_received": received,
        "feedback_accepted": accepted,
        "feedback_resolved": resolved,
    }


def _code(name: str):
    return lambda p: {"code": p.objects[name].code}


def _submission(p) -> dict:
    return {
        "commune": p.commune.pk,
        "category": p.objects["feedback_category"].pk,
        "title": "Ổ gà trên đường liên thôn",
        "description": "Ổ gà lớn trước cổng trường tiểu học.",
        "consent": True,
    }


ROUTES: list[Route] = [
    Route(
        "api:feedback:province-feedback-categories",
        kwargs=lambda p: {"pk": p.province.pk},
        get=EVERYONE,
    ),
    Route("api:feedback:commune-feedback-queue", kwargs=lambda p: {"pk": p.commune.pk}, get=WORKS_ON),
    Route(
        "api:feedback:feedback-list",
        # The commune's id is not known here: the list answers 400 for an unknown one, still no refusal.
        query="commune=0",
        get=EVERYONE,
        post=EVERYONE,
        body=_submission,
    ),
    Route("api:feedback:feedback-mine", get=PEOPLE),
    Route("api:feedback:feedback-detail", kwargs=_code("feedback_resolved"), get=EVERYONE),
    Route(
        "api:feedback:feedback-rating",
        kwargs=_code("feedback_resolved"),
        post=EVERYONE,
        body=lambda p: {"action_key": p.objects["feedback_resolved"].action_key, "rating": 4},
    ),
    Route(
        "api:feedback:feedback-dispute",
        kwargs=_code("feedback_resolved"),
        post=EVERYONE,
        body=lambda p: {"action_key": p.objects["feedback_resolved"].action_key, "reason": "Vẫn chưa sửa."},
    ),
    Route("api:feedback:feedback-staff", kwargs=_code("feedback_received"), get=WORKS_ON),
    Route("api:feedback:feedback-acceptance", kwargs=_code("feedback_received"), post=OFFICERS),
    Route(
        "api:feedback:feedback-answer",
        kwargs=_code("feedback_accepted"),
        post=OFFICERS,
        body=lambda p: {"answer": "Xã đã cho lấp ổ gà."},
    ),
]
