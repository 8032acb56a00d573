"""The Vietnam clock: the one way the portal asks what time and what day it is.

Opening hours, due dates and "today" are Vietnamese wall-clock facts, whatever time zone a request or a
test activates, so they are read in Asia/Ho_Chi_Minh explicitly.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime.datetime:
    """The current moment, in Vietnam's time zone."""
    return timezone.localtime(timezone.now(), VIETNAM)


def today() -> datetime.date:
    """Today's date in Vietnam."""
    return now().date()


def date_of(moment: datetime.datetime) -> datetime.date:
    """The Vietnamese calendar date of an aware moment."""
    return timezone.localtime(moment, VIETNAM).date()


# --- Calendar months (monthly figures are keyed by their first day) ---------------------------------


def month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    """The first day of ``day``'s month, or of the month ``months_back`` before it (negative: after)."""
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month."""
    return month_start(day, -1) - datetime.timedelta(days=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = month_start(month, -1)
    return months
