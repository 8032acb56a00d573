"""Writes of a province's Department of Home Affairs: its procedure catalogue and its code of conduct.

A code of conduct is never edited once published: publishing always makes the next version, so the
public page can show every version that was ever in force.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from communes.models import CodeOfConduct, Procedure, Province
from communes.services.one_stop import OneStopError

if TYPE_CHECKING:
    # Only for annotations: the portal app builds on communes, not the other way round.
    from accounts.models import User

FOREIGN_CATALOGUE_PROCEDURE = _("This procedure belongs to another province's catalogue.")
DUPLICATE_CODE = _("The province's catalogue already has a procedure with this code.")
VERSION_TAKEN = _("Another version was published at the same time. Please publish again.")


class CatalogueError(OneStopError):
    """A write to a province's catalogue or code of conduct that cannot be carried out; ``errors`` maps
    field names (None for the whole record) to translated messages."""


# What a procedure of the catalogue holds, as procedure_save writes it.
PROCEDURE_FIELDS = ("code", "name", "field", "steps", "documents", "fee", "time_limit_days", "same_day", "online_level")


def procedure_values(procedure: Procedure) -> tuple:
    return tuple(getattr(procedure, name) for name in PROCEDURE_FIELDS)


def _lines(items: list[str]) -> list[str]:
    """Items in their order, without surrounding spaces or empty ones."""
    return [item.strip() for item in items if item and item.strip()]


def _save(obj, *, by: User, duplicate_message) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise CatalogueError.from_validation_error(error) from error
    obj._history_user = by
    try:
        # A savepoint, so a lost race leaves the caller's transaction usable.
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        # Two saves raced past full_clean: the database's unique constraint decided.
        raise CatalogueError(duplicate_message) from error


@transaction.atomic
def procedure_save(
    *,
    province: Province,
    procedure: Procedure | None = None,
    code: str,
    name: str,
    field: str,
    steps: list[str],
    documents: list[str],
    fee: str,
    time_limit_days: int | None,
    same_day: bool,
    online_level: str,
    by: User,
) -> Procedure:
    """Add a procedure to the province's catalogue, or correct one of its procedures. A correction that
    changes nothing writes nothing (no history entry: the dossier system pushes its whole catalogue
    every night)."""
    if procedure is not None and procedure.province_id != province.pk:
        raise CatalogueError(FOREIGN_CATALOGUE_PROCEDURE)
    before = procedure_values(procedure) if procedure is not None else None
    procedure = procedure or Procedure(province=province)
    procedure.code = code.strip()
    procedure.name = name.strip()
    procedure.field = field.strip()
    procedure.steps = _lines(steps)
    procedure.documents = _lines(documents)
    procedure.fee = fee.strip()
    procedure.time_limit_days = time_limit_days
    procedure.same_day = same_day
    procedure.online_level = online_level
    if procedure_values(procedure) != before:
        _save(procedure, by=by, duplicate_message=DUPLICATE_CODE)
    return procedure


@transaction.atomic
def code_of_conduct_publish(
    *,
    province: Province,
    title: str,
    decision: str,
    in_force_from: datetime.date,
    text: str,
    by: User,
) -> CodeOfConduct:
    """Publish the next version of the province's code of conduct; earlier versions stay as they were."""
    # Locking the province makes two publications at once take versions one after the other.
    Province.objects.select_for_update().filter(pk=province.pk).exists()
    last = CodeOfConduct.objects.filter(province=province).aggregate(last=Max("version"))["last"] or 0
    code = CodeOfConduct(
        province=province,
        version=last + 1,
        title=title.strip(),
        decision=decision.strip(),
        in_force_from=in_force_from,
        text=text.strip(),
    )
    _save(code, by=by, duplicate_message=VERSION_TAKEN)
    return code
