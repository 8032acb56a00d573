import datetime

import holidays
import pytest
from django.utils import translation

from core.workdays import add_working_days, is_working_day, public_holidays_between, working_days_between


def test_weekends_are_not_working_days():
    assert is_working_day(datetime.date(2024, 3, 1))  # Friday
    assert not is_working_day(datetime.date(2024, 3, 2))  # Saturday
    assert not is_working_day(datetime.date(2024, 3, 3))  # Sunday


def test_five_working_days_skip_the_weekend():
    # Decided on Friday 1 March 2024: the fifth working day after is Friday 8 March.
    assert add_working_days(datetime.date(2024, 3, 1), 5) == datetime.date(2024, 3, 8)


def test_tet_holidays_are_not_working_days():
    # Tết Giáp Thìn: 8–14 February 2024 were days off.
    assert not is_working_day(datetime.date(2024, 2, 12))
    # Decided on Wednesday 7 February 2024, the eve of the break: five working days end on 21 February.
    assert add_working_days(datetime.date(2024, 2, 7), 5) == datetime.date(2024, 2, 21)


D = datetime.date


@pytest.mark.parametrize(
    ("saturday", "day_off"),
    [
        (D(2024, 5, 4), D(2024, 4, 29)),  # Monday 29 April bridges to 30/4–1/5.
        (D(2025, 4, 26), D(2025, 5, 2)),  # Friday 2 May bridges from 30/4–1/5 to the weekend.
        (D(2026, 8, 22), D(2026, 8, 31)),  # Monday 31 August bridges to National Day.
        (D(2019, 1, 5), D(2018, 12, 31)),  # A swap across New Year.
    ],
)
def test_a_make_up_saturday_is_worked_and_its_bridge_day_is_off(saturday, day_off):
    assert is_working_day(saturday)
    assert not is_working_day(day_off)


def test_working_days_around_the_swaps_are_the_holidays_package_own():
    calendar = holidays.VN(years=range(2018, 2027))
    for first in (D(2018, 12, 20), D(2024, 4, 20), D(2025, 4, 20), D(2026, 8, 15)):
        for day in (first + datetime.timedelta(days=n) for n in range(25)):
            assert is_working_day(day) == calendar.is_working_day(day), day


def test_counting_across_a_swap_counts_the_saturday_and_skips_the_bridge_day():
    # Decided on Friday 3 May 2024: the first working day after is the make-up Saturday 4 May.
    assert add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)
    # Decided on Friday 26 April 2024: 29/4 (swapped), 30/4 and 1/5 off, then Thursday 2,
    # Friday 3, Saturday 4 and Monday 6 May.
    assert add_working_days(D(2024, 4, 26), 4) == D(2024, 5, 6)
    # Decided on Friday 25 April 2025: Saturday 26, Monday 28, Tuesday 29 April, then 30/4, 1/5 and
    # the swapped Friday 2 May off, so the fourth is Monday 5 May.
    assert add_working_days(D(2025, 4, 25), 4) == D(2025, 5, 5)
    # Across New Year: Saturday 27 December 2014 was worked for Friday 2 January 2015.
    assert add_working_days(D(2014, 12, 26), 1) == D(2014, 12, 27)
    assert add_working_days(D(2014, 12, 31), 1) == D(2015, 1, 5)


def test_working_days_between_count_the_make_up_saturday_and_not_the_bridge_day():
    # From Friday 26 April 2024 to Monday 6 May 2024: Thursday 2, Friday 3, Saturday 4, Monday 6 May.
    assert working_days_between(D(2024, 4, 26), D(2024, 5, 6)) == 4
    # The inverse of add_working_days, and nothing when the end is not later.
    assert working_days_between(D(2025, 4, 25), add_working_days(D(2025, 4, 25), 4)) == 4
    assert working_days_between(D(2025, 5, 5), D(2025, 4, 25)) == 0


def test_long_counts_cross_the_years_like_short_ones():
    calendar = holidays.VN(years=range(2024, 2029))
    for days in (1, 199, 200, 201, 250, 600):
        assert add_working_days(D(2024, 12, 30), days) == calendar.get_nth_working_day(D(2024, 12, 30), days)


def test_national_day_and_reunification_day_are_listed_with_their_names():
    listed = dict(public_holidays_between(datetime.date(2025, 4, 25), datetime.date(2025, 9, 3)))
    assert datetime.date(2025, 4, 30) in listed
    assert datetime.date(2025, 9, 2) in listed
    assert all(isinstance(name, str) and name for name in listed.values())


def test_holiday_names_follow_the_language():
    day = datetime.date(2025, 9, 2)
    with translation.override("vi"):
        assert public_holidays_between(day, day)[0][1] == "Quốc khánh"
    with translation.override("en"):
        assert public_holidays_between(day, day)[0][1] == "National Day"
