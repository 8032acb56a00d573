"""The village's list of households: typed, imported, and each representative's account verified.

A verified account may vote online for its household, so one account speaks for one household only
(the database holds the same rule: household_one_per_account). Imports follow the villages' rule: all
rows or none, and a household already on the list (same number) is updated, never added twice.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Village
from communes.services.statistics import RowError
from democracy.models import Household
from democracy.services.errors import DemocracyError
from democracy.services.villages import (
    Column,
    ImportRefused,
    ImportReport,
    check_texts,
    nothing_imported,
    read_sheet,
    village_set_households,
)

ACCOUNT_TAKEN = gettext_lazy("This account already speaks for household %(number)s of %(village)s.")


def _number_taken(household: Household) -> bool:
    same = Household.objects.filter(village_id=household.village_id, number__iexact=household.number)
    return same.exclude(pk=household.pk).exists() if household.pk else same.exists()


def household_save(*, household: Household, by) -> Household:
    """Create or update a household from a filled (unsaved) instance whose ``village`` is set."""
    household.number = " ".join(household.number.split())
    if not household.number:
        raise DemocracyError(_("Enter the household's number."), "number")
    if not household.pk and not household.village.is_current:
        raise DemocracyError(_("This village has ended: its list of households is closed."), "number")
    if _number_taken(household):
        raise DemocracyError(_("Another household of this village has this number."), "number")
    if not household.active and household.representative_account_id:
        # A household that moved away no longer votes: its account is free for the household it joined.
        household.representative_account = None
        household.verified_by = None
        household.verified_at = None
    household._history_user = by
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError as error:
        raise DemocracyError(_("Another household of this village has this number."), "number") from error
    return household


def household_verify(*, household: Household, email: str, by) -> Household:
    """Link the account of ``email`` as the household's representative, as the village head checked."""
    email = email.strip()
    if not household.active:
        raise DemocracyError(_("This household no longer lives in the village."), "email")
    accounts = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
    if not accounts:
        raise DemocracyError(
            _("No account has this e-mail address. The representative signs up on the portal first."), "email"
        )
    if len(accounts) > 1:
        raise DemocracyError(_("Several accounts share this e-mail address; ask the portal's administrator."), "email")
    account = accounts[0]
    other = (
        Household.objects.filter(representative_account=account, active=True)
        .exclude(pk=household.pk)
        .select_related("village")
        .first()
    )
    if other is not None:
        raise DemocracyError(str(ACCOUNT_TAKEN) % {"number": other.number, "village": other.village}, "email")
    household.representative_account = account
    household.verified_by = by
    household.verified_at = timezone.now()
    household._history_user = by
    try:
        with transaction.atomic():
            household.save(update_fields=["representative_account", "verified_by", "verified_at"])
    except IntegrityError as error:  # another list linked it at the same moment
        raise DemocracyError(_("This account already speaks for another household."), "email") from error
    return household


def household_unlink(*, household: Household, by) -> Household:
    """The account no longer speaks for the household (it may vote online no more)."""
    household.representative_account = None
    household.verified_by = None
    household.verified_at = None
    household._history_user = by
    household.save(update_fields=["representative_account", "verified_by", "verified_at"])
    return household


def village_households_from_list(*, village: Village, by) -> Village:
    """Set the commune's count of the village's households to its list's living households."""
    count = Household.objects.filter(village=village, active=True).count()
    return village_set_households(village=village, count=count, by=by)


# --- Import ------------------------------------------------------------------------------------------

HOUSEHOLD_COLUMNS = [
    Column(
        "number",
        gettext_lazy("number"),
        ("số", "so", "số hộ", "số thứ tự", "stt", "household number", "mã hộ"),
        True,
        20,
    ),
    Column("head", gettext_lazy("head"), ("chủ hộ", "chu ho", "head of household", "head_name"), True),
    Column("representative", gettext_lazy("representative"), ("người đại diện", "đại diện", "dai dien")),
    Column("address", gettext_lazy("address"), ("địa chỉ", "dia chi"), max_length=255),
]
DUPLICATE_ROW = gettext_lazy("Row %(row)d already has this household number.")


def households_import(*, village: Village, file, by) -> ImportReport:
    """Import a village's households from .xlsx: all rows or none; a known number is updated."""
    if not village.is_current:
        raise ImportRefused(_("This village has ended: its list of households is closed."))
    rows = read_sheet(file, HOUSEHOLD_COLUMNS)
    known = {household.number.casefold(): household for household in Household.objects.filter(village=village)}
    errors, plans, seen = [], [], {}
    for number, values in rows:
        row_errors = check_texts(number, values, HOUSEHOLD_COLUMNS)
        errors += row_errors
        if row_errors:
            continue
        key = values["number"].casefold()
        if key in seen:
            errors.append(RowError(number, "number", str(DUPLICATE_ROW) % {"row": seen[key]}))
            continue
        seen[key] = number
        plans.append((known.get(key), values))
    if errors:
        raise ImportRefused(nothing_imported(len(errors)), errors)
    created = updated = 0
    with transaction.atomic():
        for found, values in plans:
            household = found or Household(village=village, number=values["number"])
            household.head_name = values["head"]
            household.representative_name = values.get("representative", "")
            household.address = values.get("address", "") or household.address
            # A household listed again lives here (again).
            household.active = True
            household._history_user = by
            household.save()
            created, updated = (created, updated + 1) if found else (created + 1, updated)
    return ImportReport(created=created, updated=updated)


def households_template_rows() -> list[list]:
    return [
        [str(column.label) for column in HOUSEHOLD_COLUMNS],
        ["1", "Nguyễn Văn An", "", "Số 12, ngõ 3"],
        ["2", "Trần Thị Bình", "Lê Văn Cường", "Số 14, ngõ 3"],
    ]
