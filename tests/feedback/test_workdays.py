"""Due dates on the real Vietnamese calendar: Tết, 30/4–1/5 with substitute days, National Day and the
Hùng Kings' commemoration (10th day of the 3rd lunar month) are not working days; a Saturday worked in
exchange for a bridge day off is."""

import datetime

import pytest

from core import clock
from core.workdays import add_working_days, is_working_day
from tests.communes.factories import CommuneFactory
from tests.feedback.factories import CategoryFactory, submitted

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("submitted_on", "days", "due"),
    [
        # Tết Ất Tỵ 2025: Monday 27 January to Friday 31 January off.
        (D(2025, 1, 24), 1, D(2025, 2, 3)),
        (D(2025, 1, 24), 5, D(2025, 2, 7)),
        # Tết Bính Ngọ 2026: Monday 16 to Friday 20 February off.
        (D(2026, 2, 13), 1, D(2026, 2, 23)),
        (D(2026, 2, 12), 10, D(2026, 3, 5)),
        # 30/4–1/5/2025 (Wed, Thu) and Friday 2 May, swapped for Saturday 26 April.
        (D(2025, 4, 29), 1, D(2025, 5, 5)),
        # ... and Saturday 26 April was a working day: it counts.
        (D(2025, 4, 25), 1, D(2025, 4, 26)),
        (D(2025, 4, 25), 4, D(2025, 5, 5)),
        # 2024: Monday 29 April, swapped for Saturday 4 May, then 30/4 and 1/5.
        (D(2024, 4, 26), 1, D(2024, 5, 2)),
        (D(2024, 4, 26), 4, D(2024, 5, 6)),
        (D(2024, 5, 3), 1, D(2024, 5, 4)),
        # 2026: Monday 31 August off, swapped for Saturday 22 August, then 1 and 2 September.
        (D(2026, 8, 21), 1, D(2026, 8, 22)),
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
        # National Day 2025: Monday 1 and Tuesday 2 September.
        (D(2025, 8, 29), 1, D(2025, 9, 3)),
        # National Day 2024: Monday 2 and Tuesday 3 September.
        (D(2024, 8, 30), 1, D(2024, 9, 4)),
        # Hùng Kings' day: Monday 7 April 2025; Thursday 18 April 2024.
        (D(2025, 4, 4), 1, D(2025, 4, 8)),
        (D(2024, 4, 17), 1, D(2024, 4, 19)),
        # 2026: Hùng Kings' day falls on Sunday 26 April, made up on Monday 27; then 30/4 and 1/5.
        (D(2026, 4, 24), 3, D(2026, 5, 4)),
    ],
)
def test_feedback_due_date_follows_the_vietnamese_calendar(monkeypatch, submitted_on, days, due):
    monkeypatch.setattr(clock, "today", lambda *args: submitted_on)
    commune = CommuneFactory(legacy=True)
    category = CategoryFactory(province=commune.province, time_limit_days=days)
    feedback = submitted(commune=commune, category=category)
    assert feedback.due_date == due
    assert add_working_days(submitted_on, days) == due


def test_feedback_due_date_uses_the_category_time_limit(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda *args: D(2025, 3, 3))  # a Monday
    commune = CommuneFactory(legacy=True)
    quick = submitted(commune=commune, category=CategoryFactory(province=commune.province, time_limit_days=5))
    slow = submitted(commune=commune, category=CategoryFactory(province=commune.province, time_limit_days=15))
    assert (quick.due_date, slow.due_date) == (D(2025, 3, 10), D(2025, 3, 24))


@pytest.mark.parametrize(
    "day",
    [
        *(D(2025, 1, 27), D(2025, 1, 31), D(2026, 2, 16), D(2026, 2, 20)),
        *(D(2025, 5, 2), D(2025, 9, 1), D(2025, 4, 7)),
        *(D(2024, 4, 29), D(2026, 8, 31)),  # bridge days swapped for a make-up Saturday
    ],
)
def test_holidays_are_not_working_days(day):
    assert not is_working_day(day)
