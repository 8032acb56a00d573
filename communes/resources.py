"""django-import-export resources: how a spreadsheet row maps to a model row.

The statistics import uses one; ``communes.services.statistics_import`` reads the file, runs the
resource and turns its errors into (row, column, message) for the officer. Its templates (CSV and
.xlsx) are made here. The admin's import/export of the catalogue, disclosures and statistics uses the
``*AdminResource`` classes at the end.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import tablib
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from openpyxl.utils.datetime import from_excel

from communes.forms.catalogue import PROCEDURE_FIELDS
from communes.models import (
    FIGURES,
    Commune,
    CommuneProcedure,
    Disclosure,
    DossierStatistics,
    Procedure,
    Province,
)
from communes.services.statistics import (
    BAD_MONTH,
    COLUMNS,
    COMMUNE_COLUMN,
    DUPLICATE_MONTH,
    MONTH_COLUMN,
    NOT_A_WHOLE_NUMBER,
    UNKNOWN_COMMUNE,
    column_label,
    commune_exists_in,
    figure_problem,
    figures_problems,
    header_aliases,
    last_complete_month,
    month_problem,
    normalise_header,
)
from core.clock import month_start
from core.spreadsheets import LabelledModelResource, Sheet, cell_value

_CODE = re.compile(r"\d{1,5}", re.ASCII)
_INTEGER = re.compile(r"-?\d+", re.ASCII)
_GROUPED = re.compile(r"-?\d{1,3}([.,])\d{3}(?:\1\d{3})*", re.ASCII)  # 1.250 or 1,250: thousands
_WHOLE_DECIMAL = re.compile(r"(-?\d+)[.,]0+", re.ASCII)  # 12.0 from a CSV written by a program
_YEAR_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ tT].*)?", re.ASCII)
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.ASCII)  # Vietnamese order
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.0+)?", re.ASCII)
# Excel's day numbers for 1954–2119: a plain number in this range in a month column is a date cell
# whose format was lost.
EXCEL_SERIALS = range(20_000, 80_000)


def normalise_code(value) -> str | None:
    """07792, '07792', ' 7792 ' or 7792.0 (Excel drops the leading zero) → '07792'; None if no code."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    text = str(value).strip().removesuffix(".0") if value is not None else ""
    return text.zfill(5) if _CODE.fullmatch(text) else None


def _month(year: str, month: str, day: str = "1") -> datetime.date:
    if not 2000 <= int(year) <= 2100:
        raise ValueError(BAD_MONTH)
    return month_start(datetime.date(int(year), int(month), int(day)))  # ValueError for month 13


