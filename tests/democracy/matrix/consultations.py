"""The permission matrix's rows for this feature's routes (see tests/democracy/matrix/__init__.py)."""

ALLOWED: dict[str, set[str]] = {}
POST_ALLOWED: dict[str, set[str]] = {}
PUBLIC: set[str] = set()
OWN_RULES: set[str] = set()
PREFIXES: list[tuple[str, str]] = []


def build(places, officer) -> dict:
    return {}
