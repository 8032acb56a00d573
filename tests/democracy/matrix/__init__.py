"""The democracy permission matrix's roles, and its feature modules.

``tests/democracy/test_permissions.py`` runs every role against every route. Each feature module here
declares its routes' rows: ``ALLOWED`` (route name → roles that may use it), ``POST_ALLOWED`` (where a
POST needs other roles than the GET), ``PUBLIC`` (routes anyone may open), ``OWN_RULES`` (routes whose
answer depends on their own data, tested elsewhere), ``PREFIXES`` ((route prefix, parameter name) pairs:
a route starting with the prefix takes the pk of ``places.objects[name]``) and ``build(places, officer)``,
which makes its records in the scene's commune (``places.commune``, village ``places.village``, the
inspection board ``places.board``) and returns them by parameter name.
"""

from tests.democracy.matrix import conferences, consultations, execution, oversight
from tests.democracy.matrix.roles import (
    BOARD,
    COMMUNE_FOLLOWERS,
    COMMUNE_FRONT,
    COSIGNERS,
    EVERYONE,
    FOLLOWERS,
    HOUSEHOLD_READERS,
    KEEPERS,
    OFFICERS,
    PROVINCE,
    ROLES,
)

FEATURES = [consultations, conferences, oversight, execution]

__all__ = [
    "BOARD",
    "COMMUNE_FOLLOWERS",
    "COMMUNE_FRONT",
    "COSIGNERS",
    "EVERYONE",
    "FEATURES",
    "FOLLOWERS",
    "HOUSEHOLD_READERS",
    "KEEPERS",
    "OFFICERS",
    "PROVINCE",
    "ROLES",
]
