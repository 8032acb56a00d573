"""Issuing a decision: the records office gives it the number of the body's register for the year and
its date. Numbers run per province per year ("N/QĐ-UBND", from 01 on 1 January) and are never given
twice: the register's row is locked while a number is taken, and the database's unique constraint
(province, year, number) refuses a duplicate that slipped past, after which the next number is tried."""

from __future__ import annotations

import datetime
import unicodedata

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import clock
from scoring.models import Decision, DecisionRegister
from scoring.models.decisions import NUMBER_PATTERN, NUMBER_SUFFIX
from scoring.services.common import ScoringError
from scoring.services.decisions.document import signer_title

BAD_NUMBER = _lazy("“%(number)s” is not a decision number: write it as the register does, for example 125/QĐ-UBND.")
NUMBER_TAKEN = _lazy("The province already has decision %(number)s in %(year)s.")
NO_DATE = _lazy("Give the date of the decision.")
DATE_IN_FUTURE = _lazy("The decision's date cannot be later than today.")
DATE_TOO_EARLY = _lazy("A decision on the results of %(year)s is dated %(year)s or later.")
ALREADY_APPROVED = _lazy("An approved decision keeps its number and date.")
RETRIES = 5


def number_format(sequence: int) -> str:
    """``5`` → "05/QĐ-UBND": numbers below 10 with a leading zero, as the register starts from 01."""
    return f"{sequence:02d}{NUMBER_SUFFIX}"


def number_parse(text: str) -> tuple[int, str]:
    """The register number of "125/QĐ-UBND" and the number as the document prints it (spaces and the
    case of "qđ-ubnd" forgiven, the digits as the e-office wrote them); ScoringError for anything else."""
    cleaned = unicodedata.normalize("NFC", "".join((text or "").split())).upper()
    match = NUMBER_PATTERN.match(cleaned)
    if not match or int(match.group(1)) == 0:
        raise ScoringError(BAD_NUMBER % {"number": (text or "").strip()})
    return int(match.group(1)), cleaned


def _check_date(decision: Decision, signed_on: datetime.date | None) -> None:
    if signed_on is None:
        raise ScoringError(str(NO_DATE))
    if signed_on > clock.today():
        raise ScoringError(str(DATE_IN_FUTURE))
    if signed_on.year < decision.year:
        raise ScoringError(DATE_TOO_EARLY % {"year": decision.year})


def _highest(province, year: int) -> int:
    return Decision.objects.filter(province=province, register_year=year).aggregate(top=Max("register_seq"))["top"] or 0


def _take(decision: Decision, sequence: int, text: str, signed_on: datetime.date, by) -> None:
    decision.number, decision.signed_on = text, signed_on
    decision.register_year, decision.register_seq = signed_on.year, sequence
    decision.signer_title = signer_title(decision.signer_role, decision.province, signed_on)
    decision.status, decision.issued_by, decision.issued_at = Decision.Status.ISSUED, by, timezone.now()
    decision.save()


def decision_issue(*, decision: Decision, signed_on: datetime.date | None, by, number: str | None = None) -> Decision:
    """Number and date the decision: ``number`` as the e-office gave it, or (None) the next number of
    the province's register for the year of ``signed_on``. An issued decision not yet approved may be
    issued again to correct its number or date; the register does not give a number back."""
    after = 0
    for _attempt in range(RETRIES):
        try:
            return _issue_once(decision=decision, signed_on=signed_on, by=by, number=number, after=after)
        except _Taken as taken:
            # Another issue took the number between our look and our write: take the one after it. A
            # number typed from the e-office is checked first, so it only lands here in that same race.
            if number is not None:
                message = NUMBER_TAKEN % {"number": number_format(taken.sequence), "year": signed_on.year}
                raise ScoringError(message) from None
            after = taken.sequence
    raise ScoringError(_("The register is busy: please issue the decision again."))


class _Taken(Exception):
    def __init__(self, sequence: int):
        super().__init__(sequence)
        self.sequence = sequence


@transaction.atomic
def _issue_once(*, decision: Decision, signed_on, by, number: str | None, after: int) -> Decision:
    decision = Decision.objects.select_for_update().select_related("province").get(pk=decision.pk)
    if decision.is_approved:
        raise ScoringError(str(ALREADY_APPROVED))
    _check_date(decision, signed_on)
    year = signed_on.year
    # The lock makes concurrent issues of the province's year wait for each other (PostgreSQL).
    register = DecisionRegister.locked(province_id=decision.province_id, year=year)
    if number is None:
        sequence = max(register.last_number, _highest(decision.province, year), after) + 1
        text = number_format(sequence)
    else:
        sequence, text = number_parse(number)
        taken = Decision.objects.filter(province=decision.province, register_year=year, register_seq=sequence)
        if taken.exclude(pk=decision.pk).exists():
            raise ScoringError(NUMBER_TAKEN % {"number": number_format(sequence), "year": year})
    try:
        with transaction.atomic():  # a savepoint, so that the error leaves the transaction usable
            _take(decision, sequence, text, signed_on, by)
    except IntegrityError:
        raise _Taken(sequence) from None
    # The e-office's numbers move the register on too, so the portal never gives one of them again.
    register.last_number = max(register.last_number, sequence)
    register.save(update_fields=["last_number"])
    return decision
