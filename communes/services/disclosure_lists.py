"""Writes of a commune's quarterly list of disclosures (Law 10/2022/QH15, art. 13(2)): every quarter the
commune posts the list of what it made public in it, with the form and time of each item.

A list is a snapshot: correcting or withdrawing a disclosure later does not rewrite a list already
posted. A corrected list is posted again on purpose (``disclosure_list_republish``), and the history of
the list keeps the one it replaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, DisclosureList
from communes.selectors.disclosures import disclosure_list_items, quarter_days
from communes.services.one_stop import OneStopError
from core import clock

if TYPE_CHECKING:
    # Only for annotations: the portal app builds on communes, not the other way round.
    from accounts.models import User

# Years a list can be asked for; beyond them a date cannot be built.
FIRST_YEAR, LAST_YEAR = 2000, 9999

UNKNOWN_QUARTER = _("Choose a quarter from 1 to 4 of a valid year.")
QUARTER_NOT_ENDED = _("A quarter's list is published once the quarter has ended.")
OUTSIDE_UNIT_LIFE = _("The commune did not exist in this quarter.")
LIST_EXISTS = _("The list of this quarter is already published. Publish a corrected list instead.")
LIST_UNCHANGED = _("The list is unchanged: the quarter's disclosures are the same as when it was published.")


class DisclosureListError(OneStopError):
    """A quarterly list that cannot be published; the message says why."""


def disclosure_list_check(*, commune: Commune, year: int, quarter: int) -> None:
    """Raise DisclosureListError when the commune cannot post a list for that quarter (yet)."""
    if not FIRST_YEAR <= year <= LAST_YEAR or quarter not in (1, 2, 3, 4):
        raise DisclosureListError(UNKNOWN_QUARTER)
    first_day, last_day = quarter_days(year, quarter)
    # Art. 13(2) lists what was disclosed in the quarter: known only once it is over.
    if last_day >= clock.today():
        raise DisclosureListError(QUARTER_NOT_ENDED)
    if (commune.valid_from and last_day < commune.valid_from) or (
        commune.valid_until and first_day > commune.valid_until
    ):
        raise DisclosureListError(OUTSIDE_UNIT_LIFE)


@transaction.atomic
def disclosure_list_publish(*, commune: Commune, year: int, quarter: int, by: User) -> DisclosureList:
    """Post the list of what the commune disclosed in an ended quarter; once per quarter."""
    disclosure_list_check(commune=commune, year=year, quarter=quarter)
    if DisclosureList.objects.filter(commune=commune, year=year, quarter=quarter).exists():
        raise DisclosureListError(LIST_EXISTS)
    disclosure_list = DisclosureList(
        commune=commune,
        year=year,
        quarter=quarter,
        items=disclosure_list_items(commune=commune, year=year, quarter=quarter),
        published_on=clock.today(),
        published_by=by,
    )
    try:
        # The items are generated, not typed; an empty list is a list too (nothing disclosed that quarter).
        disclosure_list.full_clean(exclude=["items"])
    except ValidationError as error:
        raise DisclosureListError.from_validation_error(error) from error
    disclosure_list._history_user = by
    try:
        # A savepoint, so a lost race leaves the caller's transaction usable.
        with transaction.atomic():
            disclosure_list.save()
    except IntegrityError as error:
        # Two publications raced past the check above: the database's unique constraint decided.
        raise DisclosureListError(LIST_EXISTS) from error
    return disclosure_list


@transaction.atomic
def disclosure_list_republish(*, disclosure_list: DisclosureList, by: User) -> DisclosureList:
    """Post a corrected list in place of the quarter's list, generated again from its disclosures; the
    list's history keeps the previous one."""
    locked = DisclosureList.objects.select_for_update().select_related("commune").get(pk=disclosure_list.pk)
    items = disclosure_list_items(commune=locked.commune, year=locked.year, quarter=locked.quarter)
    if items == locked.items:
        # Also what a second click on the same button finds: nothing to post again.
        raise DisclosureListError(LIST_UNCHANGED)
    locked.items = items
    locked.published_on = clock.today()
    locked.published_by = by
    locked._history_user = by
    locked.save()
    return locked
