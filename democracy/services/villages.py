"""A commune's villages and residential groups: typed one by one, imported from a spreadsheet, merged.

Imports are all or nothing: every row is checked first, and a file with any error changes nothing and
says which rows to correct. A village is found again by its code, or else by its kind and name, so
sending the same file twice updates the villages instead of adding them again. The spreadsheet reader
here is shared with the households' import.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communes.models import Commune, Village, VillageKind
from communes.models.villages import KIND_WORDS
from communes.services.statistics import RowError, normalise_header
from core.spreadsheets import SpreadsheetRefused, upload_bytes, xlsx_rows
from core.text import fold
from core.uploads import TOO_LARGE
from democracy.models import Decision, DecisionStatus
from democracy.services.errors import DemocracyError

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10  # a title block above the header row is common in officers' workbooks
MAX_HOUSEHOLDS = 100_000  # larger than any village; catches a pasted phone number

NOT_AN_XLSX = gettext_lazy("This file is not an Excel workbook (.xlsx). Please send an .xlsx file.")
UNREADABLE = gettext_lazy("This workbook could not be read. Save it again as .xlsx and send it again.")
NO_ROWS = gettext_lazy("The file has no rows under the header row.")
TOO_MANY_ROWS = gettext_lazy("The file has more than %(max)d rows. Please split it into smaller files.")
MISSING_COLUMNS = gettext_lazy("Nothing was imported: the file lacks some columns.")
COLUMN_MISSING = gettext_lazy("This column is missing. Download the template to see the expected columns.")
REQUIRED = gettext_lazy("This cell is empty; it is required.")
TOO_LONG = gettext_lazy("This text is longer than %(max)d characters.")


class ImportRefused(DemocracyError):
    """A file with errors: ``errors`` lists each (row, column, message); nothing was saved."""

    def __init__(self, message: str, errors: list[RowError] | None = None):
        super().__init__(message)
        self.errors = errors or []


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    max_length: int = 150


def nothing_imported(count: int) -> str:
    return ngettext(
        "Nothing was imported: the file has %(count)d error. Correct it and send the file again.",
        "Nothing was imported: the file has %(count)d errors. Correct them and send the file again.",
        count,
    ) % {"count": count}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in a text column ("12") reaches us as 12.0
    return " ".join(str(value).split())


def read_sheet(file, columns: list[Column]) -> list[tuple[int, dict[str, str]]]:
    """The rows of an .xlsx file under its header row: (sheet row number, {column key: text}).
    Headers are matched by key, label or alias, in any order and case; empty rows are skipped."""
    try:
        rows = xlsx_rows(upload_bytes(file))
    except SpreadsheetRefused as refused:
        message = {refused.TOO_LARGE: TOO_LARGE, refused.NOT_XLSX: NOT_AN_XLSX}.get(refused.reason, UNREADABLE)
        raise ImportRefused(str(message)) from refused
    names = {}
    for column in columns:
        for alias in (column.key, str(column.label), *column.aliases):
            names[fold(normalise_header(alias))] = column.key

    def header_of(row):
        return [names.get(fold(normalise_header(value))) for value in row]

    wanted = {column.key for column in columns if column.required}
    header_index = next(
        (index for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if wanted <= set(header_of(row))), None
    )
    if header_index is None:
        found = set(header_of(rows[0])) if rows else set()
        missing = [column for column in columns if column.required and column.key not in found]
        raise ImportRefused(str(MISSING_COLUMNS), [RowError(1, c.key, str(COLUMN_MISSING)) for c in missing])
    headers = header_of(rows[header_index])
    body = []
    for index, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {key: _text(value) for key, value in zip(headers, row, strict=False) if key}
        if any(values.values()):
            body.append((index, values))
    if not body:
        raise ImportRefused(str(NO_ROWS))
    if len(body) > MAX_ROWS:
        raise ImportRefused(str(TOO_MANY_ROWS) % {"max": MAX_ROWS})
    return body


def check_texts(number: int, values: dict[str, str], columns: list[Column]) -> list[RowError]:
    errors = []
    for column in columns:
        value = values.get(column.key, "")
        if column.required and not value:
            errors.append(RowError(number, column.key, str(REQUIRED)))
        elif len(value) > column.max_length:
            errors.append(RowError(number, column.key, str(TOO_LONG) % {"max": column.max_length}))
    return errors


# --- Typed one by one --------------------------------------------------------------------------------


def _name_taken(commune: Commune, kind: str, name: str, exclude_pk: int | None) -> bool:
    same = Village.objects.current().filter(commune=commune, kind=kind, name__iexact=name)
    return same.exclude(pk=exclude_pk).exists() if exclude_pk else same.exists()


def village_save(*, village: Village, by) -> Village:
    """Create or update a village from a filled (unsaved) instance whose ``commune`` is set."""
    village.name = " ".join(village.name.split())
    if not village.name:
        raise DemocracyError(_("Enter the village's name."), "name")
    if village.is_current and _name_taken(village.commune, village.kind, village.name, village.pk):
        raise DemocracyError(_("This commune already has a village of this kind and name."), "name")
    if village.code and (
        Village.objects.current()
        .filter(commune=village.commune, code__iexact=village.code)
        .exclude(pk=village.pk)
        .exists()
    ):
        raise DemocracyError(_("Another village of this commune has this code."), "code")
    if village.valid_from and village.valid_until and village.valid_from > village.valid_until:
        raise DemocracyError(_("A village cannot end before it begins."), "valid_until")
    village._history_user = by
    try:
        with transaction.atomic():
            village.save()
    except IntegrityError as error:  # two officers typing the same village at once
        raise DemocracyError(_("This commune already has a village of this kind and name."), "name") from error
    return village


def village_set_households(*, village: Village, count: int, by) -> Village:
    """The commune's count of households, set from the village's list."""
    village.households = count
    village._history_user = by
    village.save(update_fields=["households"])
    return village


# --- Import ------------------------------------------------------------------------------------------

VILLAGE_COLUMNS = [
    Column("kind", gettext_lazy("kind"), ("loại", "loai", "kind of village")),
    Column("name", gettext_lazy("name"), ("tên", "ten", "tên thôn", "village"), required=True, max_length=100),
    Column("code", gettext_lazy("code"), ("mã", "ma", "mã thôn"), max_length=20),
    Column("households", gettext_lazy("households"), ("số hộ", "so ho", "hộ")),
    Column("head", gettext_lazy("head"), ("trưởng thôn", "tổ trưởng", "head_name")),
    Column(
        "front_head",
        gettext_lazy("Front head"),
        ("trưởng ban công tác mặt trận", "front head", "front_head_name", "mặt trận"),
    ),
]
BAD_KIND = gettext_lazy("Unknown kind: write thôn, bản, ấp, tổ dân phố or khu phố.")
BAD_COUNT = gettext_lazy("Write the number of households as a whole number, such as 120.")
DUPLICATE_ROW = gettext_lazy("Row %(row)d already names this village.")


def _kind_of(text: str) -> str | None:
    if not text:
        return VillageKind.THON
    folded = fold(text).replace("_", " ")
    for kind in VillageKind:
        if folded in {fold(KIND_WORDS[kind]), fold(kind.value).replace("_", " "), fold(str(kind.label))}:
            return kind.value
    return None


def _count(text: str) -> int | None:
    cleaned = text.replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned:
        return 0
    if not cleaned.isdigit() or int(cleaned) > MAX_HOUSEHOLDS:
        return None
    return int(cleaned)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int

    @property
    def summary(self) -> str:
        return _("Imported: %(created)d added, %(updated)d updated.") % {
            "created": self.created,
            "updated": self.updated,
        }


def villages_import(*, commune: Commune, file, by) -> ImportReport:
    """Import a commune's villages from .xlsx: all rows or none; a row already known is updated."""
    rows = read_sheet(file, VILLAGE_COLUMNS)
    current = list(Village.objects.current().filter(commune=commune))
    by_code = {village.code.casefold(): village for village in current if village.code}
    by_name = {(village.kind, village.name.casefold()): village for village in current}
    errors, plans, seen = [], [], {}
    for number, values in rows:
        row_errors = check_texts(number, values, VILLAGE_COLUMNS)
        kind = _kind_of(values.get("kind", ""))
        if kind is None:
            row_errors.append(RowError(number, "kind", str(BAD_KIND)))
        households = _count(values.get("households", ""))
        if households is None:
            row_errors.append(RowError(number, "households", str(BAD_COUNT)))
        errors += row_errors
        if row_errors:
            continue
        name, code = values["name"], values.get("code", "")
        key = ("code", code.casefold()) if code else ("name", kind, name.casefold())
        if key in seen:
            errors.append(RowError(number, "code" if code else "name", str(DUPLICATE_ROW) % {"row": seen[key]}))
            continue
        seen[key] = number
        village = by_code.get(code.casefold()) if code else None
        village = village or by_name.get((kind, name.casefold()))
        plans.append((number, village, kind, name, code, households, values))
    if errors:
        raise ImportRefused(nothing_imported(len(errors)), errors)
    created = updated = 0
    with transaction.atomic():
        for number, found, kind, name, code, households, values in plans:
            village = found or Village(commune=commune)
            village.kind, village.name = kind, name
            village.code = code or village.code
            village.households = households if values.get("households") else village.households
            village.head_name = values.get("head") or village.head_name
            village.front_head_name = values.get("front_head") or village.front_head_name
            try:
                village_save(village=village, by=by)
            except DemocracyError as error:
                # Raising inside the block rolls back the rows already saved: the whole file is refused.
                column = {"name": "name", "code": "code"}.get(error.field or "", "")
                raise ImportRefused(nothing_imported(1), [RowError(number, column, error.message)]) from error
            created, updated = (created, updated + 1) if found else (created + 1, updated)
    return ImportReport(created=created, updated=updated)


