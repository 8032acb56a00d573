"""Residents oversee what they decided (Law 10/2022/QH15, art. 30–31, 38): the commune and the village
head record, in public, each step of carrying a recognised matter out; residents report what they saw
to the commune's People's Inspection Board; the board checks and closes their reports; the commune
Fatherland Front committee files its supervision notes.

Every function checks its rule inside its transaction, on locked rows, and raises DemocracyError with a
message for the person who asked; nothing is written then. Each row keeps its history (simple_history),
so a corrected step still shows what was first recorded.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Commune
from core import clock
from democracy.models import (
    Board,
    BoardKind,
    Consultation,
    Execution,
    ExecutionKind,
    Matter,
    MatterStatus,
    Recommendation,
    Report,
    ReportStatus,
    SupervisionNote,
)
from democracy.models.oversight import MONEY_KINDS
from democracy.selectors.execution import board_in_office, inspection_board_in_office
from democracy.services.errors import DemocracyError

REPORT_MIN_LENGTH = 10
REPORT_MAX_LENGTH = 5000

NOT_RECOGNISED = gettext_lazy(
    "Steps are recorded once the commune has recognised the residents' decision: this matter is not recognised."
)
AMOUNT_REQUIRED = gettext_lazy("Give the amount in đồng: money collected or spent is always recorded with it.")
AMOUNT_ONLY_FOR_MONEY = gettext_lazy("Only money collected or spent has an amount; leave it empty for this step.")
FUTURE_STEP = gettext_lazy("A step is recorded once it is done: its date cannot be in the future.")
STEP_BEFORE_RECOGNITION = gettext_lazy("A step cannot be dated before the commune recognised the decision, on %(day)s.")
DESCRIPTION_REQUIRED = gettext_lazy("Say what was done.")
NOT_THE_RECORDER = gettext_lazy("Only who recorded this step corrects it; record a new step instead.")
NO_BOARD = gettext_lazy(
    "The commune has no People's Inspection Board in office today to receive your report. Please send what "
    "you saw to the commune through its feedback page instead."
)
BOARD_NOT_IN_OFFICE = gettext_lazy(
    "This board's term is over: it no longer receives reports. Send yours to the board in office."
)
NOT_AN_INSPECTION_BOARD = gettext_lazy(
    "Residents' reports go to the People's Inspection Board; an investment supervision board reports to it."
)
REPORT_TOO_SHORT = gettext_lazy("Say what you saw, in at least %(n)d characters.")
REPORT_TOO_LONG = gettext_lazy("Your report is too long: at most %(n)d characters.")
STEP_OF_ANOTHER_MATTER = gettext_lazy("This step belongs to another matter.")
REPORT_CLOSED = gettext_lazy("This report is closed: the board has given its conclusion.")
CLOSING_NEEDS_NOTE = gettext_lazy("Write the board's conclusion before closing the report: its author reads it.")
NO_GOING_BACK = gettext_lazy("A report being checked does not go back to “received”.")
UNKNOWN_STATUS = gettext_lazy("Choose a status from the list.")
NOTE_TITLE_REQUIRED = gettext_lazy("Give the note a title.")
NOTE_TEXT_REQUIRED = gettext_lazy("Write what the Front committee found.")
OTHER_COMMUNE = gettext_lazy("%(what)s belongs to another commune: a note is about its own commune's work.")


def _lock(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


# --- Execution -----------------------------------------------------------------------------------------


def _check_step(*, matter: Matter, kind: str, on: datetime.date, amount: Decimal | None, description: str) -> None:
    if matter.status != MatterStatus.RECOGNISED:
        raise DemocracyError(str(NOT_RECOGNISED))
    if kind not in ExecutionKind.values:
        raise DemocracyError(_("Choose what kind of step this is."), "kind")
    if kind in MONEY_KINDS:
        if amount is None or amount <= 0:
            raise DemocracyError(str(AMOUNT_REQUIRED), "amount")
    elif amount is not None:
        raise DemocracyError(str(AMOUNT_ONLY_FOR_MONEY), "amount")
    if on > clock.today():
        raise DemocracyError(str(FUTURE_STEP), "on")
    if matter.recognised_on and on < matter.recognised_on:
        raise DemocracyError(
            str(STEP_BEFORE_RECOGNITION) % {"day": date_format(matter.recognised_on, "SHORT_DATE_FORMAT")}, "on"
        )
    if not description.strip():
        raise DemocracyError(str(DESCRIPTION_REQUIRED), "description")


@transaction.atomic
def execution_record(
    *,
    matter: Matter,
    kind: str,
    on: datetime.date,
    description: str,
    by,
    amount: Decimal | None = None,
    document=None,
) -> Execution:
    """One step of carrying a recognised matter out, public at once (art. 30(1))."""
    # The matter is locked so a step is never recorded on a result the commune is changing meanwhile.
    matter = _lock(Matter, matter.pk)
    _check_step(matter=matter, kind=kind, on=on, amount=amount, description=description)
    step = Execution(matter=matter, kind=kind, on=on, amount=amount, description=description.strip(), created_by=by)
    if document:
        step.document = document
    step._change_reason = "recorded"
    step.full_clean(exclude=["document"])
    step.save()
    return step


@transaction.atomic
def execution_correct(
    *,
    execution: Execution,
    kind: str,
    on: datetime.date,
    description: str,
    by,
    amount: Decimal | None = None,
    document=None,
) -> Execution:
    """Its recorder corrects a step; the first version stays in the step's history. A step is never
    deleted: residents may have reported on it."""
    step = _lock(Execution, execution.pk)
    if step.created_by_id != getattr(by, "pk", None):
        raise DemocracyError(str(NOT_THE_RECORDER))
    matter = Matter.objects.get(pk=step.matter_id)
    _check_step(matter=matter, kind=kind, on=on, amount=amount, description=description)
    step.kind, step.on, step.amount, step.description = kind, on, amount, description.strip()
    if document:
        step.document = document
    step._change_reason = "corrected"
    step.full_clean(exclude=["document"])
    step.save()
    return step


# --- Reports to the People's Inspection Board -------------------------------------------------------------


def _check_text(text: str) -> str:
    text = text.strip()
    if len(text) < REPORT_MIN_LENGTH:
        raise DemocracyError(str(REPORT_TOO_SHORT) % {"n": REPORT_MIN_LENGTH}, "text")
    if len(text) > REPORT_MAX_LENGTH:
        raise DemocracyError(str(REPORT_TOO_LONG) % {"n": REPORT_MAX_LENGTH}, "text")
    return text


@transaction.atomic
def report_submit(
    *,
    author,
    text: str,
    board: Board | None = None,
    matter: Matter | None = None,
    execution: Execution | None = None,
) -> Report:
    """A resident tells the board what they saw (art. 38(7)). On a matter (a discrepancy in how it is
    carried out, optionally on one step), the report goes to its commune's inspection board in office
    today; from a board's page, to that board, if it is in office."""
    text = _check_text(text)
    today = clock.today()
    if matter is not None:
        if execution is not None and execution.matter_id != matter.pk:
            raise DemocracyError(str(STEP_OF_ANOTHER_MATTER), "execution")
        if matter.status != MatterStatus.RECOGNISED:
            raise DemocracyError(str(NOT_RECOGNISED))
        board = inspection_board_in_office(commune=matter.commune, today=today)
        if board is None:
            raise DemocracyError(str(NO_BOARD))
    elif board is None:
        raise DemocracyError(str(NO_BOARD))
    else:
        if board.kind != BoardKind.INSPECTION:
            raise DemocracyError(str(NOT_AN_INSPECTION_BOARD))
        if not board_in_office(board, today):
            raise DemocracyError(str(BOARD_NOT_IN_OFFICE))
    report = Report(board=board, matter=matter, execution=execution, text=text, author=author)
    report._change_reason = "received"
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_update(*, report: Report, status: str, board_note: str, by) -> Report:
    """The board moves a report on (received → being checked → closed) and writes its note; a closed
    report is its conclusion and stays as it is."""
    report = _lock(Report, report.pk)
    if report.status == ReportStatus.CLOSED:
        raise DemocracyError(str(REPORT_CLOSED))
    if status not in ReportStatus.values:
        raise DemocracyError(str(UNKNOWN_STATUS), "status")
    if status == ReportStatus.RECEIVED and report.status != ReportStatus.RECEIVED:
        raise DemocracyError(str(NO_GOING_BACK), "status")
    note = board_note.strip()
    if status == ReportStatus.CLOSED and not note:
        raise DemocracyError(str(CLOSING_NEEDS_NOTE), "board_note")
    if (status, note) == (report.status, report.board_note):
        return report  # nothing changed: no history row for a second click
    report.status, report.board_note = status, note
    report._change_reason = status
    report.save(update_fields=["status", "board_note"])
    return report


