"""A dataset as a file: CSV and JSON streamed as the rows are read, XLSX written to a temporary file and
then streamed. Memory stays flat whatever the table's size: no writer holds more than a chunk of rows.

CSV and XLSX cells go through ``core.spreadsheets.cell_value`` (a title typed as ``=HYPERLINK(…)`` stays
text); a date and time is written as ISO 8601 text in Vietnam time first, since a spreadsheet cell
would keep only its day. JSON keeps its own types: true/false, numbers, null.
"""

from __future__ import annotations

import datetime
import itertools
import json
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import openpyxl
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.spreadsheets import CSV, XLSX, cell_value, csv_chunks
from portal.opendata.datasets.common import local
from portal.opendata.registry import DATETIME, LICENCE_NAME, LICENCE_URL, Dataset, Field

JSON = "application/json"
MEDIA_TYPES = {"csv": CSV, "json": JSON, "xlsx": XLSX}
FORMATS = tuple(MEDIA_TYPES)
# Small writes are gathered into pieces of about this many characters before they go to the client.
PIECE = 64 * 1024


def _moment(value):
    return local(value).isoformat(timespec="seconds") if isinstance(value, datetime.datetime) else value


def spreadsheet_value(value, field: Field):
    """A value as one CSV or Excel cell."""
    if field.type == DATETIME:
        value = _moment(value)
    return cell_value(value)


def json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime):
        return _moment(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _pieces(texts: Iterable[str]) -> Iterator[str]:
    """The texts joined into pieces of about PIECE characters: one write per line would cost more than
    the line."""
    pending, size = [], 0
    for text in texts:
        pending.append(text)
        size += len(text)
        if size >= PIECE:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)


def _spreadsheet_rows(dataset: Dataset, rows: Iterable) -> Iterator[list]:
    fields = dataset.fields
    for row in rows:
        yield [spreadsheet_value(value, field) for value, field in zip(row, fields, strict=True)]


def csv_content(dataset: Dataset, rows: Iterable) -> Iterator[str]:
    """UTF-8 with a byte-order mark (so Excel reads the Vietnamese), the field names as the header."""
    return _pieces(csv_chunks(itertools.chain([dataset.field_names], _spreadsheet_rows(dataset, rows))))


def json_content(dataset: Dataset, rows: Iterable) -> Iterator[str]:
    """``{"dataset": slug, "fields": [...], "rows": [{...}, ...]}``, one row at a time. The fields'
    descriptions are read now, in the request's language, before the rows are streamed."""
    fields = [
        {"name": field.name, "type": field.type, "description": str(field.description)} for field in dataset.fields
    ]
    head = json.dumps({"dataset": dataset.slug, "licence": LICENCE_URL, "fields": fields}, ensure_ascii=False)
    names = dataset.field_names

    def texts() -> Iterator[str]:
        yield head[:-1] + ', "rows": ['
        separator = "\n"
        for row in rows:
            values = {name: json_value(value) for name, value in zip(names, row, strict=True)}
            yield separator + json.dumps(values, ensure_ascii=False)
            separator = ",\n"
        yield "\n]}\n"

    return _pieces(texts())


def _xlsx_text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_file(dataset: Dataset, rows: Iterable, *, modified: datetime.datetime | None):
    """The workbook in a temporary file (deleted once closed), at its start: sheet "data", then sheet
    "dictionary" (each column's name, type, meaning and example, then the licence)."""
    workbook = openpyxl.Workbook(write_only=True)
    workbook.properties.title = str(dataset.title)
    workbook.properties.identifier = dataset.slug
    workbook.properties.description = f"{LICENCE_NAME} {LICENCE_URL}"
    data = workbook.create_sheet("data")
    data.append(dataset.field_names)
    for row in _spreadsheet_rows(dataset, rows):
        data.append([_xlsx_text(value) for value in row])
    dictionary = workbook.create_sheet("dictionary")
    dictionary.append(["name", "type", "description", "example"])
    for field in dataset.fields:
        cells = (field.name, field.type, str(field.description), field.example)
        dictionary.append([_xlsx_text(cell_value(cell)) for cell in cells])
    dictionary.append([])
    dictionary.append(["licence", LICENCE_NAME, LICENCE_URL])
    if modified is not None:
        dictionary.append(["modified", _moment(modified)])
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it once sent
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def download(dataset: Dataset, fmt: str, rows: Iterable, *, modified: datetime.datetime | None) -> HttpResponse:
    """The dataset's file in ``fmt`` (one of FORMATS), as an attachment named ``<slug>.<fmt>``."""
    filename = f"{dataset.slug}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(dataset, rows, modified=modified), as_attachment=True, filename=filename, content_type=XLSX
        )
    content = csv_content(dataset, rows) if fmt == "csv" else json_content(dataset, rows)
    response = StreamingHttpResponse(content, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
