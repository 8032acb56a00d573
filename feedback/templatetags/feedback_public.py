"""Template helpers for the public feedback pages."""

from django import template

from feedback.services.common import format_code

register = template.Library()


@register.filter
def tracking_code(code: str) -> str:
    """'ABCD2345' → 'ABCD-2345'."""
    return format_code(code or "")
