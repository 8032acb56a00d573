"""Reads of a commune's public disclosures, for its public pages."""

from __future__ import annotations

from django.db.models import QuerySet

from communes.models import Commune, Disclosure

LATEST_DISCLOSURES = 5


def disclosure_latest(*, commune: Commune, limit: int = LATEST_DISCLOSURES) -> list[Disclosure]:
    return list(Disclosure.objects.filter(commune=commune).order_by("-published_on", "-pk")[:limit])


def disclosure_list_for_commune(*, commune: Commune, category: str = "") -> QuerySet[Disclosure]:
    disclosures = Disclosure.objects.filter(commune=commune)
    if category:
        disclosures = disclosures.filter(category=category)
    return disclosures.order_by("-published_on", "-pk")


def commune_disclosure(*, commune_pk: int, pk: int) -> Disclosure:
    """A disclosure of that commune; raises Disclosure.DoesNotExist otherwise."""
    return Disclosure.objects.get(commune_id=commune_pk, pk=pk)
