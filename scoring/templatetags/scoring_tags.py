"""Template helpers of the scoring pages: the stars drawn as characters, the figures behind a computed line."""

from __future__ import annotations

from django import template

from scoring.selectors.public import MAX_STARS
from scoring.services.computation.metrics import detail_rows

register = template.Library()


@register.filter
def star_marks(stars) -> str:
    """4 → '★★★★': the stars earned, drawn."""
    return "★" * min(max(int(stars or 0), 0), MAX_STARS)


@register.filter
def star_blanks(stars) -> str:
    """4 → '☆': the stars not earned, drawn."""
    return "☆" * (MAX_STARS - min(max(int(stars or 0), 0), MAX_STARS))


@register.filter
def labelled(detail, metric: str) -> list:
    """A computed reading's detail as (key, label, value) rows:
    ``{% for key, label, value in reading.detail|labelled:criterion.metric %}``."""
    return detail_rows(metric, detail or {})
