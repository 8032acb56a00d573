"""Role predicates every app builds its permissions from.

A predicate takes the user and, for object permissions, any object that is a place (province,
district, commune) or belongs to one through a ``commune`` attribute. Apps declare their permissions in
their own ``rules.py`` from these predicates.
"""

from __future__ import annotations

import rules

from accounts.models import Role
from accounts.selectors import user_scope


def place_of(obj) -> tuple[int | None, int | None, int | None]:
    """(province_id, district_id, commune_id) of a place or of an object that belongs to a commune or,
    failing that, to a province."""
    # Places are told apart by their model's label: accounts sits below the communes app.
    label = getattr(getattr(obj, "_meta", None), "label", None)
    if label == "communes.Village":
        return place_of(obj.commune)
    if label == "communes.Commune":
        return obj.province_id, obj.district_id, obj.pk
    if label == "communes.District":
        return obj.province_id, obj.pk, None
    if label == "communes.Province":
        return obj.pk, None, None
    commune = getattr(obj, "commune", None)
    if commune is not None:
        return place_of(commune)
    province = getattr(obj, "province", None)  # e.g. a survey campaign
    if getattr(getattr(province, "_meta", None), "label", None) == "communes.Province":
        return province.pk, None, None
    return None, None, None


@rules.predicate
def is_site_admin(user) -> bool:
    return user_scope(user).is_admin


@rules.predicate
def has_staff_role(user) -> bool:
    return user_scope(user).is_staff_role


@rules.predicate
def has_government_role(user) -> bool:
    return user_scope(user).is_government_role


@rules.predicate
def is_officer_of(user, obj) -> bool:
    commune_id = place_of(obj)[2]
    return commune_id is not None and commune_id in user_scope(user).officer_communes


@rules.predicate
def is_front_of(user, obj) -> bool:
    """On the commune's Fatherland Front committee (not an administration role: it supervises)."""
    commune_id = place_of(obj)[2]
    return commune_id is not None and commune_id in user_scope(user).front_communes


@rules.predicate
def is_reviewer_of(user, obj) -> bool:
    district_id = place_of(obj)[1]
    return district_id is not None and district_id in user_scope(user).reviewer_districts


@rules.predicate
def is_doha_staff_of(user, obj) -> bool:
    return place_of(obj)[0] in user_scope(user).province_roles.get(Role.DOHA_STAFF, frozenset())


@rules.predicate
def is_leader_of(user, obj) -> bool:
    return place_of(obj)[0] in user_scope(user).province_roles.get(Role.PROVINCIAL_LEADER, frozenset())


def village_of(obj) -> int | None:
    """The id of the village ``obj`` is or belongs to (through ``village_id``), if any."""
    if getattr(getattr(obj, "_meta", None), "label", None) == "communes.Village":
        return obj.pk
    return getattr(obj, "village_id", None)


@rules.predicate
def is_village_head_of(user, obj) -> bool:
    village_id = village_of(obj)
    return village_id is not None and village_id in user_scope(user).village_roles.get(Role.VILLAGE_HEAD, ())


@rules.predicate
def is_village_front_of(user, obj) -> bool:
    village_id = village_of(obj)
    return village_id is not None and village_id in user_scope(user).village_roles.get(Role.VILLAGE_FRONT, ())


# Anyone with a role over a place may follow it; writing permissions come with the features that write.
works_on = is_site_admin | is_officer_of | is_reviewer_of | is_doha_staff_of | is_leader_of

# Keys for the province's systems (accounts.api_keys): issued and revoked by its DoHA.
MANAGE_API_KEYS = "accounts.manage_api_keys"
rules.add_perm(MANAGE_API_KEYS, is_site_admin | is_doha_staff_of)
