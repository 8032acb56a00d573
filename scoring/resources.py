"""django-import-export resources for a criteria set's workbook, and the import of such a workbook
into a draft set.

The workbook has a sheet "criteria" with one row per criterion (its group's code and maximum first)
and the sheets "groups" (the groups' names, in order), "bands" (the star bands) and "documents" (the
dossier documents HS1–HS5). Points are numbers; "floor" and "target" are shares (0.9, shown as 90%).

An import reads every row of every sheet first and reports each problem with its sheet, row and
column, in the reader's language; only a workbook without any problem replaces the draft's groups
and criteria (and its bands and documents when those sheets are there), in one transaction.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from scoring.metrics import METRICS
from scoring.models import CriteriaGroup, CriteriaSet, Criterion, Measure, RequiredDocument, StarBand
from scoring.models.criteria import FROZEN_MESSAGE, FrozenSet
from scoring.services import ScoringError
from scoring.stars import points_text

CRITERIA, GROUPS, BANDS, DOCUMENTS = "criteria", "groups", "bands", "documents"
MAX_ROWS = 1000  # a set has a few dozen criteria; more rows than this is not a criteria workbook
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
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
        fields = (
            "group_code",
            "group_max",
            "code",
            "name_vi",
            "name_en",
            "max_points",
            "measure",
            "metric",
            "floor",
            "target",
            "min_rows",
            "min_rows_knockout",
            "guidance_vi",
            "guidance_en",
            "provenance",
        )
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
        fields = ("stars", "min_points", "label_vi", "label_en")
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


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # the spreadsheet's row number: 1 is the header
    column: str
    message: str


class CriteriaImportError(ScoringError):
    """A workbook refused: ``errors`` lists every problem found (empty when the file itself is bad)."""

    def __init__(self, message: str, errors: list[RowError] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


@dataclass
class ImportReport:
    groups: int
    criteria: int
    bands: int | None  # None: the workbook had no such sheet, the draft's were kept
    documents: int | None


@dataclass
class Row:
    number: int
    cells: dict
    instance: object = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _unpacked_size(file) -> int:
    """What the workbook's parts take once unzipped (a small file may unpack to gigabytes)."""
    try:
        with zipfile.ZipFile(file) as archive:
            return sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise CriteriaImportError(_("This file is not an Excel workbook (.xlsx).")) from error
    finally:
        file.seek(0)


def read_workbook(file) -> dict[str, tuple[list[str], list[Row]]]:
    """The sheets the import knows, by name: their column names and non-empty rows."""
    if _unpacked_size(file) > MAX_UNPACKED_BYTES:
        raise CriteriaImportError(_("This workbook is too large once unpacked: send the criteria only."))
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # a broken file can fail anywhere inside the reader
        raise CriteriaImportError(_("This file is not an Excel workbook (.xlsx).")) from error
    sheets = {}
    try:
        for sheet in workbook.worksheets:
            title = str(sheet.title).strip().lower()
            if title not in RESOURCES or title in sheets:
                continue
            rows = sheet.iter_rows(values_only=True)
            header = [str(name).strip().lower() if name is not None else "" for name in next(rows, ())]
            found = []
            for number, values in enumerate(rows, start=2):
                if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
                    continue
                if len(found) >= MAX_ROWS:
                    raise CriteriaImportError(
                        _("The sheet “%(sheet)s” has more than %(count)d rows.") % {"sheet": title, "count": MAX_ROWS}
                    )
                found.append(Row(number, {name: value for name, value in zip(header, values, strict=False) if name}))
            sheets[title] = (header, found)
    finally:
        workbook.close()
    if CRITERIA not in sheets:
        raise CriteriaImportError(_("The workbook has no sheet named “criteria”."))
    return sheets


