"""Writes of a commune's back office: its one-stop shop, the procedures it handles and its disclosures.

Every write records who made it: simple_history reads ``_history_user`` from the instance, which
also holds outside a request (commands, tasks, tests). Replace-style writes change only what differs,
so sending the same form twice leaves one copy and no extra history.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from communes.models import (
    Commune,
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OpeningException,
    OpeningHours,
    Procedure,
    Weekday,
)
from core import clock
from core.errors import ServiceError

if TYPE_CHECKING:
    # Only for annotations: the portal app builds on communes, not the other way round.
    from accounts.models import User

SESSIONS_OVERLAP = _("This session overlaps another session on the same day.")
DAY_TWICE = _("This day appears twice.")
UNKNOWN_FACILITY = _("Unknown facility.")
UNKNOWN_DAY = _("Unknown day of the week.")
FOREIGN_PROCEDURE = _("A commune can only handle procedures of its own province's catalogue.")
EXCEPTION_DAY_TAKEN = _("This day already has an exception.")
SHOP_SAVED_MEANWHILE = _("Someone saved this profile at the same time. Please check it and save again.")

# What a photo argument means: None keeps the stored file, False removes it, a file replaces it.
PhotoInput = File | bool | None


class OneStopError(ServiceError):
    """A back-office write that cannot be carried out. ``errors`` maps field names (None for the whole
    record) to translated messages; ``row`` is the index of the faulty item when the write takes a list."""

    def __init__(self, errors: Any, *, row: int | None = None):
        if not isinstance(errors, Mapping):
            errors = {None: [errors]}
        self.errors: dict[str | None, list] = {field: list(messages) for field, messages in errors.items()}
        self.row = row
        super().__init__(" ".join(str(message) for messages in self.errors.values() for message in messages))

    @classmethod
    def from_validation_error(cls, error: ValidationError, *, row: int | None = None) -> OneStopError:
        if hasattr(error, "error_dict"):
            errors = {
                (None if field == NON_FIELD_ERRORS else field): messages
                for field, messages in error.message_dict.items()
            }
        else:
            errors = {None: error.messages}
        return cls(errors, row=row)


def _validate(obj: Model, *, row: int | None = None) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise OneStopError.from_validation_error(error, row=row) from error


def _save(obj: Model, *, by: User, row: int | None = None) -> None:
    _validate(obj, row=row)
    obj._history_user = by
    obj.save()


def _delete(obj: Model, *, by: User) -> None:
    # Deleting one by one, not with a queryset, so each historical record names its author.
    obj._history_user = by
    obj.delete()


def _set(obj: Model, values: Mapping[str, Any]) -> bool:
    """Assign ``values``; True when one of them differs from what the object holds."""
    changed = obj.pk is None
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _set_photo(obj: Model, field: str, photo: PhotoInput) -> bool:
    if photo is None:
        return False
    if photo is False:
        if not getattr(obj, field):
            return False
        setattr(obj, field, "")
        return True
    # The previous file stays in storage: earlier historical records still point at it.
    setattr(obj, field, photo)
    return True


# --- The shop -----------------------------------------------------------------------------------


@transaction.atomic
def shop_update(
    *,
    commune: Commune,
    address: str,
    phone: str = "",
    email: str = "",
    directions: str = "",
    photo: PhotoInput = None,
    by: User,
) -> OneStopShop:
    """Save the shop's profile, creating the shop on its first save."""
    shop = OneStopShop.objects.select_for_update().filter(commune=commune).first() or OneStopShop(commune=commune)
    changed = _set(shop, {"address": address, "phone": phone, "email": email, "directions": directions})
    changed = _set_photo(shop, "photo", photo) or changed
    if changed:
        try:
            with transaction.atomic():
                _save(shop, by=by)
        except IntegrityError as error:
            # Two first saves at once: one shop per commune, the second officer is asked to look again.
            raise OneStopError(SHOP_SAVED_MEANWHILE) from error
    return shop


@transaction.atomic
def shop_verify(*, shop: OneStopShop, by: User) -> OneStopShop:
    """Record that ``by`` confirmed today that the shop's page is true."""
    shop.verified_on = clock.today()
    shop.verified_by = by
    _save(shop, by=by)
    return shop


# --- Hours --------------------------------------------------------------------------------------


