"""Template helpers of the scoring pages: the stars drawn as characters, and the commune page's
recognition panel with its valid certificates."""

from __future__ import annotations

from django import template

from communes.models import Commune
from scoring.models import Assessment, Certificate
from scoring.models.assessments import PUBLIC_STATUSES
from scoring.selectors.public import MAX_STARS, lineage_filter
from scoring.selectors.public import commune_stars as commune_stars_of

register = template.Library()


@register.filter
def star_marks(stars) -> str:
    """4 → '★★★★': the stars earned, drawn."""
    return "★" * min(max(int(stars or 0), 0), MAX_STARS)


@register.filter
def star_blanks(stars) -> str:
    """4 → '☆': the stars not earned, drawn."""
    return "☆" * (MAX_STARS - min(max(int(stars or 0), 0), MAX_STARS))


@register.inclusion_tag("scoring/public/_commune_stars.html")
def commune_stars(commune: Commune) -> dict:
    """The commune's latest public stars (or those of the units it took over) with links to the
    result and to its star history: one query."""
    return {"panel": commune_stars_of(commune=commune)}


@register.simple_tag
def ranking_years(province) -> list[int]:
    """The years in which the province has public results, newest first: one query."""
    return list(
        Assessment.objects.filter(criteria_set__province=province, status__in=PUBLIC_STATUSES)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@register.simple_tag
def commune_certificates(commune: Commune) -> list[Certificate]:
    """The valid star certificates of the commune and of the units it took over, newest first: one query."""
    return list(
        Certificate.objects.filter(
            lineage_filter(commune), kind=Certificate.Kind.CERTIFICATE, status=Certificate.Status.VALID
        )
        .only("serial", "unit_name", "year", "stars")
        .order_by("-year", "unit_name", "serial")
    )
