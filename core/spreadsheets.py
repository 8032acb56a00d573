"""Spreadsheets out of the portal: the one rule for a cell's value (numbers and dates stay numbers and
dates; text a spreadsheet would run as a formula stays text), a CSV that streams, and a small .xlsx
writer with as many sheets as a file needs. Into the portal: an uploaded .xlsx read safely (its size,
a zip bomb, a damaged workbook), for the imports that each say in their own words why a file was refused.

Every export of the portal goes through ``cell_value``: a title typed by a citizen as
``=HYPERLINK(…)`` must reach DoHA's Excel as the text it is.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
from django.http import HttpResponse
from django.utils.text import capfirst
from import_export import resources
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core import clock
from core.errors import ServiceError
from core.uploads import MAX_UPLOAD_BYTES

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

# A cell a spreadsheet would run as a formula (a comment starting "=HYPERLINK(" …) is kept as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text as a spreadsheet should show it: a leading apostrophe where it would start a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def cell_value(value):
    """A value as one cell: numbers (Decimal too) and dates stay numbers and dates, so Excel sums and
    sorts them; booleans are 1/0; lists are joined with ';'; any other text goes through ``safe_text``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime):
        return clock.date_of(value) if value.tzinfo else value.date()
    if isinstance(value, int | float | datetime.date):
        return value
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    return safe_text(str(value))


class LabelledModelResource(resources.ModelResource):
    """A django-import-export resource for the admin whose columns carry the fields' names as the model
    gives them (verbose_name, in the reader's language), and whose exported text goes through
    ``safe_text``. A file exported in one language imports back in that language."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = capfirst(django_field.verbose_name)
        return field

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return safe_text(value) if isinstance(value, str) else value


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text, a line at a time; a byte-order mark first so Excel reads the file as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


# --- A minimal workbook writer ----------------------------------------------------------------------
# openpyxl without lxml spends about 35 µs per cell in its XML layer (15 s for 10,000 survey responses);
# these few fixed parts and sheets of inline strings streamed row by row take a tenth of that. openpyxl
# reads it back in the tests, and Excel and LibreOffice open it.


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name, its rows (the first is the header, bold and frozen) and, optionally, the
    width of its first columns in characters."""

    title: str
    rows: Iterable[Sequence]
    widths: Sequence[int] = ()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
# Style 0: plain; 1: a date (built-in format 14, the reader's short date); 2: bold, for the header;
# 3: wrapped text (notes).
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0, as its serial dates count
_BAD_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", " "))  # characters Excel refuses in a sheet name


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value, style: int = 0) -> str:
    if isinstance(value, datetime.date):
        return f'<c r="{reference}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    text = escape(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if not text:
        return ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _titles(sheets: Sequence[Sheet]) -> list[str]:
    """Sheet names as Excel takes them: at most 31 characters, none of []:*?/\\, each different."""
    titles: list[str] = []
    for number, sheet in enumerate(sheets, start=1):
        title = (sheet.title.translate(_BAD_TITLE).strip() or f"Sheet{number}")[:31]
        while title.lower() in (t.lower() for t in titles):
            title = f"{title[:28]} {number}"
        titles.append(title)
    return titles


def _write_sheet(raw, sheet: Sheet, *, wrap: bool) -> None:
    with io.TextIOWrapper(raw, encoding="utf-8") as out:
        out.write(
            f'{_XML}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            "</sheetView></sheetViews>"
        )
        if sheet.widths:
            out.write("<cols>")
            for index, width in enumerate(sheet.widths, start=1):
                out.write(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>')
            out.write("</cols>")
        out.write("<sheetData>")
        letters: list[str] = []
        for number, row in enumerate(sheet.rows, start=1):
            while len(letters) < len(row):
                letters.append(_column_letters(len(letters)))
            style = 2 if number == 1 else 3 if wrap else 0
            cells = "".join(_cell(f"{letters[i]}{number}", value, style) for i, value in enumerate(row))
            out.write(f'<row r="{number}">{cells}</row>')
        out.write("</sheetData></worksheet>")


def xlsx_bytes(sheets: Sequence[Sheet], *, wrapped: Iterable[int] = ()) -> bytes:
    """A workbook of ``sheets``, each written row by row; the sheets whose index is in ``wrapped``
    wrap their text (notes to read, not data to sort). Values should have been through ``cell_value``."""
    wrapped = set(wrapped)
    titles = _titles(sheets)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
            for n in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        relations = "".join(
            f'<Relationship Id="rId{n}" Type="{_DOC}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_RELS}">{relations}'
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", _XML + _STYLES)
        entries = "".join(
            f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
            for n, title in enumerate(titles, start=1)
        )
        archive.writestr(
            "xl/workbook.xml", f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>{entries}</sheets></workbook>'
        )
        for index, sheet in enumerate(sheets):
            with archive.open(f"xl/worksheets/sheet{index + 1}.xml", "w") as raw:
                _write_sheet(raw, sheet, wrap=index in wrapped)
    return buffer.getvalue()


def xlsx_response(sheets: Sequence[Sheet], *, filename: str, wrapped: Iterable[int] = ()) -> HttpResponse:
    """A workbook as a download that no shared cache keeps (staff exports carry non-public data)."""
    response = HttpResponse(xlsx_bytes(sheets, wrapped=wrapped), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Uploaded workbooks ---------------------------------------------------------------------------------

# A 5 MB .xlsx that inflates beyond this is a zip bomb, not a list of villages or months.
MAX_INFLATED_BYTES = 50 * 1024 * 1024


class SpreadsheetRefused(ServiceError):
    """An upload that is not read, and why (``reason``: one of the constants below)."""

    TOO_LARGE = "too_large"
    NOT_XLSX = "not_xlsx"
    UNREADABLE = "unreadable"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def upload_bytes(file) -> bytes:
    """The uploaded file's content, refused over MAX_UPLOAD_BYTES without reading more than that."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise SpreadsheetRefused(SpreadsheetRefused.TOO_LARGE)
    file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetRefused(SpreadsheetRefused.TOO_LARGE)
    return data


def xlsx_rows(data: bytes) -> list[list]:
    """The first sheet's rows as lists of values, every row, empty ones too: item n is row n + 1."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise SpreadsheetRefused(SpreadsheetRefused.NOT_XLSX) from error
    if "xl/workbook.xml" not in names:
        raise SpreadsheetRefused(SpreadsheetRefused.NOT_XLSX)
    if inflated > MAX_INFLATED_BYTES:
        raise SpreadsheetRefused(SpreadsheetRefused.UNREADABLE)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [list(row) for row in workbook.active.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged workbook
        logger.info("Unreadable workbook: %r", error)
        raise SpreadsheetRefused(SpreadsheetRefused.UNREADABLE) from error
