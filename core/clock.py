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
