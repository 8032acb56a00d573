"""Small request, address and link helpers every app shares."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def _address(text: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address rate limits count against: the one the TRUSTED_PROXY_COUNT-th proxy saw.

    Each trusted proxy appends the address it was reached from to X-Forwarded-For, so the entry that many
    places from the right is the last one a trusted machine wrote; anything left of it is whatever the
    client chose. With no trusted proxy (the default) the header is ignored, since anyone can send it;
    a header shorter than the chain or holding no address falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    entries = forwarded.split(",")
    if len(entries) < proxies:
        return remote
    return _address(entries[-proxies]) or remote


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
