"""Working days in Vietnam, as the `holidays` package keeps them: Monday to Friday less public holidays
(Tết and substitute days included), plus the Saturdays worked in exchange for a bridge day off
(Saturday 04/05/2024 for Monday 29/04/2024; Saturday 26/04/2025 for Friday 02/05/2025)."""

import datetime
from functools import lru_cache

import holidays
from django.utils import translation

# Fewer than a year's working days, so a walk of this many from any day of a year ends by the next
# year's end, which the starting year's calendar still holds.
_WALK = 200


@lru_cache(maxsize=32)
def _calendar(year: int, language: str = "vi") -> holidays.HolidayBase:
    # A calendar is read concurrently by threads and tasks, so it never grows after it is built
    # (expand=False); it holds the next year too for due dates that cross New Year.
    return holidays.VN(years=(year, year + 1), language=language, expand=False)


def _language() -> str:
    # Holiday names in the reader's language: the package speaks Vietnamese and American English.
    return "en_US" if translation.get_language() == "en" else "vi"


def is_public_holiday(day: datetime.date) -> bool:
    return day in _calendar(day.year)


def public_holiday_name(day: datetime.date) -> str | None:
    return _calendar(day.year, _language()).get(day)


def is_working_day(day: datetime.date) -> bool:
    return _calendar(day.year).is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    while days > 0:
        step = min(days, _WALK)
        day = _calendar(day.year).get_nth_working_day(day, step)
        days -= step
    return day


def add_days_to_working_day(start: datetime.date, days: int) -> datetime.date:
    """A period of ``days`` days (not working days) after ``start``; when it ends on a day off, it ends on
    the next working day (Civil Code 2015, art. 148(5)). E.g. the 15 days in which the commune answers the
    People's Inspection Board (Law 10/2022/QH15, art. 40)."""
    day = start + datetime.timedelta(days=days)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def working_days_between(first: datetime.date, last: datetime.date) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when ``last`` is not later)."""
    days = (last - first).days
    return sum(is_working_day(first + datetime.timedelta(days=n)) for n in range(1, days + 1))


def public_holidays_between(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    language = _language()
    return sorted(
        (day, name)
        for year in range(first.year, last.year + 1)
        for day, name in _calendar(year, language).items()
        if day.year == year and first <= day <= last
    )
