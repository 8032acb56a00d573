"""What the province's one-stop dossier system pushes: monthly dossier statistics and catalogue entries.

Both are all or nothing, and both go through the rules the officers' own writes follow: the statistics
through the spreadsheet import's resource (communes.resources.DossierStatisticsResource: the same row
checks, messages and history as an uploaded file), the catalogue through communes.services.procedure_save.
Errors name the item by its index in the request (``rows.3.received``), as JSON clients count.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

import tablib
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communes.models import Commune, Procedure, Province
from communes.selectors.units import units_replaced
from communes.services import CatalogueError, procedure_save
from communes.services.catalogue import procedure_values
from communes.services.statistics import COLUMNS, ImportReport, RowError
from communes.services.statistics_import import statistics_import_rows

DUPLICATE_IN_REQUEST = _("This code is already in procedures.%(index)d of this request.")


def provinces_of(province: Province) -> set[int]:
    """The province and those it replaced (the 2025 mergers): a key or a role over today's province covers
    their records too (accounts.selectors.user_scope). One query."""
    replaced = units_replaced(province_ids=[province.pk]).provinces.get(province.pk, [])
    return {province.pk, *(earlier.pk for earlier in replaced)}


def _communes_of(province: Province) -> QuerySet[Commune]:
    return Commune.objects.filter(province_id__in=provinces_of(province))


def _refused(count: int) -> str:
    return ngettext(
        "Nothing was saved: %(count)d error in the data sent. Correct it and send everything again.",
        "Nothing was saved: %(count)d errors in the data sent. Correct them and send everything again.",
        count,
    ) % {"count": count}


# --- Monthly dossier statistics ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsPushReport:
    report: ImportReport

    @property
    def months(self) -> list[tuple[datetime.date, int]]:
        """Each month sent with how many communes its rows covered, oldest first."""
        return sorted(Counter(month for _commune, month in self.report.months).items())


def statistics_push(*, province: Province, rows: list[dict], by=None) -> StatisticsPushReport:
    """Save months of figures for the communes of ``province`` (and of the provinces it replaced), each row
    under the statistics spreadsheet's columns: all rows or none, each checked as a row of an uploaded file
    is (statistics_import_rows), a month sent again replacing the one kept (the history keeps it). Raises
    StatisticsError whose errors carry the row's index in ``rows``."""
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in rows:
        dataset.append([row.get(column) for column in COLUMNS])
    report = statistics_import_rows(
        commune_scope=_communes_of(province),
        dataset=dataset,
        row_numbers=list(range(len(rows))),
        by=by,
        refused=_refused,
    )
    return StatisticsPushReport(report)


# --- The procedure catalogue ---------------------------------------------------------------------------


class CataloguePushError(CatalogueError):
    """Entries of a push that cannot be saved; ``rows`` holds each error with its entry's index."""

    def __init__(self, rows: list[RowError]):
        super().__init__({None: [_refused(len(rows))]})
        self.rows = rows


@dataclass(frozen=True)
class PushedProcedure:
    procedure: Procedure
    result: str  # created, updated, unchanged


@transaction.atomic
def catalogue_push(*, province: Province, entries: list[dict], by=None) -> list[PushedProcedure]:
    """Create or correct procedures of the province's catalogue by their code, each through
    procedure_save: all entries or none. Raises CataloguePushError."""
    codes = [entry["code"].strip() for entry in entries]
    existing = {procedure.code: procedure for procedure in Procedure.objects.filter(province=province, code__in=codes)}
    pushed, errors, seen = [], [], {}
    for index, (code, entry) in enumerate(zip(codes, entries, strict=True)):
        if code in seen:
            errors.append(RowError(index, "code", str(DUPLICATE_IN_REQUEST % {"index": seen[code]})))
            continue
        seen[code] = index
        procedure = existing.get(code)
        before = procedure_values(procedure) if procedure is not None else None
        try:
            # procedure_save runs in a savepoint: a refused entry leaves the others' transaction usable.
            saved = procedure_save(province=province, procedure=procedure, by=by, **entry)
        except CatalogueError as error:
            for field, messages in error.errors.items():
                errors += [RowError(index, field or "", str(message)) for message in messages]
            continue
        # procedure_save writes nothing for an entry that changes nothing.
        changed = "updated" if procedure_values(saved) != before else "unchanged"
        pushed.append(PushedProcedure(saved, "created" if before is None else changed))
    if errors:
        raise CataloguePushError(errors)  # the entries saved roll back with the transaction
    return pushed
