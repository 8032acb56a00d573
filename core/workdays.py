"""Working days in Vietnam: Monday to Friday, less public holidays (Tết and substitute days included)."""

import datetime
from functools import lru_cache

import holidays
from django.utils import translation


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.VN(years=year))


def is_public_holiday(day: datetime.date) -> bool:
    return day in _holidays(day.year)


def _calendar(years) -> holidays.HolidayBase:
    # Holiday names in the reader's language: the package speaks Vietnamese and American English.
    language = "en_US" if translation.get_language() == "en" else "vi"
    return holidays.VN(years=years, language=language)


def public_holiday_name(day: datetime.date) -> str | None:
    return _calendar(day.year).get(day)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def public_holidays_between(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    calendar = _calendar(range(first.year, last.year + 1))
    return sorted((day, name) for day, name in calendar.items() if first <= day <= last)
