"""A criteria workbook read and checked: every row of every sheet read into unsaved rows, and every
problem found reported with its sheet, row and column, in the reader's language.

The sheets' columns are read by the import-export resources of ``scoring.resources.criteria`` (which imports
this module to import a workbook, so they are handed to ``WorkbookCheck`` rather than imported here).
Nothing is written here: a workbook without any problem gives the rows that ``criteria_set_replace``
saves.
"""

from __future__ import annotations

import itertools
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.resources import ModelResource
from openpyxl import load_workbook

from scoring.models import CriteriaGroup, CriteriaSet, Criterion, Measure, RequiredDocument, StarBand
from scoring.services import ScoringError
from scoring.services.computation.metrics import METRICS
from scoring.services.computation.stars import points_text

CRITERIA, GROUPS, BANDS, DOCUMENTS = "criteria", "groups", "bands", "documents"
SHEETS = (CRITERIA, GROUPS, BANDS, DOCUMENTS)  # in the order of the workbook and of its errors
MAX_ROWS = 1000  # a set has a few dozen criteria; more rows than this is not a criteria workbook
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


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
class Row:
    number: int
    cells: dict
    instance: object = None
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Parts:
    """A checked workbook's rows, unsaved and in their order."""

    groups: list[CriteriaGroup]
    criteria: list[Criterion]  # each in its group, one of ``groups``
    bands: list[StarBand] | None  # None: the workbook has no such sheet
    documents: list[RequiredDocument] | None


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
            if title not in SHEETS or title in sheets:
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
    """Every row of every sheet read into unsaved rows, and every problem found on the way;
    ``resources`` reads each sheet's cells (scoring.resources.criteria.RESOURCES)."""

    def __init__(
        self,
        criteria_set: CriteriaSet,
        sheets: dict[str, tuple[list[str], list[Row]]],
        resources: Mapping[str, type[ModelResource]],
    ):
        self.criteria_set = criteria_set
        self.sheets = sheets
        self.resources = resources
        self.errors: list[RowError] = []
        self.columns_missing = False

    def error(self, sheet: str, row: int | None, column: str, message) -> None:
        self.errors.append(RowError(sheet, row, column, str(message)))

    def _read(self, title: str, model, exclude: set[str]) -> list[Row] | None:
        """Each row of a sheet as an unsaved instance, its cells and model fields checked."""
        if title not in self.sheets:
            return None
        header, rows = self.sheets[title]
        resource = self.resources[title]()
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

    def check(self) -> Parts:
        """The workbook's rows in their order, to be used only when ``errors`` stays empty."""
        criteria = self.criteria()
        named = self._read(GROUPS, CriteriaGroup, {"criteria_set", "max_points"})
        bands = self._read(BANDS, StarBand, {"criteria_set"})
        documents = self._read(DOCUMENTS, RequiredDocument, {"criteria_set"})
        if self.columns_missing:  # the rows cannot be read against each other: say what is missing first
            return Parts([], [], None, None)
        groups, placed = self._groups(criteria, named)
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
        self.errors.sort(key=lambda e: (SHEETS.index(e.sheet), e.row or 0))
        return Parts(
            groups=groups,
            criteria=placed,
            bands=None if bands is None else [row.instance for row in bands],
            documents=None if documents is None else [row.instance for row in documents],
        )

    def _groups(self, criteria: list[Row], named: list[Row] | None) -> tuple[list[CriteriaGroup], list[Criterion]]:
        """The groups in order (the "groups" sheet's, or as they first appear), each with its maximum
        (the same on each of its rows), and the criteria placed in their group, group by group; a
        group's criteria must add up to its maximum."""
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
        placed = []
        for code, group in groups.items():
            for row in members.get(code, []):
                row.instance.group = group
                placed.append(row.instance)
        return list(groups.values()), placed

    def _check_bands(self, bands: list[Row]) -> None:
        ordered = sorted(
            (row for row in bands if not row.errors and row.instance.stars >= 1), key=lambda r: r.instance.stars
        )
        for lower, higher in itertools.pairwise(ordered):
            if lower.instance.min_points >= higher.instance.min_points:
                higher.errors.setdefault("min_points", []).append(_("More stars must need more points."))
