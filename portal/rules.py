"""The portal's own permissions, from the role predicates in accounts/rules.py; every other app
declares its permissions in its own ``rules.py``."""

from __future__ import annotations

import rules

from accounts.rules import has_staff_role, works_on

VIEW_WORKSPACE = "portal.view_workspace"
rules.add_perm(VIEW_WORKSPACE, has_staff_role)
VIEW_UNIT_WORKSPACE = "portal.view_unit_workspace"
rules.add_perm(VIEW_UNIT_WORKSPACE, works_on)
