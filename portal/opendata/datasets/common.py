"""What the row generators share: reading in chunks, the province filter, and the values every dataset
writes the same way (public addresses, lists, weekdays)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from core.clock import VIETNAM
from core.web import absolute_url
from portal.opendata.registry import LIST_SEPARATOR

# Rows read from the database at a time: a download holds one chunk in memory, whatever the table's size,
# and costs a fixed number of queries per chunk (its prefetches).
CHUNK_SIZE = 2000

# Weekdays as OpenStreetMap's opening_hours writes them (Monday = 0, as the models count).
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def chunks(queryset: QuerySet) -> Iterator:
    """The queryset's rows, read CHUNK_SIZE at a time (its prefetches run once per chunk)."""
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def in_province(queryset: QuerySet, province: str | None, path: str) -> QuerySet:
    """Only the rows under a province with this official code (``path`` leads to the province). A code
    reused after a merger (Bắc Ninh took Bắc Giang's 24) keeps the units of both periods."""
    return queryset.filter(**{f"{path}__code": province}) if province else queryset


def joined(values: Iterable) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values)


def weekday(number: int) -> str:
    return WEEKDAYS[number] if 0 <= number < len(WEEKDAYS) else str(number)


def public_url(name: str, **kwargs) -> str:
    """A public page's stable address: the portal's own host (SITE_URL), in the default language, so a
    file downloaded from the English pages links to the same pages as one from the Vietnamese."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse(name, kwargs=kwargs))


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A moment in Vietnam's time zone, as every file writes it."""
    return timezone.localtime(moment, VIETNAM) if moment else None


def day_of(moment: datetime.datetime | None) -> datetime.date | None:
    return local(moment).date() if moment else None