def parse_cell_month(value) -> datetime.date:
    """The month a cell names, as its first day: a date cell, an Excel day number, '2025-03',
    '2025-03-15', '3/2025', 'tháng 3/2025' or '15/03/2025'. ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return month_start(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in EXCEL_SERIALS:
            return month_start(from_excel(int(value)).date())
        raise ValueError(BAD_MONTH)
    text = str(value or "").strip().lower().removeprefix("tháng").strip()
    try:
        if match := _YEAR_MONTH.fullmatch(text):
            return _month(*match.groups())
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = match.groups()
            return _month(year, month, day)
        if match := _MONTH_YEAR.fullmatch(text):
            month, year = match.groups()
            return _month(year, month)
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = match.groups()
            return _month(year, month, day)
        if _EXCEL_SERIAL.fullmatch(text):
            return parse_cell_month(int(float(text)))
    except ValueError:
        pass
    raise ValueError(BAD_MONTH)


def parse_count(value) -> int:
    """A cell as a number of dossiers; ValueError with the officer's message otherwise."""
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "")
        if not text:
            value = None
        elif _INTEGER.fullmatch(text):
            value = int(text)
        elif _GROUPED.fullmatch(text):
            value = int(re.sub(r"[.,]", "", text))
        elif match := _WHOLE_DECIMAL.fullmatch(text):
            value = int(match.group(1))
        else:
            raise ValueError(NOT_A_WHOLE_NUMBER)
    elif (isinstance(value, Decimal) and value == value.to_integral_value()) or (
        isinstance(value, float) and value.is_integer()
    ):
        value = int(value)
    problem = figure_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class CommuneCodeWidget(widgets.ForeignKeyWidget):
    """A commune by its official code, among ``candidates`` (the communes the importer manages, by
    code). The 2025 reform reused codes, so one code may name a pre-2025 and a current unit; the row's
    month tells which one was in force."""

    def __init__(self, **kwargs):
        super().__init__(Commune, field="code", **kwargs)
        self.candidates: dict[str, list[Commune]] = {}

    def clean(self, value, row=None, **kwargs) -> Commune:
        found = self.candidates.get(normalise_code(value) or "", [])
        if not found:
            raise ValueError(UNKNOWN_COMMUNE)
        if len(found) == 1:
            return found[0]
        try:
            month = parse_cell_month((row or {}).get(MONTH_COLUMN))
        except ValueError:
            month = None
        in_force = [commune for commune in found if month and commune_exists_in(commune, month)]
        # Without a usable month the month's own error is reported; any candidate will do meanwhile.
        return (in_force or sorted(found, key=lambda commune: commune.valid_until is not None))[0]

    def render(self, value, obj=None, **kwargs) -> str:
        return value.code if value else ""


class MonthWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> datetime.date:
        return parse_cell_month(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return value.strftime("%Y-%m") if value else ""


class CountWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs) -> int:
        return parse_count(value)

    def render(self, value, obj=None, **kwargs) -> str:
        # Plain digits: a thousands separator in the officer's language would not read back everywhere.
        return str(value) if value is not None else ""


class DossierStatisticsResource(resources.ModelResource):
    """One row per commune and month: commune_code, month, then the figures in ``FIGURES`` order.

    Every column of a row is checked and all its errors are raised together, keyed by model field;
    rows repeating a (commune, month) of an earlier row of the same file are refused."""

    commune = fields.Field(attribute="commune", column_name=COMMUNE_COLUMN, widget=CommuneCodeWidget())
    month = fields.Field(attribute="month", column_name=MONTH_COLUMN, widget=MonthWidget())

    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "PositiveIntegerField": CountWidget}

    class Meta:
        model = DossierStatistics
        fields = ("commune", "month", *FIGURES)
        import_id_fields = ("commune", "month")
        # A month imported again with the same figures is left alone: no write, no history entry.
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, commune_scope: QuerySet[Commune] | None = None, by=None, row_numbers=None, **kwargs):
        super().__init__(**kwargs)
        self.commune_scope = commune_scope if commune_scope is not None else Commune.objects.none()
        self.by = by
        self.row_numbers = row_numbers
        self._seen: dict[tuple[int, datetime.date], int] = {}

    def sheet_row(self, number: int) -> int:
        """The spreadsheet row of the dataset's ``number``-th row (1-based): header is row 1."""
        return self.row_numbers[number - 1] if self.row_numbers else number + 1

    def column_of(self, attribute: str) -> str:
        for field in self.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return attribute

    def before_import(self, dataset, **kwargs):
        codes = {normalise_code(value) for value in dataset[COMMUNE_COLUMN]} - {None}
        candidates: dict[str, list[Commune]] = {}
        for commune in self.commune_scope.filter(code__in=codes):
            candidates.setdefault(commune.code, []).append(commune)
        self.fields["commune"].widget.candidates = candidates
        self._seen = {}

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # a bad code or month: import_instance reports it with the other columns

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors.setdefault(field.attribute, []).append(str(error))
        parsed = {name: getattr(instance, name) for name in FIGURES if name not in errors}
        for name, message in figures_problems(parsed):
            errors.setdefault(name, []).append(message)
        if "commune" not in errors and "month" not in errors:
            problem = month_problem(commune=instance.commune, month=instance.month)
            key = (instance.commune.pk, instance.month)
            if problem:
                errors.setdefault("month", []).append(problem)
            elif key in self._seen:
                errors.setdefault("month", []).append(str(DUPLICATE_MONTH % {"row": self._seen[key]}))
            else:
                self._seen[key] = self.sheet_row(kwargs["row_number"])
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.by  # the change is the importer's in the history

    @property
    def months(self) -> list[tuple[int, datetime.date]]:
        """(commune id, month) of every valid row, in the file's order."""
        return list(self._seen)