def _overlapping_rows(sessions: list[dict]) -> list[int]:
    """Indexes of sessions that start before an earlier session of the same day has closed."""
    rows = sorted(range(len(sessions)), key=lambda i: (sessions[i]["weekday"], sessions[i]["opens"]))
    faulty = []
    for before, after in itertools.pairwise(rows):
        first, second = sessions[before], sessions[after]
        if first["weekday"] == second["weekday"] and second["opens"] < first["closes"]:
            faulty.append(after)
    return sorted(faulty)


@transaction.atomic
def opening_hours_replace(*, shop: OneStopShop, sessions: Iterable[Mapping[str, Any]], by: User) -> None:
    """Make ``sessions`` (weekday, opens, closes) the shop's whole weekly timetable, or change nothing."""
    sessions = [{"weekday": s["weekday"], "opens": s["opens"], "closes": s["closes"]} for s in sessions]
    for row, session in enumerate(sessions):
        # Each row is checked alone first, so an error names the row that causes it.
        candidate = OpeningHours(shop=shop, **session)
        try:
            candidate.full_clean(validate_unique=False, validate_constraints=False)
            candidate.validate_constraints(exclude={"shop"})
        except ValidationError as error:
            raise OneStopError.from_validation_error(error, row=row) from error
    if overlaps := _overlapping_rows(sessions):
        raise OneStopError(SESSIONS_OVERLAP, row=overlaps[0])

    existing = {(h.weekday, h.opens): h for h in shop.opening_hours.select_for_update()}
    wanted = {(s["weekday"], s["opens"]): (row, s) for row, s in enumerate(sessions)}
    for key, hours in existing.items():
        if key not in wanted:
            _delete(hours, by=by)
    for key, (row, session) in wanted.items():
        hours = existing.get(key) or OpeningHours(shop=shop)
        if _set(hours, session):
            _save(hours, by=by, row=row)


@transaction.atomic
def opening_exception_save(
    *,
    shop: OneStopShop,
    exception: OpeningException | None = None,
    date: datetime.date,
    closed: bool,
    opens: datetime.time | None = None,
    closes: datetime.time | None = None,
    reason: str,
    by: User,
) -> OpeningException:
    """Add a special day to the shop, or change one of its special days."""
    if exception is not None and exception.shop_id != shop.pk:
        raise OneStopError(_("This special day belongs to another one-stop shop."))
    exception = exception or OpeningException(shop=shop)
    if closed:
        opens = closes = None
    if _set(exception, {"date": date, "closed": closed, "opens": opens, "closes": closes, "reason": reason}):
        try:
            with transaction.atomic():
                _save(exception, by=by)
        except IntegrityError as error:
            # Two officers adding the same day at once: the database keeps one, the other is told why.
            raise OneStopError({"date": [EXCEPTION_DAY_TAKEN]}) from error
    return exception


@transaction.atomic
def opening_exception_delete(*, exception: OpeningException, by: User) -> None:
    """Remove a special day."""
    _delete(exception, by=by)


# --- Facilities and the leaders on duty ---------------------------------------------------------


@transaction.atomic
def facilities_save(*, shop: OneStopShop, facilities: Mapping[str, Mapping[str, Any]], by: User) -> None:
    """Answer, per facility kind, whether the shop has it: {kind: {available, note, photo}}."""
    kinds = list(FacilityKind.values)
    if set(facilities) - set(kinds):
        raise OneStopError(UNKNOWN_FACILITY)
    existing = {f.kind: f for f in shop.facilities.select_for_update()}
    for row, kind in enumerate(kinds):
        if kind not in facilities:
            continue
        answer = facilities[kind]
        facility = existing.get(kind) or Facility(shop=shop, kind=kind)
        changed = _set(facility, {"available": bool(answer.get("available")), "note": answer.get("note", "")})
        changed = _set_photo(facility, "photo", answer.get("photo")) or changed
        if changed:
            _save(facility, by=by, row=row)


