"""The import of a spreadsheet of monthly dossier statistics: all rows or none.

The file is read here, each row goes through the django-import-export resource (communes.resources),
which applies the rules of communes.services.statistics, and the resource's errors become (row, column,
message) for the officer.
"""

from __future__ import annotations

import csv
import io
import logging

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import ngettext
from import_export.formats.base_formats import CSV

# The module, not the class: communes.resources reads the rules of communes.services.statistics, so
# whichever of the two a process imports first, the other may still be half made at this point.
from communes import resources as statistics_resources
from communes.models import Commune
from communes.services.statistics import (
    COLUMN_MISSING,
    COLUMNS,
    COMMUNE_COLUMN,
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    MISSING_COLUMNS,
    MONTH_COLUMN,
    NO_ROWS,
    NOT_A_SPREADSHEET,
    NOT_UTF8,
    ROW_UNREADABLE,
    TOO_MANY_ROWS,
    UNREADABLE,
    ImportReport,
    RowError,
    StatisticsError,
    header_aliases,
    normalise_header,
)
from core.spreadsheets import SpreadsheetRefused, upload_bytes, xlsx_rows
from core.uploads import TOO_LARGE

logger = logging.getLogger(__name__)


# --- Import --------------------------------------------------------------------------------------------


def _normalise_header(value, aliases: dict[str, str]) -> str:
    name = normalise_header(value)
    return aliases.get(name, name)


def _is_empty(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _read_xlsx(data: bytes) -> tuple[list, list[int]]:
    try:
        rows = xlsx_rows(data)
    except SpreadsheetRefused as refused:
        raise StatisticsError(NOT_A_SPREADSHEET if refused.reason == refused.NOT_XLSX else UNREADABLE) from refused
    # A workbook that does not state its size (many programs write none) gives rows as long as their
    # last filled cell: pad them, as a spreadsheet shows them.
    width = max((len(row) for row in rows), default=0)
    rows = [[*row, *[None] * (width - len(row))] for row in rows] or [[]]
    return rows, list(range(1, len(rows) + 1))


def _read_csv(data: bytes) -> tuple[list, list[int]]:
    # Text has no NUL and few control characters; an executable or an old .xls has plenty.
    if any(byte < 0x20 and byte not in b"\t\r\n" for byte in data[:8192]):
        raise StatisticsError(NOT_A_SPREADSHEET)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StatisticsError(NOT_UTF8) from error
    if not text.strip():
        raise StatisticsError(NO_ROWS)
    first_line = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale writes ";" between cells.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise StatisticsError(UNREADABLE) from error
    # tablib drops blank lines and refuses rows wider than the first, but a spreadsheet shows both: pad
    # every record to the same width so that item n of the dataset is row n + 1 of the sheet.
    width = max(len(record) for record in records)
    padded = io.StringIO()
    csv.writer(padded).writerows([*record, *[""] * (width - len(record))] for record in records)
    try:
        dataset = CSV().create_dataset(padded.getvalue())
    except (csv.Error, tablib.InvalidDimensions) as error:
        raise StatisticsError(UNREADABLE) from error
    rows = [dataset.headers or [], *dataset]
    return rows, list(range(1, len(rows) + 1))


def _read(file) -> tuple[tablib.Dataset, list[int]]:
    """The file's rows under its header row as a dataset with normalised headers, and the spreadsheet
    row number of each dataset row."""
    try:
        data = upload_bytes(file)
    except SpreadsheetRefused as refused:
        raise StatisticsError(TOO_LARGE) from refused
    rows, numbers = _read_xlsx(data) if data.startswith(b"PK\x03\x04") else _read_csv(data)
    aliases = header_aliases()
    header_index = next(
        (
            index
            for index, row in enumerate(rows[:HEADER_SEARCH_ROWS])
            if {COMMUNE_COLUMN, MONTH_COLUMN} <= {_normalise_header(value, aliases) for value in row}
        ),
        0,
    )
    headers = [_normalise_header(value, aliases) for value in rows[header_index]]
    missing = [column for column in COLUMNS if column not in headers]
    if missing:
        header_row = numbers[header_index] if numbers else 1
        raise StatisticsError(
            MISSING_COLUMNS,
            [RowError(header_row, column, str(COLUMN_MISSING)) for column in missing],
        )
    body = [
        (number, row)
        for number, row in zip(numbers[header_index + 1 :], rows[header_index + 1 :], strict=True)
        if not _is_empty(row)
    ]
    if not body:
        raise StatisticsError(NO_ROWS)
    if len(body) > MAX_ROWS:
        raise StatisticsError(TOO_MANY_ROWS % {"max": MAX_ROWS})
    # Duplicate or empty header cells would make tablib refuse the dataset; only our columns matter.
    positions = [headers.index(column) for column in COLUMNS]
    dataset = tablib.Dataset(headers=COLUMNS)
    for _number, row in body:
        dataset.append([row[position] if position < len(row) else None for position in positions])
    return dataset, [number for number, _row in body]


def _column_order(error: RowError) -> tuple:
    return (error.row or 0, COLUMNS.index(error.column) if error.column in COLUMNS else len(COLUMNS))


def _file_refused(count: int) -> str:
    return ngettext(
        "Nothing was imported: the file has %(count)d error. Correct it and send the file again.",
        "Nothing was imported: the file has %(count)d errors. Correct them and send the file again.",
        count,
    ) % {"count": count}


def statistics_import_rows(
    *, commune_scope: QuerySet[Commune], dataset: tablib.Dataset, row_numbers: list[int], by, refused=_file_refused
) -> ImportReport:
    """Save the rows of ``dataset`` (under COLUMNS) for communes of ``commune_scope``: all rows or none,
    each checked by the import's resource. An error names the row by ``row_numbers`` (a spreadsheet's
    row, an index in an API request); ``refused(count)`` says that nothing was saved."""
    resource = statistics_resources.DossierStatisticsResource(
        commune_scope=commune_scope, by=by, row_numbers=row_numbers
    )
    with transaction.atomic():
        result = resource.import_data(dataset, use_transactions=True, rollback_on_validation_errors=True)
        errors = []
        for invalid in result.invalid_rows:
            for attribute, messages in invalid.error_dict.items():
                column = resource.column_of(attribute) if attribute != NON_FIELD_ERRORS else ""
                errors += [RowError(resource.sheet_row(invalid.number), column, message) for message in messages]
        for error_row in result.error_rows:
            for error in error_row.errors:
                logger.warning("Statistics import: row %s failed: %r", error_row.number, error.error)
            errors.append(RowError(resource.sheet_row(error_row.number), "", str(ROW_UNREADABLE)))
        for error in result.base_errors:
            logger.warning("Statistics import failed: %r", error.error)
            errors.append(RowError(None, "", str(UNREADABLE)))
        if errors:
            # Raising inside the block rolls back the rows already written.
            raise StatisticsError(refused(len(errors)), sorted(errors, key=_column_order))
    totals = result.totals
    return ImportReport(
        created=totals["new"],
        updated=totals["update"] + totals["skip"],
        unchanged=totals["skip"],
        months=resource.months,
    )


def statistics_import(*, commune_scope: QuerySet[Commune], file, by) -> ImportReport:
    """Import a .xlsx or CSV file of monthly figures for communes of ``commune_scope``: all rows or none."""
    dataset, row_numbers = _read(file)
    return statistics_import_rows(commune_scope=commune_scope, dataset=dataset, row_numbers=row_numbers, by=by)
