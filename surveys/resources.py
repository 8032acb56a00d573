"""django-import-export resources for DoHA's exports of a campaign: the anonymous responses, and the
statistics from the stored tallies.

A response row carries what the response itself says (commune, channel, day, answers, comment) and
DoHA's decisions on it; never what made it unique (visit code, kiosk, tablet id, device hash), so a
spreadsheet passed around cannot be joined back to a slip, a tablet or a phone.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys.models import Campaign, Question, Response
from surveys.selectors import Figure, questionnaire_structure, results_for

CHUNK = 2000


# A cell a spreadsheet would run as a formula (a comment starting "=HYPERLINK(" …) is kept as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Value(widgets.Widget):
    """Numbers and dates stay numbers and dates (real cells in Excel); lists are joined with ';'; text
    a spreadsheet would read as a formula gets a leading apostrophe."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int | float | datetime.date):
            return value
        if isinstance(value, list | tuple):
            value = ";".join(str(item) for item in value)
        text = str(value)
        return f"'{text}" if text.startswith(FORMULA_STARTS) else text


VALUE = Value()


def column(attribute: str, name) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=name, widget=VALUE, readonly=True)


class FastExport:
    """import-export looks each field's name up among all fields for every cell, and its Dataset and
    xlsx writer keep every cell as an object; for 10,000 responses with one column per question that
    takes many seconds. Our fields have no dehydrate methods, so rows are made directly and written
    as they come: a CSV streams, a workbook is written in openpyxl's write-only mode."""

    def export_field(self, field, instance, **kwargs):
        return field.export(instance, **kwargs)

    def rows(self, items: Iterable) -> Iterator[list]:
        """The header, then one list of cells per item."""
        yield self.get_export_headers()
        for item in self.iter_queryset(items):
            yield self.export_resource(item)


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
# openpyxl without lxml spends about 35 µs per cell in its XML layer (15 s for 10,000 responses); these
# few fixed parts and one streamed sheet of inline strings take a tenth of that. openpyxl reads it back
# in the tests, and Excel and LibreOffice open it.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>'
    ),
    # Style 0: plain; 1: a date (built-in format 14, the reader's short date); 2: bold, for the header.
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN}">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}
_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0, as its serial dates count


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


def xlsx_bytes(rows: Iterable[list], title: str) -> bytes:
    """A one-sheet workbook, the first row bold and frozen, the sheet written row by row."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in _PARTS.items():
            archive.writestr(name, _XML + part)
        archive.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            f'<sheet name="{escape(title[:31], {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as sheet:
            sheet.write(
                f'{_XML}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                "</sheetView></sheetViews><sheetData>"
            )
            letters: list[str] = []
            for number, row in enumerate(rows, start=1):
                while len(letters) < len(row):
                    letters.append(_column_letters(len(letters)))
                style = 2 if number == 1 else 0
                cells = "".join(_cell(f"{letters[i]}{number}", value, style) for i, value in enumerate(row))
                sheet.write(f'<row r="{number}">{cells}</row>')
            sheet.write("</sheetData></worksheet>")
    return buffer.getvalue()


class ResponseResource(FastExport, resources.Resource):
    """One row per response of a campaign, with one column per question code."""

    id = column("pk", _("Response"))
    commune_code = column("commune__code", _("Commune code"))
    commune_name = column("commune__name", _("Commune"))
    channel = column("channel", _("Channel"))
    day = column("submitted_on", _("Day"))

    class Meta:
        chunk_size = CHUNK

    def __init__(self, campaign: Campaign, **kwargs):
        super().__init__(**kwargs)
        self.campaign = campaign
        structure = questionnaire_structure(campaign.questionnaire)
        for question in structure.questions:
            if question.kind != Question.Kind.TEXT:  # the free text is the comment, below
                self.fields[f"q:{question.code}"] = column(f"answers__{question.code}", question.code)
        # DoHA reads comments as written; the commune only ever gets DoHA's redacted version.
        self.fields["comment"] = column("comment", _("Comment"))
        self.fields["flags"] = column("flag_list", _("Quality signals"))
        self.fields["excluded"] = column("excluded", _("Excluded"))
        self.fields["exclusion_reason"] = column("exclusion_reason", _("Reason for excluding"))

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # The answers are read from the row's dict once, not walked to through each column's attribute.
        if not hasattr(self, "_plan"):
            self._plan = [
                (field, field.attribute.removeprefix("answers__") if field.attribute.startswith("answers__") else None)
                for field in self.get_export_fields(selected_fields)
            ]
        answers = instance.answers or {}
        return [VALUE.render(answers.get(code)) if code else field.export(instance) for field, code in self._plan]

    def get_queryset(self):
        return (
            Response.objects.filter(campaign=self.campaign)
            .select_related("commune")
            .only(
                "pk",
                "commune__code",
                "commune__name",
                "channel",
                "submitted_on",
                "answers",
                "comment",
                "flags",
                "excluded",
                "exclusion_reason",
            )
            .order_by("commune__code", "submitted_on", "pk")
        )


@dataclass(frozen=True)
class StatisticsRow:
    commune_code: str
    commune_name: str
    factor_code: str
    factor_name: str
    group: str
    responses: int
    answered: int
    mean: float | None
    share: float | None
    low: float | None
    high: float | None
    enough: bool


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def statistics_rows(campaign: Campaign) -> list[StatisticsRow]:
    """Every commune × factor figure of the campaign from the stored tallies, verified channels and
    open link apart (three queries, whatever the number of communes)."""
    communes = list(campaign.communes.order_by("code").only("pk", "code", "name"))
    results = results_for(campaign, [commune.pk for commune in communes])
    groups = (
        (_("verified (visit code, kiosk)"), "figures", "responses"),
        (_("open link"), "link_figures", "link_responses"),
    )
    rows = []
    for commune in communes:
        result = results[commune.pk]
        for label, figures_name, responses_name in groups:
            figure: Figure
            for figure in getattr(result, figures_name):
                rows.append(
                    StatisticsRow(
                        commune_code=commune.code,
                        commune_name=commune.name,
                        factor_code=figure.factor.code,
                        factor_name=figure.factor.name,
                        group=str(label),
                        responses=getattr(result, responses_name),
                        answered=figure.answered,
                        mean=_rounded(figure.mean, 2),
                        share=_rounded(figure.percent, 1),
                        low=_rounded(figure.low_percent, 1),
                        high=_rounded(figure.high_percent, 1),
                        enough=figure.enough,
                    )
                )
    return rows


class StatisticsResource(FastExport, resources.Resource):
    """One row per commune × factor × channel group, read from the stored tallies."""

    commune_code = column("commune_code", _("Commune code"))
    commune_name = column("commune_name", _("Commune"))
    factor_code = column("factor_code", _("Factor code"))
    factor_name = column("factor_name", _("Factor"))
    group = column("group", _("Channels"))
    responses = column("responses", _("Responses"))
    answered = column("answered", _("Answers (n)"))
    mean = column("mean", _("Mean (1–5)"))
    share = column("share", _("Satisfied (%)"))
    low = column("low", _("95% interval, low (%)"))
    high = column("high", _("95% interval, high (%)"))
    enough = column("enough", _("Enough answers"))
