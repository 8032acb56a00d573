"""The commune page's panel on grassroots democracy (composed in portal): the next meetings and votes
and the latest results, in two queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from communes.models import Commune
from democracy.models import Decision, DecisionStatus, Matter, MatterStatus

SHOWN = 3


@dataclass(frozen=True)
class DemocracyPanel:
    upcoming: list[Decision] = field(default_factory=list)
    results: list[Matter] = field(default_factory=list)

    @property
    def changes_at(self) -> datetime.datetime | None:
        """When the first meeting or vote listed as coming starts: the cached page ends then."""
        return min((d.starts_at for d in self.upcoming), default=None)


def commune_democracy_panel(*, commune: Commune, now: datetime.datetime) -> DemocracyPanel:
    upcoming = list(
        Decision.objects.filter(matter__commune=commune, status=DecisionStatus.OPEN, starts_at__gt=now)
        .select_related("matter", "village")
        .order_by("starts_at")[:SHOWN]
    )
    results = list(
        Matter.objects.filter(commune=commune, status__in=[MatterStatus.RECOGNISED, MatterStatus.REFUSED])
        .select_related("village")
        .order_by("-recognised_on", "-pk")[:SHOWN]
    )
    return DemocracyPanel(upcoming=upcoming, results=results)
