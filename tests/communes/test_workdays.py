import datetime

from django.utils import translation

from core.workdays import add_working_days, is_working_day, public_holidays_between


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
