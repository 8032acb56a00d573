"""Role predicates shared by every app, and the portal's own permissions.

A predicate takes the user and, for object permissions, any object that is a place (province,
district, commune) or belongs to one through a ``commune`` attribute. Apps declare their permissions in
their own ``rules.py`` from these predicates.
"""

from __future__ import annotations

import rules

from communes.models import Commune, District, Province
from portal.models import Role
from portal.selectors import user_scope


def place_of(obj) -> tuple[int | None, int | None, int | None]:
    """(province_id, district_id, commune_id) of a place or of an object that belongs to a commune or,
    failing that, to a province."""
    if isinstance(obj, Commune):
        return obj.province_id, obj.district_id, obj.pk
    if isinstance(obj, District):
        return obj.province_id, obj.pk, None
    if isinstance(obj, Province):
        return obj.pk, None, None
    commune = getattr(obj, "commune", None)
    if commune is not None:
        return place_of(commune)
    province = getattr(obj, "province", None)  # e.g. a survey campaign
    if isinstance(province, Province):
        return province.pk, None, None
    return None, None, None


@rules.predicate
def is_site_admin(user) -> bool:
    return user_scope(user).is_admin


@rules.predicate
def has_staff_role(user) -> bool:
    return user_scope(user).is_staff_role


@rules.predicate
def is_officer_of(user, obj) -> bool:
    commune_id = place_of(obj)[2]
    return commune_id is not None and commune_id in user_scope(user).officer_communes


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


# Anyone with a role over a place may follow it; writing permissions come with the features that write.
works_on = is_site_admin | is_officer_of | is_reviewer_of | is_doha_staff_of | is_leader_of

rules.add_perm("portal.view_workspace", has_staff_role)
rules.add_perm("portal.view_unit_workspace", works_on)

# Communes: a commune's officers keep its one-stop-shop records; everyone who works on it sees their history.
rules.add_perm("communes.manage_commune", is_site_admin | is_officer_of)
rules.add_perm("communes.view_commune_history", works_on)

# Feedback. Contact details and the original of a redacted text are personal data: only the officers
# of the commune concerned and the reviewers above it see them.
rules.add_perm("feedback.work_feedback", is_site_admin | is_officer_of)
rules.add_perm("feedback.view_feedback_private", works_on)
# The submitter's name, phone, e-mail and exact position: the commune's own officers only (DESIGN.md).
rules.add_perm("feedback.view_contact", is_site_admin | is_officer_of)
rules.add_perm("feedback.view_original", is_site_admin | is_doha_staff_of | is_officer_of)
rules.add_perm("feedback.view_overdue", has_staff_role)
rules.add_perm("feedback.manage_categories", is_site_admin | is_doha_staff_of)
# The province's procedure catalogue and code of conduct: its Department of Home Affairs.
rules.add_perm("communes.manage_catalogue", is_site_admin | is_doha_staff_of)

# Surveys. Responses are anonymous but their raw rows, free-text comments and quality review are
# DoHA's: a commune sees its statistics and only the comments DoHA has redacted.
rules.add_perm("surveys.manage_campaigns", is_site_admin | is_doha_staff_of)
rules.add_perm("surveys.view_responses", is_site_admin | is_doha_staff_of)
rules.add_perm("surveys.review_responses", is_site_admin | is_doha_staff_of)
rules.add_perm("surveys.issue_codes", is_site_admin | is_officer_of)
rules.add_perm("surveys.manage_kiosks", is_site_admin | is_officer_of)
rules.add_perm("surveys.view_results", works_on)
