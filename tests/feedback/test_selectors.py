"""Public reads of feedback and the per-commune figures the commune pages and the scoring read."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.clock import VIETNAM
from feedback import selectors
from feedback.models import Status
from feedback.selectors.public import Figures, feedback_figures, feedback_public, public_feedback_for_commune
from feedback.services import (
    feedback_accept,
    feedback_close_unresolved,
    feedback_dispute,
    feedback_rate,
    feedback_redact,
    feedback_refuse,
    feedback_resolve,
)
from tests.communes.factories import CommuneFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

# A week without public holidays: five working days from Monday 3 March 2025 end on Monday 10 March.
MONDAY = datetime.date(2025, 3, 3)
DUE = datetime.date(2025, 3, 10)
TODAY = datetime.date(2025, 3, 20)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=VIETNAM)


class Clock:
    """The services' and the models' idea of now, moved by the test."""

    def __init__(self, monkeypatch, start: datetime.datetime):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime.datetime) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(MONDAY))


@pytest.fixture
def officer():
    return UserFactory()


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def category(commune):
    return CategoryFactory(province=commune.province, time_limit_days=5)


def item(commune, category, **kwargs):
    return submitted(commune=commune, category=category, **kwargs)


@pytest.fixture
def handled_commune(clock, commune, category, officer):
    """Seven items of one commune, each at a known point of its life on TODAY (20 March 2025)."""

    def answered(resolve, moment, **kwargs):
        feedback = item(commune, category)
        assert feedback.due_date == DUE
        feedback_accept(feedback=feedback, by=officer)
        clock.set(moment)
        resolve(feedback=feedback, by=officer, **kwargs)
        clock.set(at(MONDAY))
        return feedback

    # Resolved on time after 2 days, rated 5.
    on_time = answered(feedback_resolve, at(datetime.date(2025, 3, 5)), answer="Đã sửa.")
    # Resolved at 06:00 on 11 March in Vietnam: still 10 March in UTC, yet a day late here.
    late = answered(feedback_resolve, at(datetime.date(2025, 3, 11), 6), answer="Đã sửa muộn.")
    # Closed unresolved after 4 days: on time, but not resolved.
    answered(feedback_close_unresolved, at(datetime.date(2025, 3, 7)), reason="Ngoài khả năng.")
    # Refused the next day: final, never answered.
    refused = item(commune, category)
    clock.set(at(datetime.date(2025, 3, 4)))
    feedback_refuse(feedback=refused, by=officer, reason="not_feedback", public_text="Không phải phản ánh.")
    clock.set(at(MONDAY))
    # Resolved after 3 days, then disputed: open again with a new due date (14 March), overdue on TODAY.
    disputed = answered(feedback_resolve, at(datetime.date(2025, 3, 6)), answer="Đã xử lý.")
    # Open and past its due date.
    item(commune, category)
    # Open, due after TODAY.
    clock.set(at(datetime.date(2025, 3, 18)))
    item(commune, category)

    clock.set(at(datetime.date(2025, 3, 7)))
    feedback_rate(feedback=on_time, rating=5)
    feedback_rate(feedback=late, rating=2)
    feedback_dispute(feedback=disputed, reason="Vẫn còn hỏng.")
    clock.set(at(TODAY))
    return commune


def test_feedback_figures_count_each_outcome_apart(handled_commune):
    figures = feedback_figures(commune_ids=[handled_commune.pk], today=TODAY)[handled_commune.pk]

    assert figures == Figures(
        count=7,
        open=3,
        handled=4,
        resolved=2,
        closed_unresolved=1,
        refused=1,
        forwarded=0,
        answered=4,
        answered_on_time=3,
        disputed=1,
        rated=2,
        average_rating=3.5,
        overdue=2,
        # 2, 3, 4 and 7.875 days (3 March 09:00 → 11 March 06:00).
        median_days_to_answer=3.5,
    )
    assert figures.on_time_share == 75.0
    assert figures.resolved_share == 50.0
    assert figures.disputed_share == 25.0


def test_feedback_figures_read_the_window_in_vietnam_days(handled_commune):
    only_the_last = feedback_figures(commune_ids=[handled_commune.pk], since=datetime.date(2025, 3, 18), today=TODAY)
    up_to_monday = feedback_figures(commune_ids=[handled_commune.pk], until=MONDAY, today=TODAY)

    assert only_the_last[handled_commune.pk].count == 1
    assert only_the_last[handled_commune.pk].median_days_to_answer is None
    assert up_to_monday[handled_commune.pk].count == 6


def test_feedback_figures_of_a_commune_without_feedback_are_empty_and_have_no_shares(commune):
    figures = feedback_figures(commune_ids=[commune.pk])[commune.pk]

    assert figures == Figures()
    assert figures.on_time_share is None
    assert figures.resolved_share is None
    assert figures.disputed_share is None


def test_feedback_figures_keep_communes_apart_and_without_ids_list_those_with_feedback(handled_commune, category):
    other = CommuneFactory(province=handled_commune.province)
    item(other, category)
    silent = CommuneFactory()

    chosen = feedback_figures(commune_ids=[other.pk, silent.pk], today=TODAY)
    everyone = feedback_figures(today=TODAY)

    assert set(chosen) == {other.pk, silent.pk}
    assert chosen[other.pk].count == 1
    assert chosen[silent.pk].count == 0
    assert set(everyone) == {handled_commune.pk, other.pk}
    assert everyone[handled_commune.pk].count == 7


def test_feedback_figures_cost_as_many_queries_for_two_communes_as_for_twenty(
    clock, officer, django_assert_num_queries
):
    communes = [CommuneFactory() for _ in range(20)]
    for commune in communes:
        category = CategoryFactory(province=commune.province, time_limit_days=5)
        feedback = item(commune, category)
        feedback_accept(feedback=feedback, by=officer)
        clock.set(at(datetime.date(2025, 3, 5)))
        feedback_resolve(feedback=feedback, by=officer, answer="Đã sửa.")
        clock.set(at(MONDAY))
    ids = [commune.pk for commune in communes]
    # PostgreSQL takes the median in the same aggregate; SQLite has no median aggregate.
    queries = 1 if connection.vendor == "postgresql" else 2

    with django_assert_num_queries(queries):
        two = feedback_figures(commune_ids=ids[:2])
    with django_assert_num_queries(queries):
        twenty = feedback_figures(commune_ids=ids)

    assert len(two) == 2
    assert len(twenty) == 20
    assert all(figures.median_days_to_answer == 2.0 for figures in twenty.values())


def test_public_feedback_for_commune_filters_and_marks_overdue_items(handled_commune, clock):
    rows = list(public_feedback_for_commune(commune=handled_commune, today=TODAY))
    resolved = list(public_feedback_for_commune(commune=handled_commune, status=Status.RESOLVED, today=TODAY))

    assert len(rows) == 7
    assert sum(row.is_overdue for row in rows) == 2
    assert {row.status for row in resolved} == {Status.RESOLVED}
    assert len(resolved) == 2


def test_public_feedback_for_commune_never_loads_contact_details(commune, category):
    item(commune, category, contact_phone="0912 345 678")

    row = public_feedback_for_commune(commune=commune).get()

    assert {"contact_name", "contact_phone", "contact_email", "latitude", "longitude"} <= row.get_deferred_fields()


def test_feedback_public_shows_the_redacted_text_and_a_timeline_without_names(commune, category, officer):
    feedback = item(commune, category, title="Ông Trần Văn Bình đổ rác", description="Nhà số 5 của ông Bình.")
    feedback_redact(feedback=feedback, by=officer, public_title="Đổ rác sai chỗ", public_description="Đổ rác.")

    public, access = feedback_public(code=feedback.code)

    assert public.title == "Đổ rác sai chỗ"
    assert public.description == "Đổ rác."
    assert public.display_code == f"{feedback.code[:4]}-{feedback.code[4:]}"
    assert [step.kind for step in public.timeline] == ["submitted", "redacted"]
    assert [str(step.actor) for step in public.timeline] == [
        str(selectors.ACTOR_CITIZEN),
        str(selectors.ACTOR_COMMUNE),
    ]
    assert not hasattr(public, "contact_name")
    assert access.action_key == feedback.action_key


# --- The answer median, computed by the database --------------------------------------------------


def answered_items(commune, category, count: int, rng) -> list[float]:
    """``count`` items of the commune answered after random times (a few unanswered beside them);
    returns the durations in days, as the former Python median read them."""
    from feedback.models import Feedback

    days = []
    for index in range(count + 3):
        feedback = item(commune, category)
        start = at(MONDAY) + datetime.timedelta(seconds=rng.randrange(0, 5 * 86400))
        answered = None if index >= count else start + datetime.timedelta(seconds=rng.randrange(-3600, 20 * 86400))
        Feedback.objects.filter(pk=feedback.pk).update(submitted_at=start, answered_at=answered)
        if answered is not None:
            days.append(max((answered - start).total_seconds(), 0) / 86400)
    return days


def test_the_answer_median_is_the_exact_median_of_each_commune(commune, category):
    import random
    import statistics

    rng = random.Random(14)  # noqa: S311 - a repeatable test set, not a secret
    other = CommuneFactory()
    other_category = CategoryFactory(province=other.province, time_limit_days=5)
    odd = answered_items(commune, category, 21, rng)  # one middle item
    even = answered_items(other, other_category, 16, rng)  # the mean of the two middle ones

    figures = feedback_figures(commune_ids=[commune.pk, other.pk])

    assert figures[commune.pk].median_days_to_answer == pytest.approx(statistics.median(odd), abs=1e-6)
    assert figures[other.pk].median_days_to_answer == pytest.approx(statistics.median(even), abs=1e-6)


def test_the_commune_figures_read_as_many_rows_for_many_items_as_for_few(commune, category, monkeypatch):
    """The page's cost must not grow with the commune's items: the database returns one row per
    commune for the counts and one for the median, never one per answered item."""
    import random

    from django.db.backends import utils

    fetched = []
    for name in ("fetchone", "fetchmany", "fetchall"):

        def counting(self, *args, _name=name, **kwargs):
            rows = getattr(self.cursor, _name)(*args, **kwargs)
            fetched.append(0 if rows is None else 1 if _name == "fetchone" else len(rows))
            return rows

        monkeypatch.setattr(utils.CursorWrapper, name, counting, raising=False)

    rng = random.Random(7)  # noqa: S311 - a repeatable test set, not a secret
    answered_items(commune, category, 3, rng)
    fetched.clear()
    few = selectors.feedback_figures_for_commune(commune=commune)
    rows_for_few = sum(fetched)
    answered_items(commune, category, 60, rng)
    fetched.clear()
    many = selectors.feedback_figures_for_commune(commune=commune)

    assert (few.answered, many.answered) == (3, 63)
    assert sum(fetched) == rows_for_few <= 2
