"""The communes app's permissions, from the role predicates in accounts/rules.py. Views, templates'
flags and tests use the names exported here."""

from __future__ import annotations

import rules

from accounts.rules import is_doha_staff_of, is_officer_of, is_site_admin, works_on

# A commune's officers keep its one-stop-shop records; everyone who works on it sees their history.
MANAGE_COMMUNE = "communes.manage_commune"
rules.add_perm(MANAGE_COMMUNE, is_site_admin | is_officer_of)
VIEW_COMMUNE_HISTORY = "communes.view_commune_history"
rules.add_perm(VIEW_COMMUNE_HISTORY, works_on)

# The province's procedure catalogue and code of conduct: its Department of Home Affairs.
MANAGE_CATALOGUE = "communes.manage_catalogue"
rules.add_perm(MANAGE_CATALOGUE, is_site_admin | is_doha_staff_of)
