"""django-import-export resources for a criteria set's workbook: the set exported as one, and such a
workbook imported into a draft set.

The workbook has a sheet "criteria" with one row per criterion (its group's code and maximum first)
and the sheets "groups" (the groups' names, in order), "bands" (the star bands) and "documents" (the
dossier documents HS1–HS5). Points are numbers; "floor" and "target" are shares (0.9, shown as 90%).

An import reads every row of every sheet first and reports each problem with its sheet, row and
column, in the reader's language (``scoring.resources.workbook``); only a workbook without any problem replaces
the draft's groups and criteria (and its bands and documents when those sheets are there), through
``criteria_set_replace``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import tablib
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.spreadsheets import safe_text
from scoring.models import CriteriaGroup, CriteriaSet, Criterion, Measure, RequiredDocument, StarBand
from scoring.models.criteria import BAND_FIELDS, CRITERION_FIELDS, FROZEN_MESSAGE
from scoring.resources.workbook import (
    BANDS,
    CRITERIA,
    DOCUMENTS,
    GROUPS,
    CriteriaImportError,
    WorkbookCheck,
    read_workbook,
)
from scoring.services import criteria_set_replace

SHARE_FORMAT = "0.00%"
TRUE_WORDS = {"1", "true", "yes", "x", "có", "co", "đúng"}
FALSE_WORDS = {"", "0", "false", "no", "không", "khong", "sai"}


# --- Cells ----------------------------------------------------------------------------------------


def _decimal(value, *, places: int, message: str) -> Decimal | None:
    """A number cell, or text written with a decimal comma or point; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(message)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(message) from error
    if not number.is_finite():
        raise ValueError(message)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(_("Write at most %(places)d decimals.") % {"places": places})
    return number


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code such as 1 typed as a number
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PointsWidget(widgets.DecimalWidget):
    def __init__(self, *, required: bool = True):
        super().__init__(coerce_to_string=False)
        self.required = required

    def clean(self, value, row=None, **kwargs) -> Decimal | None:
        number = _decimal(value, places=2, message=_("Write the points as a number, such as 2.5."))
        if number is None and self.required:
            raise ValueError(_("Write the points."))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class ShareWidget(widgets.DecimalWidget):
    """A share between 0 and 1: 0.9, 90% (a percentage cell) or the text "90%"."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs) -> Decimal | None:
        message = _("Write a share between 0 and 1, such as 0.9 or 90%.")
        percent = isinstance(value, str) and value.strip().endswith("%")
        number = _decimal(value.strip().removesuffix("%") if percent else value, places=6, message=message)
        if number is None:
            return None
        number = number / 100 if percent else number
        if not 0 <= number <= 1:
            raise ValueError(message)
        if number != number.quantize(Decimal("0.0001")):
            raise ValueError(_("Write the share with at most 4 decimals (2 as a percentage)."))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class WholeWidget(widgets.IntegerWidget):
    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs) -> int | None:
        message = _("Write a whole number.")
        number = _decimal(value, places=0, message=message)
        if number is not None and number < 0:
            raise ValueError(message)
        return None if number is None else int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class FlagWidget(widgets.BooleanWidget):
    """Yes or no: a TRUE/FALSE cell, 1/0, or the words yes/no, có/không (empty is no)."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value if value is not None else "").strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("Write 1 for yes or 0 for no."))

    def render(self, value, obj=None, **kwargs):
        return bool(value)


class MeasureWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        text = super().clean(value).lower()
        if not text:
            raise ValueError(
                _("Write how the criterion is measured: one of %(choices)s.") % {"choices": ", ".join(Measure.values)}
            )
        if text not in Measure.values:
            raise ValueError(
                _("Unknown measure “%(value)s”: write one of %(choices)s.")
                % {"value": text, "choices": ", ".join(Measure.values)}
            )
        return text


TEXT = TextWidget()


def column(name: str, widget=TEXT, *, attribute: str | None = "") -> fields.Field:
    """A column read into the model field of the same name (``attribute=None``: read apart)."""
    return fields.Field(attribute=name if attribute == "" else attribute, column_name=name, widget=widget)


# --- Resources ------------------------------------------------------------------------------------


class CriterionResource(resources.ModelResource):
    group_code = column("group_code", attribute=None)
    group_max = column("group_max", PointsWidget(), attribute=None)
    code = column("code")
    name_vi = column("name_vi")
    name_en = column("name_en")
    max_points = column("max_points", PointsWidget())
    measure = column("measure", MeasureWidget())
    metric = column("metric")
    floor = column("floor", ShareWidget())
    target = column("target", ShareWidget())
    min_rows = column("min_rows", WholeWidget())
    min_rows_knockout = column("min_rows_knockout", FlagWidget())
    guidance_vi = column("guidance_vi")
    guidance_en = column("guidance_en")
    provenance = column("provenance")

    REQUIRED = ("group_code", "group_max", "code", "name_vi", "max_points", "measure")
    SHARES = ("floor", "target")

    class Meta:
        model = Criterion
        fields = ("group_code", "group_max", *CRITERION_FIELDS)
        export_order = fields

    def dehydrate_group_code(self, criterion: Criterion) -> str:
        return criterion.group.code

    def dehydrate_group_max(self, criterion: Criterion) -> Decimal:
        return criterion.group.max_points


