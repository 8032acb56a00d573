"""Monthly dossier statistics: the rules a month's figures follow, and typed entry of one month (the
spreadsheet import, which follows the same rules, is communes.services.statistics_import).

An import is all or nothing: every row is checked, every error is reported with the row number and
column the officer sees in the spreadsheet, and one error keeps the whole file out. A month that is
imported again is replaced; django-simple-history keeps the figures it had.
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communes.models import FIGURES, Commune, DossierStatistics
from core import clock
from core.clock import month_end, month_start
from core.errors import ServiceError

logger = logging.getLogger(__name__)

# The columns of a statistics file, in the order the template carries them.
COMMUNE_COLUMN = "commune_code"
MONTH_COLUMN = "month"
COLUMNS = [COMMUNE_COLUMN, MONTH_COLUMN, *FIGURES]
MAX_ROWS = 5000  # a province of 210 communes over two years
# A title block above the header row is common in officers' workbooks; look this far for the header.
HEADER_SEARCH_ROWS = 10
# A 5 MB .xlsx may inflate to much more; refuse archives that would (zip bombs).
# Larger than any commune's month, small enough to catch a pasted phone number.
MAX_FIGURE = 1_000_000

# Messages officers see. Constants, so tests can compare with their translation.
NOT_A_SPREADSHEET = gettext_lazy(
    "This file is neither an Excel workbook (.xlsx) nor a CSV text file. Please send one of those."
)
NOT_UTF8 = gettext_lazy("This CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (comma delimited)”.")
UNREADABLE = gettext_lazy("This spreadsheet could not be read. Save it again as .xlsx or CSV UTF-8 and send it again.")
NO_ROWS = gettext_lazy("The file has no rows of figures under the header row.")
TOO_MANY_ROWS = gettext_lazy("The file has more than %(max)d rows. Please split it into smaller files.")
MISSING_COLUMNS = gettext_lazy("Nothing was imported: the file lacks some columns.")
COLUMN_MISSING = gettext_lazy("This column is missing. Download the template to see the expected columns.")
ROW_UNREADABLE = gettext_lazy("This row could not be read.")
EMPTY_FIGURE = gettext_lazy("This cell is empty. Enter 0 if there were none.")
NOT_A_WHOLE_NUMBER = gettext_lazy("Enter a whole number of dossiers, such as 12.")
NEGATIVE_FIGURE = gettext_lazy("A number of dossiers cannot be negative.")
IMPLAUSIBLE_FIGURE = gettext_lazy("This number is too large for one commune in one month.")
UNKNOWN_COMMUNE = gettext_lazy("No commune you manage has this code. Check the 5-digit official code.")
BAD_MONTH = gettext_lazy("Write the month as YYYY-MM (for example 2025-03), as m/YYYY (3/2025) or as a date.")
FUTURE_MONTH = gettext_lazy("This month has not begun yet.")
OUTSIDE_LIFE = gettext_lazy("%(commune)s did not exist in %(month)s.")
DUPLICATE_MONTH = gettext_lazy("Row %(row)d already has figures for this commune and month.")
RESOLVED_OVER_RECEIVED = gettext_lazy(
    "More dossiers resolved (early + on time + late = %(resolved)d) than received (%(received)d)."
)
APOLOGIES_OVER_LATE = gettext_lazy("More apology letters (%(apologies)d) than dossiers resolved late (%(late)d).")
SAME_DAY_OVER_RESOLVED = gettext_lazy(
    "More dossiers resolved within the day (%(same_day)d) than resolved in all (%(resolved)d)."
)
ONLINE_OVER_RECEIVED = gettext_lazy("More dossiers submitted online (%(online)d) than received (%(received)d).")
NOT_SAVED = gettext_lazy("The figures were not saved. Please correct the errors below.")


@dataclass(frozen=True)
class RowError:
    """One problem in an import (or a typed entry, where ``row`` is None): where, and what."""

    row: int | None
    column: str
    message: str


class StatisticsError(ServiceError):
    """Figures that cannot be saved; the message and every error in ``errors`` are translated."""

    def __init__(self, message, errors: list[RowError] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or []


@dataclass(frozen=True)
class ImportReport:
    created: int = 0
    updated: int = 0  # months that existed, whether or not a figure changed
    unchanged: int = 0  # of ``updated``, those whose figures were the same (nothing written)
    months: list[tuple[int, datetime.date]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        updated = ngettext("%(count)d month updated", "%(count)d months updated", self.updated) % {
            "count": self.updated
        }
        created = ngettext("%(count)d created", "%(count)d created", self.created) % {"count": self.created}
        return _("%(updated)s, %(created)s.") % {"updated": updated, "created": created}


# --- Rules shared by the import and typed entry ------------------------------------------------------


def last_complete_month(*, commune: Commune | None = None) -> datetime.date:
    """The last month that has ended; for a unit that has ended, no later than its last month."""
    last = month_start(month_start(clock.today()) - datetime.timedelta(days=1))
    if commune is not None and commune.valid_until:
        last = min(last, month_start(commune.valid_until))
    return last


def column_label(column: str) -> str:
    """A file column's name in the reader's language, to show beside the column's own name."""
    if column == COMMUNE_COLUMN:
        return _("Commune code")
    if column == MONTH_COLUMN or column in FIGURES:
        return capfirst(DossierStatistics._meta.get_field(column).verbose_name)
    return ""


