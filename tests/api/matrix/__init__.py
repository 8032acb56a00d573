"""The API's permission matrix: every route under /api/v1/, every method it serves, every role.

Each app describes its routes in a module of this package (``ROUTES``, and ``build(places)`` making the
records they address); tests/api/test_matrix.py asks every role on every route against one scene and
fails when a route of the API is described nowhere. A role that may use a route gets anything but a
refusal (an answer, or 400 for a body it sent wrong); a role that may not gets 401 (not signed in),
403, or 404 (a record it may not know exists). No route answers a role with a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ROLES = [
    "anonymous",
    "citizen",
    "officer_here",
    "officer_elsewhere",
    "reviewer_here",
    "doha_here",
    "doha_elsewhere",
    "leader_here",
    "commune_front_here",
    "site_admin",
    "system_here",  # an API key of the province "here" holding every scope
    "system_elsewhere",  # an API key of another province holding every scope
]
EVERYONE = frozenset(ROLES)
PEOPLE = EVERYONE - {"anonymous", "system_here", "system_elsewhere"}  # signed-in accounts
OFFICERS = frozenset({"officer_here", "site_admin"})
# Who works on the commune "here" (accounts.rules.works_on).
WORKS_ON = OFFICERS | {"reviewer_here", "doha_here", "leader_here"}
PROVINCE_STAFF = frozenset({"doha_here", "site_admin"})
SYSTEM = frozenset({"system_here"})


@dataclass(frozen=True)
class Route:
    """One route of the API. ``get``/``post``/``patch``: the roles that may; None when the route does not
    serve the method. ``kwargs`` and ``body`` take the scene's records (``places.objects``)."""

    name: str
    kwargs: Callable[[object], dict] = lambda p: {}
    get: frozenset | None = None
    post: frozenset | None = None
    patch: frozenset | None = None
    body: Callable[[object], dict] = lambda p: {}
    query: str = ""
    # Multipart instead of JSON (a route that takes files).
    multipart: bool = False

    def roles_for(self, method: str) -> frozenset | None:
        return getattr(self, method)
