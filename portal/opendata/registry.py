"""What a dataset of the open data catalogue is: its stable slug, title and description, its columns
(the data dictionary), where its rows come from and when they last changed; and the terms every dataset
is published under.

A dataset is declared once, in one of the modules of ``portal.opendata.datasets``; the catalogue page,
the dataset's page, the DCAT catalogue and the three downloads all read that one declaration, so a
column can never be in the file without being in the dictionary.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import DateTimeField, Max, QuerySet, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.clock import VIETNAM

STRING, INTEGER, NUMBER, DATE, DATETIME, BOOLEAN = "string", "integer", "number", "date", "datetime", "boolean"
TYPES = (STRING, INTEGER, NUMBER, DATE, DATETIME, BOOLEAN)
# How each type is named by XML Schema, which DCAT and CSVW descriptions use.
XSD_TYPES = {
    STRING: "xsd:string",
    INTEGER: "xsd:integer",
    NUMBER: "xsd:decimal",
    DATE: "xsd:date",
    DATETIME: "xsd:dateTime",
    BOOLEAN: "xsd:boolean",
}
TYPE_LABELS = {
    STRING: pgettext_lazy("data type", "text"),
    INTEGER: _("whole number"),
    NUMBER: pgettext_lazy("data type", "number"),
    DATE: _("date (YYYY-MM-DD)"),
    DATETIME: _("date and time (ISO 8601, Vietnam time)"),
    BOOLEAN: _("yes/no (true/false in JSON, 1/0 in CSV and Excel)"),
}

# One licence for every dataset, stated on the pages, in the files' dictionary and in the catalogue.
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_TITLE = _("Creative Commons Attribution 4.0 International")

# The separator of the columns that hold several values (a unit's successors, a shop's facilities).
LIST_SEPARATOR = ";"

Row = Sequence


@dataclass(frozen=True)
class Field:
    """One column: its stable snake_case name, its type (one of TYPES), what it means, an example."""

    name: str
    type: str
    description: Promise | str
    example: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])

    @property
    def xsd_type(self) -> str:
        return XSD_TYPES[self.type]


@dataclass(frozen=True)
class Dataset:
    """A public dataset. ``rows(province)`` yields one tuple per row, in the order of ``fields``, reading
    the database in chunks (``province``: an official province code to keep, or None for all);
    ``modified()`` says when its data last changed, in one query (None when nothing says)."""

    slug: str
    title: Promise | str
    description: Promise | str
    theme: Promise | str
    fields: tuple[Field, ...]
    rows: Callable[[str | None], Iterator[Row]]
    modified: Callable[[], datetime.datetime | None]

    @property
    def field_names(self) -> list[str]:
        return [field.name for field in self.fields]


# --- Update times -----------------------------------------------------------------------------------


def _aware(value) -> datetime.datetime | None:
    """A datetime read from a raw query: PostgreSQL gives it aware, SQLite as UTC text."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = DateTimeField().to_python(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def latest(*sources: tuple[QuerySet, str]) -> datetime.datetime | None:
    """The latest value of datetime columns of several tables (``(queryset, column)`` pairs), in one
    query: each table's MAX is a scalar subquery, so each can use its own index."""
    if len(sources) == 1:
        queryset, column = sources[0]
        return queryset.aggregate(latest=Max(column))["latest"]
    selects, params = [], []
    for queryset, column in sources:
        # values() on a constant groups by nothing: one MAX over the whole (filtered) table.
        one = queryset.order_by().annotate(_all=Value(1)).values("_all").annotate(latest=Max(column)).values("latest")
        sql, own = one.query.sql_with_params()
        selects.append(f"SELECT ({sql}) AS latest")
        params.extend(own)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(latest) FROM ({' UNION ALL '.join(selects)}) AS sources", params)  # noqa: S608
        return _aware(cursor.fetchone()[0])


def day_start(day: datetime.date | None) -> datetime.datetime | None:
    """The first moment of a Vietnamese calendar day, for data dated by the day only."""
    return None if day is None else datetime.datetime.combine(day, datetime.time.min, tzinfo=VIETNAM)