def villages_template_rows() -> list[list]:
    return [
        [str(column.label) for column in VILLAGE_COLUMNS],
        ["thôn", "Đông Hương", "DH", 215, "Nguyễn Văn An", "Trần Thị Bình"],
        ["tổ dân phố", "số 3", "", 180, "Lê Văn Cường", ""],
    ]


# --- Ending and merging --------------------------------------------------------------------------------


def _check_can_end(villages: list[Village], on: datetime.date) -> None:
    for village in villages:
        if not village.is_current:
            raise DemocracyError(_("%(village)s has already ended.") % {"village": village}, "villages")
        if village.valid_from and on < village.valid_from:
            raise DemocracyError(
                _("%(village)s began after that day.") % {"village": village},
                "on",
            )
    running = (
        Decision.objects.filter(village__in=villages)
        .exclude(status=DecisionStatus.SENT)
        .select_related("village")
        .first()
    )
    if running is not None:
        raise DemocracyError(
            _("%(village)s is still deciding a matter; send its result to the commune first.")
            % {"village": running.village},
            "villages",
        )


def village_end(*, village: Village, on: datetime.date, by) -> Village:
    """A village that ceased to exist with no successor (dissolved)."""
    with transaction.atomic():
        village = Village.objects.select_for_update().get(pk=village.pk)
        _check_can_end([village], on)
        village.valid_until = on
        village._history_user = by
        village.save(update_fields=["valid_until"])
    return village