class WorkbookCheck:
    """Every row of every sheet read into unsaved rows, and every problem found on the way."""

    def __init__(self, criteria_set: CriteriaSet, sheets: dict[str, tuple[list[str], list[Row]]]):
        self.criteria_set = criteria_set
        self.sheets = sheets
        self.errors: list[RowError] = []
        self.columns_missing = False

    def error(self, sheet: str, row: int | None, column: str, message) -> None:
        self.errors.append(RowError(sheet, row, column, str(message)))

    def _read(self, title: str, model, exclude: set[str]) -> list[Row] | None:
        """Each row of a sheet as an unsaved instance, its cells and model fields checked."""
        if title not in self.sheets:
            return None
        header, rows = self.sheets[title]
        resource = RESOURCES[title]()
        missing = [name for name in resource.REQUIRED if name not in header]
        for name in missing:
            self.error(title, 1, name, _("This column is missing."))
        if missing:
            self.columns_missing = True
            return []
        for row in rows:
            row.instance = model()
            try:
                resource.import_instance(row.instance, row.cells)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    row.errors.setdefault(name, []).extend(messages)
            for name in resource.fields:
                widget = resource.fields[name].widget
                if resource.fields[name].attribute is None and name in row.cells:
                    try:
                        row.cells[name] = widget.clean(row.cells[name])
                    except ValueError as error:
                        row.errors.setdefault(name, []).append(str(error))
            try:
                row.instance.clean_fields(exclude={*exclude, *row.errors})
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    row.errors.setdefault(name, []).extend(messages)
        return rows

    def _report(self, title: str, rows: list[Row]) -> None:
        for row in rows:
            for name, messages in row.errors.items():
                for message in messages:
                    self.error(title, row.number, name, message)

    def _unique(self, title: str, rows: list[Row], name: str, message) -> None:
        seen: dict = {}
        for row in rows:
            value = getattr(row.instance, name)
            if name in row.errors or value in ("", None):
                continue
            if value in seen:
                row.errors.setdefault(name, []).append(str(message % {"value": value, "row": seen[value]}))
            else:
                seen[value] = row.number

    def criteria(self) -> list[Row]:
        rows = self._read(CRITERIA, Criterion, {"group"}) or []
        for row in rows:
            criterion = row.instance
            if not row.cells.get("group_code") and "group_code" not in row.errors:
                row.errors.setdefault("group_code", []).append(_("Write the group's code."))
            if {"measure", "metric", "floor", "target"} & set(row.errors):
                continue
            metric = METRICS.get(criterion.metric)
            if criterion.metric and metric is None:
                row.errors.setdefault("metric", []).append(
                    _("Unknown metric “%(metric)s”.") % {"metric": criterion.metric}
                )
            elif metric is not None and criterion.measure != Measure.SELF and metric.measure != criterion.measure:
                row.errors.setdefault("metric", []).append(
                    _("The metric “%(metric)s” is computed from %(source)s, not %(measure)s.")
                    % {"metric": metric.code, "source": metric.measure, "measure": criterion.measure}
                )
            else:
                try:
                    criterion.clean()
                except ValidationError as error:
                    for name, messages in error.message_dict.items():
                        row.errors.setdefault(name, []).extend(messages)
        self._unique(CRITERIA, rows, "code", _("The code %(value)s is already used on row %(row)d."))
        return rows

    def check(self) -> tuple[list[tuple[CriteriaGroup, list[Criterion]]], list | None, list | None]:
        criteria = self.criteria()
        named = self._read(GROUPS, CriteriaGroup, {"criteria_set", "max_points"})
        bands = self._read(BANDS, StarBand, {"criteria_set"})
        documents = self._read(DOCUMENTS, RequiredDocument, {"criteria_set"})
        if self.columns_missing:  # the rows cannot be read against each other: say what is missing first
            return [], None, None
        groups = self._groups(criteria, named)
        if bands is not None:
            self._unique(BANDS, bands, "stars", _("A band for %(value)s stars is already on row %(row)d."))
            self._check_bands(bands)
        if documents is not None:
            self._unique(DOCUMENTS, documents, "code", _("The code %(value)s is already used on row %(row)d."))
        for title, rows in [
            (CRITERIA, criteria),
            (GROUPS, named or []),
            (BANDS, bands or []),
            (DOCUMENTS, documents or []),
        ]:
            self._report(title, rows)
        self.errors.sort(key=lambda e: (list(RESOURCES).index(e.sheet), e.row or 0))
        keep = [row.instance for row in bands] if bands is not None else None
        docs = [row.instance for row in documents] if documents is not None else None
        return groups, keep, docs

    def _groups(self, criteria: list[Row], named: list[Row] | None) -> list[tuple[CriteriaGroup, list[Criterion]]]:
        """The groups in order (the "groups" sheet's, or as they first appear), each with its maximum
        (the same on each of its rows) and its criteria, which must add up to it."""
        if named is not None:
            self._unique(GROUPS, named, "code", _("The group %(value)s is already on row %(row)d."))
        known = {group.code: group for group in self.criteria_set.groups.all()}
        groups: dict[str, CriteriaGroup] = {}
        if named is not None:
            for row in named:
                if "code" not in row.errors and row.instance.code not in groups:
                    groups[row.instance.code] = row.instance
        members: dict[str, list[Row]] = defaultdict(list)
        maximum: dict[str, tuple[Decimal, int]] = {}
        for row in criteria:
            code = row.cells.get("group_code")
            if not code or "group_code" in row.errors:
                continue
            members[code].append(row)
            if code not in groups:
                if named is not None:
                    row.errors.setdefault("group_code", []).append(
                        _("Group %(group)s is not on the “groups” sheet.") % {"group": code}
                    )
                    continue
                if code not in known:
                    row.errors.setdefault("group_code", []).append(
                        _("Group %(group)s is new: add a “groups” sheet with its name.") % {"group": code}
                    )
                    continue
                groups[code] = CriteriaGroup(code=code, name_vi=known[code].name_vi, name_en=known[code].name_en)
            value = row.cells.get("group_max")
            if "group_max" in row.errors or value is None:
                continue
            if code not in maximum:
                maximum[code] = (value, row.number)
            elif maximum[code][0] != value:
                row.errors.setdefault("group_max", []).append(
                    _("Group %(group)s has %(max)s points on row %(row)d.")
                    % {"group": code, "max": points_text(maximum[code][0]), "row": maximum[code][1]}
                )
        for row in named or []:
            if "code" not in row.errors and not members.get(row.instance.code):
                row.errors.setdefault("code", []).append(
                    _("Group %(group)s has no criterion on the “criteria” sheet.") % {"group": row.instance.code}
                )
        for code, group in groups.items():
            rows = members.get(code, [])
            if code not in maximum or any("max_points" in row.errors for row in rows):
                continue
            group.max_points = maximum[code][0]
            total = sum((row.instance.max_points for row in rows), Decimal(0))
            if total != group.max_points:
                rows[0].errors.setdefault("max_points", []).append(
                    _("The criteria of group %(group)s add up to %(total)s points, not %(max)s.")
                    % {"group": code, "total": points_text(total), "max": points_text(group.max_points)}
                )
        return [(group, [row.instance for row in members.get(code, [])]) for code, group in groups.items()]

    def _check_bands(self, bands: list[Row]) -> None:
        ordered = sorted(
            (row for row in bands if not row.errors and row.instance.stars >= 1), key=lambda r: r.instance.stars
        )
        for lower, higher in itertools.pairwise(ordered):
            if lower.instance.min_points >= higher.instance.min_points:
                higher.errors.setdefault("min_points", []).append(_("More stars must need more points."))


