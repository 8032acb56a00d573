"""Double submits: a form displayed once creates its record once, however often it is sent.

A create form carries a random token; the first request that brings it claims it in the cache (an
atomic add), later ones with the same token (a double click, a reload, the back button) are told the
record exists. A submission the service then refused is forgotten, so the corrected form goes through.
"""

from __future__ import annotations

from django.core.cache import cache

SUBMISSION_TTL = 24 * 60 * 60


def _key(request, token: str) -> str:
    return f"backoffice:submission:{request.user.pk}:{token}"


def first_submission(request, token: str) -> bool:
    """False when this displayed form was already sent: what it creates exists already."""
    return not token or cache.add(_key(request, token), True, SUBMISSION_TTL)


def forget_submission(request, token: str) -> None:
    if token:
        cache.delete(_key(request, token))
