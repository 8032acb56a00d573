"""Small request and address helpers every app shares."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants unless a known proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or None


def absolute_url(path: str) -> str:
    """The portal's own address of a path, for mail, QR codes and printed slips (SITE_URL, not the
    request's host, which a client can choose)."""
    return settings.SITE_URL.rstrip("/") + path