def village_merge(
    *,
    villages: list[Village],
    into: Village,
    on: datetime.date,
    by,
    new_kind: str | None = None,
    new_name: str | None = None,
) -> Village:
    """``villages`` end on ``on`` and ``into`` takes them over: their households join its count. When
    the merged village takes a new name, the name it bore until ``on`` is kept among its former names."""
    if not villages:
        raise DemocracyError(_("Choose the villages that merge."), "villages")
    if any(village.pk == into.pk for village in villages):
        raise DemocracyError(_("A village cannot merge into itself."), "into")
    if any(village.commune_id != into.commune_id for village in villages):
        raise DemocracyError(_("Villages merge only within one commune."), "into")
    if not into.is_current:
        raise DemocracyError(_("Choose a village still in force to take them over."), "into")
    with transaction.atomic():
        locked = list(Village.objects.select_for_update().filter(pk__in=[v.pk for v in villages]).order_by("pk"))
        into = Village.objects.select_for_update().get(pk=into.pk)
        _check_can_end(locked, on)
        for village in locked:
            village.valid_until = on
            village._history_user = by
            village.save(update_fields=["valid_until"])
            village.successors.add(into)
        new_name = " ".join((new_name or "").split())
        new_kind = new_kind or into.kind
        if new_name and (new_kind, new_name) != (into.kind, into.name):
            if _name_taken(into.commune, new_kind, new_name, into.pk):
                raise DemocracyError(_("This commune already has a village of this kind and name."), "new_name")
            into.former_names = [
                *into.former_names,
                {"kind": into.kind, "name": into.name, "valid_until": on.isoformat()},
            ]
            into.kind, into.name = new_kind, new_name
        into.households += sum(village.households for village in locked)
        into._history_user = by
        into.save()
    return into


def merge_candidates(village: Village):
    """The villages of the same commune, still in force, that ``village`` can merge into."""
    return Village.objects.current().filter(commune_id=village.commune_id).exclude(Q(pk=village.pk))