def statistics_template_csv(*, commune: Commune) -> str:
    """A CSV to fill in: the header row and a row for the commune's last complete month, figures empty
    so that a template sent back untouched is refused rather than read as a month of zeros."""
    dataset = tablib.Dataset(headers=DossierStatisticsResource().get_export_headers())
    dataset.append([commune.code, last_complete_month(commune=commune).strftime("%Y-%m"), *[""] * len(FIGURES)])
    return dataset.csv


# An example month that follows every rule (received 120 ≥ 30 + 80 + 5 resolved; 5 late, all with an
# apology letter; 20 within the day; 60 online of 120), for the notes sheet only: the sheet to fill
# carries no figures, so a template sent back untouched is refused, never read as a month.
EXAMPLE_FIGURES = dict(zip(FIGURES, [120, 30, 80, 5, 5, 20, 60, 40, 100, 5], strict=True))


def statistics_template_sheets(*, commune: Commune) -> list[Sheet]:
    """The .xlsx to fill in: the columns under the names the import page shows, a row for the commune's
    last complete month with the figures empty, then a notes sheet (what each column takes, the rules
    a month's figures follow, a filled example)."""
    month = last_complete_month(commune=commune).strftime("%Y-%m")
    labels = [column_label(column) for column in COLUMNS]
    to_fill = [labels, [cell_value(commune.code), month, *[""] * len(FIGURES)]]
    explain = {
        COMMUNE_COLUMN: _("The 5-digit official code of the unit, as text so that the leading 0 stays (%(code)s here).")
        % {"code": commune.code},
        MONTH_COLUMN: _("The month, as YYYY-MM (%(month)s), as m/YYYY or as a date. One row per month.")
        % {"month": month},
    }
    notes = [[_("Column"), _("What to write")]]
    for column, label in zip(COLUMNS, labels, strict=True):
        text = explain.get(column, _("A whole number of dossiers, 0 when there were none."))
        notes.append([label, _("%(text)s Its short name is also accepted: %(name)s.") % {"text": text, "name": column}])
    notes += [
        [],
        [_("Rules"), _("Dossiers resolved early, on time and late together cannot be more than those received.")],
        ["", _("Dossiers resolved within the day cannot be more than those resolved.")],
        ["", _("Dossiers submitted online cannot be more than those received.")],
        ["", _("Apology letters cannot be more than the dossiers resolved late.")],
        [
            "",
            _(
                "Every row is checked before anything is kept: if one row has an error, nothing is imported "
                "and every error is listed with its row and column. A month already entered is replaced; "
                "the history keeps the earlier figures."
            ),
        ],
        [],
        [_("Example"), _("A month filled in correctly (fill in the first sheet, not this one):")],
        labels,
        [commune.code, month, *EXAMPLE_FIGURES.values()],
    ]
    return [
        Sheet(_("Statistics"), to_fill, widths=[12, 10, *[16] * len(FIGURES)]),
        Sheet(_("Notes"), [[cell_value(value) for value in row] for row in notes], widths=[28, 90]),
    ]


# The notes sheet wraps its text: it is read, not sorted.
TEMPLATE_WRAPPED = {1}


# --- The admin's import and export --------------------------------------------------------------------


