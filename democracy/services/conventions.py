"""Village conventions (hương ước, quy ước), version by version: a draft posted for comments, the text
the residents adopted (a matter of item 3 of art. 15 they decided and the commune recognised), then the
authority's recognition, which puts it in force and retires the version in force before it (Law
10/2022/QH15, art. 15(3); Decree 61/2023/NĐ-CP). Every step is kept with who and when in the versions'
history.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from communes.models import Village
from democracy.models import (
    Category,
    Convention,
    ConventionVersion,
    Matter,
    MatterStatus,
    VersionStatus,
)
from democracy.services.errors import DemocracyError


def convention_create(*, village: Village, kind: str, title: str, by) -> Convention:
    title = " ".join(title.split())
    if not title:
        raise DemocracyError(_("Enter the convention's title."), "title")
    if not village.is_current:
        raise DemocracyError(_("This village has ended: it adopts no new convention."), "title")
    if Convention.objects.filter(village=village, kind=kind, title__iexact=title).exists():
        raise DemocracyError(_("This village already has a convention with this title."), "title")
    return Convention.objects.create(village=village, kind=kind, title=title)


def version_create(
    *, convention: Convention, text: str, by, document=None, posted_on: datetime.date | None = None
) -> ConventionVersion:
    """A new draft, numbered after the convention's last version."""
    if not text.strip():
        raise DemocracyError(_("Enter the text of the convention."), "text")
    with transaction.atomic():
        # Locking the convention numbers two drafts sent at once one after the other.
        Convention.objects.select_for_update().get(pk=convention.pk)
        last = convention.versions.aggregate(last=Max("number"))["last"] or 0
        version = ConventionVersion(
            convention=convention,
            number=last + 1,
            text=text.strip(),
            posted_on=posted_on,
            created_by=by,
        )
        if document:
            version.document = document
        version._history_user = by
        version.save()
    return version


def adoption_matters(convention: Convention):
    """The matters that can adopt a version: the village's recognised decisions on its convention."""
    return Matter.objects.filter(
        village_id=convention.village_id, category=Category.CONVENTION, status=MatterStatus.RECOGNISED
    ).order_by("-recognised_on", "-pk")


def version_adopt(*, version: ConventionVersion, matter: Matter | None, by) -> ConventionVersion:
    """The residents adopted this draft: by ``matter`` (their recognised decision) or, for a text
    adopted before the portal kept matters, without one."""
    with transaction.atomic():
        version = ConventionVersion.objects.select_for_update().select_related("convention").get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise DemocracyError(_("Only a draft can be adopted."), "matter")
        if matter is not None and not adoption_matters(version.convention).filter(pk=matter.pk).exists():
            raise DemocracyError(
                _("Choose a matter on this village's convention that the commune recognised."), "matter"
            )
        version.status = VersionStatus.ADOPTED
        version.adopted_by = matter
        version._history_user = by
        version.save(update_fields=["status", "adopted_by"])
    return version


def version_recognise(
    *, version: ConventionVersion, authority: str, number: str, in_force_from: datetime.date, by
) -> ConventionVersion:
    """The authority recognised the adopted text: it is in force, and the one before it superseded."""
    authority, number = authority.strip(), number.strip()
    if not authority:
        raise DemocracyError(_("Enter who recognised the convention."), "authority")
    if not number:
        raise DemocracyError(_("Enter the number of the recognition decision."), "number")
    with transaction.atomic():
        version = ConventionVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.ADOPTED:
            raise DemocracyError(_("Only a text the residents adopted can be recognised."), "authority")
        previous = list(
            ConventionVersion.objects.select_for_update().filter(
                convention_id=version.convention_id, status=VersionStatus.IN_FORCE
            )
        )
        # The old text leaves force first: the database allows one version in force at a time.
        for old in previous:
            old.status = VersionStatus.SUPERSEDED
            old._history_user = by
            old.save(update_fields=["status"])
        version.status = VersionStatus.IN_FORCE
        version.recognised_by_authority = authority
        version.recognition_number = number
        version.in_force_from = in_force_from
        version._history_user = by
        version.save(update_fields=["status", "recognised_by_authority", "recognition_number", "in_force_from"])
    return version