def criteria_set_import(*, criteria_set: CriteriaSet, file) -> ImportReport:
    """Replace a draft's groups and criteria (and bands and documents, when the workbook has those
    sheets) with a workbook's; every problem of the file is reported and nothing changes."""
    if criteria_set.is_frozen:
        raise CriteriaImportError(str(FROZEN_MESSAGE))
    check = WorkbookCheck(criteria_set, read_workbook(file))
    groups, bands, documents = check.check()
    if check.errors:
        raise CriteriaImportError(
            _("The workbook was not imported: correct the rows below and send it again. Nothing has changed."),
            check.errors,
        )
    return _replace(criteria_set, groups, bands, documents)


@transaction.atomic
def _replace(criteria_set, groups, bands, documents) -> ImportReport:
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.is_frozen:
        raise FrozenSet(FROZEN_MESSAGE)
    # Rows of a draft: no assessment refers to them yet (assessments open on published sets).
    CriteriaGroup.objects.filter(criteria_set=locked).delete()
    count = 0
    for g_position, (group, criteria) in enumerate(groups, start=1):
        group.criteria_set, group.position = locked, g_position
        group.save()
        for c_position, criterion in enumerate(criteria, start=1):
            criterion.group, criterion.position = group, c_position
            criterion.save()
            count += 1
    if bands is not None:
        StarBand.objects.filter(criteria_set=locked).delete()
        for band in bands:
            band.criteria_set = locked
            band.save()
    if documents is not None:
        RequiredDocument.objects.filter(criteria_set=locked).delete()
        for position, document in enumerate(documents, start=1):
            document.criteria_set, document.position = locked, position
            document.save()
    return ImportReport(
        groups=len(groups),
        criteria=count,
        bands=None if bands is None else len(bands),
        documents=None if documents is None else len(documents),
    )
