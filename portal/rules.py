"""The portal's own permissions, from the role predicates in accounts/rules.py; every other app
declares its permissions in its own ``rules.py``."""

from __future__ import annotations

import rules

from accounts.rules import has_staff_role, is_doha_staff_of, is_leader_of, is_site_admin, works_on
from democracy.rules import board_seats


@rules.predicate
def sits_on_a_board(user) -> bool:
    return bool(board_seats(user))


VIEW_WORKSPACE = "portal.view_workspace"
# A seat on an oversight board is not a role (any resident may be elected), but its queue is in the workspace.
rules.add_perm(VIEW_WORKSPACE, has_staff_role | sits_on_a_board)
VIEW_UNIT_WORKSPACE = "portal.view_unit_workspace"
rules.add_perm(VIEW_UNIT_WORKSPACE, works_on)

# The dashboards: the province's staff version (results not yet public, satisfaction on few answers) is
# DoHA's and the leader's; a commune's is for whoever works on it. The public versions need nothing.
VIEW_PROVINCE_DASHBOARD = "portal.view_province_dashboard"
rules.add_perm(VIEW_PROVINCE_DASHBOARD, is_site_admin | is_doha_staff_of | is_leader_of)
VIEW_COMMUNE_DASHBOARD = "portal.view_commune_dashboard"
rules.add_perm(VIEW_COMMUNE_DASHBOARD, works_on)
