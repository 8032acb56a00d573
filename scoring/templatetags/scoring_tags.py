"""Template helpers of the scoring pages: the stars drawn as characters."""

from __future__ import annotations

from django import template

from scoring.selectors.public import MAX_STARS

register = template.Library()


@register.filter
def star_marks(stars) -> str:
    """4 → '★★★★': the stars earned, drawn."""
    return "★" * min(max(int(stars or 0), 0), MAX_STARS)


@register.filter
def star_blanks(stars) -> str:
    """4 → '☆': the stars not earned, drawn."""
    return "☆" * (MAX_STARS - min(max(int(stars or 0), 0), MAX_STARS))