class GroupResource(resources.ModelResource):
    code = column("code")
    name_vi = column("name_vi")
    name_en = column("name_en")

    REQUIRED = ("code", "name_vi")
    SHARES = ()

    class Meta:
        model = CriteriaGroup
        fields = ("code", "name_vi", "name_en")
        export_order = fields


class BandResource(resources.ModelResource):
    stars = column("stars", WholeWidget())
    min_points = column("min_points", PointsWidget())
    label_vi = column("label_vi")
    label_en = column("label_en")

    REQUIRED = ("stars", "min_points")
    SHARES = ()

    class Meta:
        model = StarBand
        fields = BAND_FIELDS
        export_order = fields


class DocumentResource(resources.ModelResource):
    code = column("code")
    name_vi = column("name_vi")
    name_en = column("name_en")
    generated = column("generated", FlagWidget())

    REQUIRED = ("code", "name_vi")
    SHARES = ()

    class Meta:
        model = RequiredDocument
        fields = ("code", "name_vi", "name_en", "generated")
        export_order = fields


class CriterionAdminResource(CriterionResource):
    """The admin's export of criteria: the workbook's columns, named as the model names them, after the
    set each criterion belongs to. Criteria are changed through their set's workbook (which checks the
    whole set and refuses a published one), never imported row by row here."""

    criteria_set = column("criteria_set", widgets.CharWidget(), attribute="group__criteria_set")

    class Meta:
        model = Criterion
        fields = ("criteria_set", "group_code", "group_max", *CRITERION_FIELDS)
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        names = {"criteria_set": _("Criteria set"), "group_code": _("Group code"), "group_max": _("Group maximum")}
        return [
            str(names.get(field.column_name) or capfirst(Criterion._meta.get_field(field.column_name).verbose_name))
            for field in self.get_export_fields(selected_fields)
        ]

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return safe_text(value) if isinstance(value, str) else value


RESOURCES = {CRITERIA: CriterionResource, GROUPS: GroupResource, BANDS: BandResource, DOCUMENTS: DocumentResource}


# --- Export ---------------------------------------------------------------------------------------


def criteria_set_datasets(criteria_set: CriteriaSet) -> list[tuple[tablib.Dataset, tuple[str, ...]]]:
    """The four sheets as datasets (four queries), each with its columns that hold shares."""
    parts = {
        CRITERIA: Criterion.objects.filter(group__criteria_set=criteria_set)
        .select_related("group")
        .order_by("group__position", "group__code", "position", "code"),
        GROUPS: criteria_set.groups.order_by("position", "code"),
        BANDS: criteria_set.bands.order_by("-stars"),
        DOCUMENTS: criteria_set.documents.order_by("position", "code"),
    }
    sheets = []
    for title, queryset in parts.items():
        resource = RESOURCES[title]()
        dataset = resource.export(list(queryset))
        dataset.title = title
        sheets.append((dataset, resource.SHARES))
    return sheets


def _cell_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def criteria_set_workbook(criteria_set: CriteriaSet) -> bytes:
    """The set as an .xlsx: the header row bold and frozen, shares shown as percentages, and text
    that starts with "=" kept as text (never run as a formula)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for dataset, shares in criteria_set_datasets(criteria_set):
        sheet = workbook.create_sheet(dataset.title)
        sheet.append(dataset.headers)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        share_columns = {dataset.headers.index(name) for name in shares}
        for row in dataset:
            sheet.append([_cell_value(value) for value in row])
            for index, cell in enumerate(sheet[sheet.max_row]):
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
                if index in share_columns:
                    cell.number_format = SHARE_FORMAT
        for letter in "ABCDEFGHIJKLMNO"[: len(dataset.headers)]:
            sheet.column_dimensions[letter].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Import ---------------------------------------------------------------------------------------


# --- Import ---------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    groups: int
    criteria: int
    bands: int | None  # None: the workbook had no such sheet, the draft's were kept
    documents: int | None


def criteria_set_import(*, criteria_set: CriteriaSet, file, by=None) -> ImportReport:
    """Replace a draft's groups and criteria (and bands and documents, when the workbook has those
    sheets) with a workbook's; every problem of the file is reported and nothing changes."""
    if criteria_set.is_frozen:
        raise CriteriaImportError(str(FROZEN_MESSAGE))
    check = WorkbookCheck(criteria_set, read_workbook(file), RESOURCES)
    parts = check.check()
    if check.errors:
        raise CriteriaImportError(
            _("The workbook was not imported: correct the rows below and send it again. Nothing has changed."),
            check.errors,
        )
    criteria_set_replace(
        criteria_set=criteria_set,
        by=by,
        groups=parts.groups,
        criteria=parts.criteria,
        bands=parts.bands,
        documents=parts.documents,
    )
    return ImportReport(
        groups=len(parts.groups),
        criteria=len(parts.criteria),
        bands=None if parts.bands is None else len(parts.bands),
        documents=None if parts.documents is None else len(parts.documents),
    )