@transaction.atomic
def duty_leaders_replace(*, shop: OneStopShop, leaders: Iterable[Mapping[str, Any]], by: User) -> None:
    """Make ``leaders`` (weekday, full_name, title) the week's leaders on duty; a missing day has nobody."""
    wanted: dict[int, tuple[int, dict]] = {}
    for row, leader in enumerate(leaders):
        weekday = leader["weekday"]
        if weekday not in Weekday.values:
            raise OneStopError(UNKNOWN_DAY, row=row)
        if weekday in wanted:
            raise OneStopError(DAY_TWICE, row=row)
        wanted[weekday] = (row, {"full_name": leader["full_name"].strip(), "title": leader["title"].strip()})
    existing = {d.weekday: d for d in shop.duty_leaders.select_for_update()}
    for weekday, leader in existing.items():
        if weekday not in wanted:
            _delete(leader, by=by)
    for weekday, (row, values) in sorted(wanted.items()):
        leader = existing.get(weekday) or DutyLeader(shop=shop, weekday=weekday)
        if _set(leader, values):
            _save(leader, by=by, row=row)


# --- Counter officers ---------------------------------------------------------------------------


@transaction.atomic
def officer_save(
    *,
    shop: OneStopShop,
    officer: CounterOfficer | None = None,
    full_name: str,
    title: str,
    field: str,
    duty_days: Iterable[int] = (),
    position: int = 0,
    photo: PhotoInput = None,
    by: User,
) -> CounterOfficer:
    """Add a counter officer to the shop, or change one of its officers."""
    if officer is not None and officer.shop_id != shop.pk:
        raise OneStopError(_("This officer belongs to another one-stop shop."))
    days = sorted({int(day) for day in duty_days})
    if any(day not in Weekday.values for day in days):
        raise OneStopError({"duty_days": [UNKNOWN_DAY]})
    officer = officer or CounterOfficer(shop=shop)
    changed = _set(
        officer, {"full_name": full_name, "title": title, "field": field, "duty_days": days, "position": position}
    )
    changed = _set_photo(officer, "photo", photo) or changed
    if changed:
        _save(officer, by=by)
    return officer


@transaction.atomic
def officer_delete(*, officer: CounterOfficer, by: User) -> None:
    """Remove a counter officer from the shop's public list."""
    _delete(officer, by=by)


# --- Procedures ---------------------------------------------------------------------------------


@transaction.atomic
def commune_procedures_set(*, commune: Commune, procedures: Mapping[int, str], by: User) -> None:
    """Make ``procedures`` ({procedure id: local notes}) the catalogue procedures the commune handles."""
    wanted = {int(pk): (notes or "").strip() for pk, notes in procedures.items()}
    catalogue = set(
        Procedure.objects.filter(province_id=commune.province_id, pk__in=wanted).values_list("pk", flat=True)
    )
    if set(wanted) - catalogue:
        raise OneStopError(FOREIGN_PROCEDURE)
    existing = {cp.procedure_id: cp for cp in CommuneProcedure.objects.select_for_update().filter(commune=commune)}
    for procedure_id, handled in existing.items():
        if procedure_id not in wanted:
            _delete(handled, by=by)
    for procedure_id, notes in sorted(wanted.items()):
        handled = existing.get(procedure_id) or CommuneProcedure(commune=commune, procedure_id=procedure_id)
        if _set(handled, {"local_notes": notes}):
            _save(handled, by=by)


# --- Disclosures --------------------------------------------------------------------------------


@transaction.atomic
def disclosure_save(
    *,
    commune: Commune,
    disclosure: Disclosure | None = None,
    title: str,
    category: str,
    decision_date: datetime.date,
    published_on: datetime.date,
    posted_until: datetime.date | None = None,
    due_on: datetime.date | None = None,
    due_basis: str = "",
    document: File | None = None,
    by: User,
) -> Disclosure:
    """Publish a disclosure of the commune, or correct one; a new disclosure needs its PDF."""
    if disclosure is not None and disclosure.commune_id != commune.pk:
        raise OneStopError(_("This disclosure belongs to another commune."))
    disclosure = disclosure or Disclosure(commune=commune)
    changed = _set(
        disclosure,
        {
            "title": title,
            "category": category,
            "decision_date": decision_date,
            "published_on": published_on,
            "posted_until": posted_until,
            "due_on": due_on,
            "due_basis": due_basis.strip(),
        },
    )
    if document:
        disclosure.document = document
        changed = True
    if changed:
        _save(disclosure, by=by)
    return disclosure


@transaction.atomic
def disclosure_delete(*, disclosure: Disclosure, by: User) -> None:
    """Withdraw a disclosure."""
    _delete(disclosure, by=by)