# --- The Front committee's supervision notes -----------------------------------------------------------


@transaction.atomic
def supervision_note_file(
    *,
    commune: Commune,
    title: str,
    text: str,
    by,
    consultation: Consultation | None = None,
    matter: Matter | None = None,
    recommendation: Recommendation | None = None,
    document=None,
) -> SupervisionNote:
    """The commune Front committee files what it found when supervising (art. 5, 39), about its own
    commune's records only."""
    if not title.strip():
        raise DemocracyError(str(NOTE_TITLE_REQUIRED), "title")
    if not text.strip():
        raise DemocracyError(str(NOTE_TEXT_REQUIRED), "text")
    if consultation is not None and consultation.commune_id != commune.pk:
        raise DemocracyError(str(OTHER_COMMUNE) % {"what": _("The consultation")}, "consultation")
    if matter is not None and matter.commune_id != commune.pk:
        raise DemocracyError(str(OTHER_COMMUNE) % {"what": _("The matter")}, "matter")
    if recommendation is not None:
        board_commune = Board.objects.filter(pk=recommendation.board_id).values_list("commune_id", flat=True).first()
        if board_commune != commune.pk:
            raise DemocracyError(str(OTHER_COMMUNE) % {"what": _("The recommendation")}, "recommendation")
    note = SupervisionNote(
        commune=commune,
        title=title.strip(),
        text=text.strip(),
        consultation=consultation,
        matter=matter,
        recommendation=recommendation,
        created_by=by,
    )
    if document:
        note.document = document
    note._change_reason = "filed"
    note.save()
    return note
