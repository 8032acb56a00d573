"""What every page's header needs to know about the user."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.rules import VIEW_WORKSPACE


def navigation(request) -> dict:
    # Lazy: a page that never draws the header never asks (and never reads the user's roles).
    return {
        "can_view_workspace": SimpleLazyObject(lambda: request.user.has_perm(VIEW_WORKSPACE)),
        "demo_data": settings.DEMO_DATA,
    }
