"""Small request, address and link helpers every app shares."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants unless a known proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def absolute_url(path: str) -> str:
    """The portal's own address of a path, for mail, QR codes and printed slips (SITE_URL, not the
    request's host, which a client can choose)."""
    return settings.SITE_URL.rstrip("/") + path


def workspace_trail(place=None) -> list[tuple[str, str]]:
    """The start of a staff page's breadcrumbs: the workspace, then the place's own workspace page (a
    commune, district or province; named by URL, since the workspace is the portal's)."""
    trail = [(_("Workspace"), reverse("portal:workspace"))]
    if place is not None:
        kind = place._meta.model_name
        trail.append((str(place), reverse("portal:unit_workspace", kwargs={"kind": kind, "pk": place.pk})))
    return trail
