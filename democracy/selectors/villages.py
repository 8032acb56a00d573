"""Reads of the back office of villages: the commune's list, a village's page, its households, its
conventions. Each list is a fixed number of queries, however long it is."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Length

from communes.models import Commune, Village
from democracy.models import Convention, ConventionVersion, Decision, Household, Matter, VersionStatus


def villages_for_commune(*, commune: Commune):
    """In force first, then ended; with the number of living households on each list."""
    return (
        Village.objects.filter(commune=commune)
        .annotate(listed=Count("household_list", filter=Q(household_list__active=True)))
        .order_by("valid_until", "kind", "name")
    )


def village_matters(*, village: Village) -> dict:
    """The village's own matters and the commune-wide ones it decides, each with its decision here."""
    decisions = Prefetch("decisions", queryset=Decision.objects.filter(village=village), to_attr="decisions_here")
    own = Matter.objects.filter(village=village).prefetch_related(decisions).order_by("-created_at")
    commune_wide = (
        Matter.objects.filter(village__isnull=True, decisions__village=village)
        .prefetch_related(decisions)
        .order_by("-created_at")
        .distinct()
    )
    return {"own_matters": list(own), "commune_matters": list(commune_wide)}


def village_conventions(*, village: Village) -> list[Convention]:
    in_force = Prefetch(
        "versions",
        queryset=ConventionVersion.objects.filter(status=VersionStatus.IN_FORCE),
        to_attr="in_force",
    )
    return list(
        Convention.objects.filter(village=village).annotate(version_count=Count("versions")).prefetch_related(in_force)
    )


def village_counts(*, village: Village) -> dict:
    return Household.objects.filter(village=village).aggregate(
        living=Count("pk", filter=Q(active=True)),
        moved=Count("pk", filter=Q(active=False)),
        linked=Count("pk", filter=Q(active=True, representative_account__isnull=False)),
    )


def households_for_village(*, village: Village, show_moved: bool = False):
    households = Household.objects.filter(village=village).select_related("representative_account", "verified_by")
    if not show_moved:
        households = households.filter(active=True)
    # Numbers are text ("12", "12A"): shorter first puts 2 before 10.
    return households.order_by("-active", Length("number"), "number")


def convention_versions(*, convention: Convention) -> list[ConventionVersion]:
    return list(convention.versions.select_related("adopted_by", "created_by").order_by("-number"))
