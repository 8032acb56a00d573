"""The accounts app's API routes in the permission matrix (see tests/api/matrix/__init__.py)."""

from __future__ import annotations

from tests.api.matrix import PEOPLE, Route


def build(places) -> dict:
    """The records these routes address, by name (merged into places.objects)."""
    return {}


ROUTES: list[Route] = [
    # Every signed-in account reads itself; a system's key is not an account (401), nor is a visitor.
    Route("api:accounts:me", get=PEOPLE),
]
