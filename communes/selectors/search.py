"""The public search for a commune by its name, a former name or a successor's name."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q

from communes.models import Commune
from communes.selectors.units import with_successors_today
from core.text import fold

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class CommuneSearchResult:
    communes: list[Commune]
    has_more: bool
    limit: int


def _former_name_matches(folded: str) -> list[int]:
    # Former names are few (renames and regradings inside a unit's life) and stored as written, so
    # they are folded here rather than in the database.
    rows = Commune.objects.exclude(former_names=[]).values_list("pk", "former_names")
    return [pk for pk, names in rows if any(folded in fold(former.get("name", "")) for former in names)]


def commune_search(*, query: str, limit: int = SEARCH_LIMIT) -> CommuneSearchResult:
    """Communes whose name, former name or successor's name contains ``query``, ignoring case and
    diacritics: "quang minh" finds Phường Quảng Minh and, through its successor, so does "vân hà".
    Units in force first; an ended one carries ``successors_today``, the units it is part of now."""
    folded = fold(query)
    if not folded:
        return CommuneSearchResult(communes=[], has_more=False, limit=limit)
    matches = (
        Commune.objects.filter(
            Q(search_name__icontains=folded)
            | Q(successors__search_name__icontains=folded)
            | Q(pk__in=_former_name_matches(folded))
        )
        .values("pk")
        .distinct()
    )
    communes = list(
        Commune.objects.filter(pk__in=matches)
        .select_related("province", "district")
        .order_by(F("valid_until").asc(nulls_first=True), "search_name", "code")[: limit + 1]
    )
    return CommuneSearchResult(
        communes=with_successors_today(communes[:limit]), has_more=len(communes) > limit, limit=limit
    )
