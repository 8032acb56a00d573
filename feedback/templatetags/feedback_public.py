"""Template helpers for the public feedback pages and the feedback panel of the commune page."""

from django import template

from communes.models import Commune
from feedback import selectors
from feedback.services.common import format_code

register = template.Library()


@register.filter
def tracking_code(code: str) -> str:
    """'ABCD2345' → 'ABCD-2345'."""
    return format_code(code or "")


@register.simple_tag
def feedback_figures_of(commune: Commune) -> selectors.Figures:
    """The commune's feedback figures, for the commune page (two queries: the page's own view is not ours)."""
    return selectors.feedback_figures_for_commune(commune=commune)
