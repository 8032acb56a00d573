"""The monthly feedback figures scoring reads: which month an item belongs to, which items count as
handled on time, late, outside the commune's competence or unsatisfied, and rebuilding them.

Items are made and handled through the services; their times are then moved to the days a case needs
(submission, answer and due date), as the months under test lie in the past.
"""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Role
from feedback.models import Feedback, MonthlyFigures, RefusalReason
from feedback.services import (
    feedback_accept,
    feedback_close_unresolved,
    feedback_forward,
    feedback_rate,
    feedback_refuse,
    feedback_resolve,
)
from feedback.services.monthly import feedback_monthly_refresh
from tests.communes.factories import CommuneFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import user_with_role

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)  # the day the refresh runs
FIGURES = ["received", "in_competence", "on_time", "late", "rated", "unsatisfied"]


def utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


def item(commune, officer, *, sent: str, due: D, outcome: str = "", answered: str | None = None, rating=None):
    """An item submitted at ``sent`` (UTC) and due on ``due``; ``outcome`` one of resolved, unresolved,
    refused, forwarded, accepted or empty (just received), answered at ``answered`` (UTC)."""
    feedback = submitted(commune=commune, category=CategoryFactory(province=commune.province))
    if outcome in ("accepted", "resolved", "unresolved"):
        feedback_accept(feedback=feedback, by=officer)
    if outcome == "resolved":
        feedback_resolve(feedback=feedback, by=officer, answer="Đã thay bóng đèn.")
    elif outcome == "unresolved":
        feedback_close_unresolved(feedback=feedback, by=officer, reason="Chưa có kinh phí.")
    elif outcome == "refused":
        feedback_refuse(
            feedback=feedback, by=officer, reason=RefusalReason.OUT_OF_SCOPE, public_text="Không thuộc thẩm quyền."
        )
    elif outcome == "forwarded":
        feedback_forward(feedback=feedback, by=officer, to_unit="Công an tỉnh", public_text="Chuyển cơ quan công an.")
    if rating is not None:
        feedback_rate(feedback=feedback, rating=rating)
    moved = {"submitted_at": utc(sent), "due_date": due}
    if answered:
        moved["answered_at"] = utc(answered)
    Feedback.objects.filter(pk=feedback.pk).update(**moved)
    return feedback


def figures(commune) -> dict[D, dict[str, int]]:
    return {row.pop("month"): row for row in MonthlyFigures.objects.filter(commune=commune).values("month", *FIGURES)}


def test_an_item_belongs_to_the_month_it_was_submitted_in_vietnam(commune, officer):
    item(commune, officer, sent="2025-01-31 16:59", due=D(2025, 2, 14))  # 23:59 on 31 January in Hà Nội
    item(commune, officer, sent="2025-01-31 23:30", due=D(2025, 2, 14))  # 06:30 on 1 February in Hà Nội

    feedback_monthly_refresh(since=D(2025, 1, 1), today=TODAY)

    months = {month: row["received"] for month, row in figures(commune).items()}
    assert months == {D(2025, 1, 1): 1, D(2025, 2, 1): 1}


def test_answered_by_the_due_date_in_vietnam_is_on_time_later_or_still_open_past_it_is_late(commune, officer):
    due = D(2025, 3, 20)
    item(commune, officer, sent="2025-03-02 02:00", due=due, outcome="resolved", answered="2025-03-20 16:30")
    item(commune, officer, sent="2025-03-03 02:00", due=due, outcome="resolved", answered="2025-03-20 17:30")
    item(commune, officer, sent="2025-03-04 02:00", due=due, outcome="accepted")  # open, past its due date
    item(commune, officer, sent="2025-03-05 02:00", due=TODAY, outcome="accepted")  # open, due today
    item(commune, officer, sent="2025-03-06 02:00", due=D(2025, 6, 30))  # just received, not yet due

    feedback_monthly_refresh(since=D(2025, 3, 1), today=TODAY)

    assert figures(commune) == {
        D(2025, 3, 1): {"received": 5, "in_competence": 5, "on_time": 1, "late": 2, "rated": 0, "unsatisfied": 0}
    }


def test_refused_and_forwarded_items_are_outside_the_communes_competence(commune, officer):
    long_ago = D(2025, 4, 10)
    item(commune, officer, sent="2025-04-01 02:00", due=long_ago, outcome="refused", answered="2025-05-01 02:00")
    item(commune, officer, sent="2025-04-02 02:00", due=long_ago, outcome="forwarded", answered="2025-05-01 02:00")
    item(commune, officer, sent="2025-04-03 02:00", due=long_ago, outcome="resolved", answered="2025-04-04 02:00")

    feedback_monthly_refresh(since=D(2025, 4, 1), today=TODAY)

    assert figures(commune)[D(2025, 4, 1)] == {
        "received": 3,
        "in_competence": 1,
        "on_time": 1,
        "late": 0,
        "rated": 0,
        "unsatisfied": 0,
    }


def test_a_rating_of_one_or_two_stars_is_unsatisfied(commune, officer):
    for day, rating in enumerate([1, 2, 3, 5], start=1):
        item(commune, officer, sent=f"2025-05-0{day} 02:00", due=D(2025, 5, 30), outcome="resolved", rating=rating)
    item(commune, officer, sent="2025-05-08 02:00", due=D(2025, 5, 30), outcome="unresolved", rating=2)
    item(commune, officer, sent="2025-05-09 02:00", due=D(2025, 5, 30), outcome="resolved")  # not rated

    feedback_monthly_refresh(since=D(2025, 5, 1), today=TODAY)

    row = figures(commune)[D(2025, 5, 1)]
    assert (row["received"], row["rated"], row["unsatisfied"]) == (6, 5, 3)


def test_rebuilding_gives_the_same_rows(commune, officer):
    other = CommuneFactory()
    item(commune, officer, sent="2025-02-10 02:00", due=D(2025, 2, 24), outcome="resolved", rating=2)
    item(commune, officer, sent="2025-03-10 02:00", due=D(2025, 3, 24), outcome="accepted")
    item(other, user_with_role(Role.COMMUNE_OFFICER, other), sent="2025-03-11 02:00", due=D(2025, 3, 25))

    written = feedback_monthly_refresh(since=D(2025, 1, 1), today=TODAY)
    first = list(MonthlyFigures.objects.order_by("commune_id", "month").values("commune_id", "month", *FIGURES))
    again = feedback_monthly_refresh(since=D(2025, 1, 1), today=TODAY)
    second = list(MonthlyFigures.objects.order_by("commune_id", "month").values("commune_id", "month", *FIGURES))

    assert written == again == 3
    assert first == second
    assert MonthlyFigures.objects.count() == 3


def test_rebuilding_from_a_later_month_keeps_the_earlier_months(commune, officer):
    item(commune, officer, sent="2025-01-10 02:00", due=D(2025, 1, 24), outcome="resolved", answered="2025-01-20 02:00")
    feedback_monthly_refresh(since=D(2025, 1, 1), today=TODAY)
    january = figures(commune)[D(2025, 1, 1)]
    item(commune, officer, sent="2025-04-10 02:00", due=D(2025, 4, 24))

    feedback_monthly_refresh(since=D(2025, 4, 1), today=TODAY)

    assert figures(commune)[D(2025, 1, 1)] == january
    assert figures(commune)[D(2025, 4, 1)]["received"] == 1