class UnitCodeWidget(widgets.ForeignKeyWidget):
    """A unit by its official code (Excel drops the leading 0: 7792 is 07792); the 2025 reform reused
    codes, so the unit in force is preferred."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="code", **kwargs)
        self.width = 2 if model is Province else 5

    def clean(self, value, row=None, **kwargs):
        code = str(value).strip().removesuffix(".0") if value not in (None, "") else ""
        if not code:
            return None
        found = self.get_queryset(value, row, **kwargs).filter(code=code.zfill(self.width))
        unit = found.order_by(F("valid_until").desc(nulls_first=True), "-pk").first()
        if unit is None:
            raise ValueError(_("No unit has the code %(code)s.") % {"code": code})
        return unit

    def render(self, value, obj=None, **kwargs) -> str:
        return value.code if value else ""


def unit_field(attribute: str, model, label) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=label, widget=UnitCodeWidget(model))


class LinesWidget(widgets.Widget):
    """A list of sentences as one cell, a line each (Alt+Enter in Excel)."""

    def clean(self, value, row=None, **kwargs) -> list[str]:
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    def render(self, value, obj=None, **kwargs) -> str:
        return "\n".join(str(item) for item in value or [])


class ProcedureAdminResource(LabelledModelResource):
    """The province's catalogue of procedures, a row per procedure, keyed by province and national code."""

    province = unit_field("province", Province, gettext_lazy("Province code"))
    steps = fields.Field(
        attribute="steps", column_name=capfirst(Procedure._meta.get_field("steps").verbose_name), widget=LinesWidget()
    )
    documents = fields.Field(
        attribute="documents",
        column_name=capfirst(Procedure._meta.get_field("documents").verbose_name),
        widget=LinesWidget(),
    )

    class Meta:
        model = Procedure
        # The fields a province's officer writes in the catalogue form, keyed by the province.
        fields = ("province", *PROCEDURE_FIELDS)
        export_order = fields
        import_id_fields = ("province", "code")
        clean_model_instances = True
        skip_unchanged = True


class ProcedureOfCommuneWidget(widgets.ForeignKeyWidget):
    """A procedure by its national code, in the catalogue of the row's commune's province."""

    def __init__(self, **kwargs):
        super().__init__(Procedure, field="code", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        code = normalise_code((row or {}).get(str(gettext_lazy("Commune code"))))
        return Procedure.objects.filter(province__communes__code=code).distinct()

    def render(self, value, obj=None, **kwargs) -> str:
        return value.code if value else ""


class CommuneProcedureAdminResource(LabelledModelResource):
    """Which procedures each commune handles, with its notes: commune code, national code, notes."""

    commune = unit_field("commune", Commune, gettext_lazy("Commune code"))
    procedure = fields.Field(
        attribute="procedure", column_name=gettext_lazy("National code"), widget=ProcedureOfCommuneWidget()
    )

    class Meta:
        model = CommuneProcedure
        fields = ("commune", "procedure", "local_notes")
        import_id_fields = ("commune", "procedure")
        clean_model_instances = True
        skip_unchanged = True


class DisclosureAdminResource(LabelledModelResource):
    """What was made public, when, and until when: the metadata (the documents stay in the portal)."""

    commune = unit_field("commune", Commune, gettext_lazy("Commune code"))
    commune_name = fields.Field(attribute="commune__name", column_name=gettext_lazy("Commune"), readonly=True)

    class Meta:
        model = Disclosure
        fields = ("commune", "commune_name", "title", "category", "decision_date", "published_on", "posted_until")
        export_order = fields


class DossierStatisticsAdminResource(DossierStatisticsResource):
    """The statistics import's resource (its rules, its history entry) with the columns named as the
    statistics pages name them; a file whose columns carry the short names imports too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("commune_scope", Commune.objects.all())
        super().__init__(**kwargs)

    def get_export_headers(self, selected_fields=None):
        return [str(column_label(field.column_name)) for field in self.get_export_fields(selected_fields)]

    def before_import(self, dataset, **kwargs):
        aliases = header_aliases()
        dataset.headers = [aliases.get(normalise_header(name), name) for name in dataset.headers]
        super().before_import(dataset, **kwargs)