def normalise_header(value) -> str:
    """A header cell as compared: lower case, spaces as "_"; NFC, since a name typed on a Mac may reach
    us with its accents as separate characters."""
    return "_".join(unicodedata.normalize("NFC", str(value)).lower().split()) if value is not None else ""


def header_aliases() -> dict[str, str]:
    """Each name a column may carry in a header row, normalised, to the column: its own name
    (``resolved_early``) and its name as the page and the template show it, in each of the portal's
    languages (“Giải quyết trước hạn”, “Resolved early”)."""
    aliases = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            aliases.update({normalise_header(column_label(column)): column for column in COLUMNS})
    aliases.update({column: column for column in COLUMNS})
    return aliases


def month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def commune_exists_in(commune: Commune, month: datetime.date) -> bool:
    """Whether the unit was in force on at least one day of ``month``."""
    return not (
        (commune.valid_from and commune.valid_from > month_end(month))
        or (commune.valid_until and commune.valid_until < month)
    )


def month_problem(*, commune: Commune, month: datetime.date) -> str | None:
    """Why figures cannot be kept for ``commune`` in ``month``, or None: a month not yet begun, or one
    outside the unit's life (a commune merged away in 2025 has no figures after it ended)."""
    if month > month_start(clock.today()):
        return str(FUTURE_MONTH)
    if not commune_exists_in(commune, month):
        return str(OUTSIDE_LIFE % {"commune": commune, "month": month_label(month)})
    return None


def figure_problem(value) -> str | None:
    """Why ``value`` (already converted to a number where possible) is no count of dossiers, or None."""
    if value is None or value == "":
        return str(EMPTY_FIGURE)
    if isinstance(value, bool) or not isinstance(value, int):
        return str(NOT_A_WHOLE_NUMBER)
    if value < 0:
        return str(NEGATIVE_FIGURE)
    if value > MAX_FIGURE:
        return str(IMPLAUSIBLE_FIGURE)
    return None


def figures_problems(figures: dict[str, int]) -> list[tuple[str, str]]:
    """Figures that contradict each other, as (figure, message). Figures absent from ``figures`` (they
    had their own error) are not compared."""
    problems = []

    def known(*names):
        return all(isinstance(figures.get(name), int) for name in names)

    if known("received", "resolved_early", "resolved_on_time", "resolved_late"):
        resolved = figures["resolved_early"] + figures["resolved_on_time"] + figures["resolved_late"]
        if resolved > figures["received"]:
            problems.append(
                ("received", str(RESOLVED_OVER_RECEIVED % {"resolved": resolved, "received": figures["received"]}))
            )
        if known("resolved_same_day") and figures["resolved_same_day"] > resolved:
            problems.append(
                (
                    "resolved_same_day",
                    str(SAME_DAY_OVER_RESOLVED % {"same_day": figures["resolved_same_day"], "resolved": resolved}),
                )
            )
    if known("resolved_late", "late_with_apology") and figures["late_with_apology"] > figures["resolved_late"]:
        problems.append(
            (
                "late_with_apology",
                str(
                    APOLOGIES_OVER_LATE % {"apologies": figures["late_with_apology"], "late": figures["resolved_late"]}
                ),
            )
        )
    if known("received", "submitted_online") and figures["submitted_online"] > figures["received"]:
        problems.append(
            (
                "submitted_online",
                str(ONLINE_OVER_RECEIVED % {"online": figures["submitted_online"], "received": figures["received"]}),
            )
        )
    return problems


def parse_month(value: str | datetime.date) -> datetime.date:
    """'2025-03' or a date → the first day of that month; ValueError otherwise."""
    if isinstance(value, datetime.date):
        return month_start(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value, re.ASCII):
        try:
            return datetime.date(int(value[:4]), int(value[5:]), 1)
        except ValueError:
            pass  # month 13
    raise ValueError(str(BAD_MONTH))


# --- Typed entry -----------------------------------------------------------------------------------------


@transaction.atomic
def statistics_save(
    *, commune: Commune, month: str | datetime.date, figures: dict, by
) -> tuple[DossierStatistics, bool]:
    """Save one month's figures for ``commune``, replacing earlier ones (history keeps them); returns
    the row and whether it was created."""
    month = parse_month(month)
    problem = month_problem(commune=commune, month=month)
    if problem:
        raise StatisticsError(problem, [RowError(None, MONTH_COLUMN, problem)])
    errors = [
        RowError(None, name, problem) for name in FIGURES if (problem := figure_problem(figures.get(name))) is not None
    ]
    valid = {name: figures[name] for name in FIGURES if not any(e.column == name for e in errors)}
    errors += [RowError(None, name, message) for name, message in figures_problems(valid)]
    if errors:
        raise StatisticsError(NOT_SAVED, errors)

    stats = DossierStatistics.objects.select_for_update().filter(commune=commune, month=month).first()
    created = stats is None
    if created:
        stats = DossierStatistics(commune=commune, month=month)
    elif all(getattr(stats, name) == figures[name] for name in FIGURES):
        return stats, False  # nothing changed: no write, no history entry
    for name in FIGURES:
        setattr(stats, name, figures[name])
    stats._history_user = by
    stats.full_clean()
    stats.save()
    return stats, created
