"""The communes app's API routes in the permission matrix (see tests/api/matrix/__init__.py)."""

from __future__ import annotations

from tests.api.matrix import EVERYONE, Route


def build(places) -> dict:
    """The records these routes address, by name (merged into places.objects)."""
    return {}


ROUTES: list[Route] = [
    Route("api:communes:province-list", get=EVERYONE),
    Route("api:communes:province-detail", kwargs=lambda p: {"pk": p.province.pk}, get=EVERYONE),
]
