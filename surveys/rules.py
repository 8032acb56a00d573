"""The surveys app's permissions, from the role predicates in accounts/rules.py. Views, templates'
flags and tests use the names exported here.

Responses are anonymous but their raw rows, free-text comments and quality review are DoHA's: a
commune sees its statistics and only the comments DoHA has redacted.
"""

from __future__ import annotations

import rules

from accounts.rules import is_doha_staff_of, is_officer_of, is_site_admin, works_on

MANAGE_CAMPAIGNS = "surveys.manage_campaigns"
rules.add_perm(MANAGE_CAMPAIGNS, is_site_admin | is_doha_staff_of)
VIEW_RESPONSES = "surveys.view_responses"
rules.add_perm(VIEW_RESPONSES, is_site_admin | is_doha_staff_of)
REVIEW_RESPONSES = "surveys.review_responses"
rules.add_perm(REVIEW_RESPONSES, is_site_admin | is_doha_staff_of)
ISSUE_CODES = "surveys.issue_codes"
rules.add_perm(ISSUE_CODES, is_site_admin | is_officer_of)
MANAGE_KIOSKS = "surveys.manage_kiosks"
rules.add_perm(MANAGE_KIOSKS, is_site_admin | is_officer_of)
VIEW_RESULTS = "surveys.view_results"
rules.add_perm(VIEW_RESULTS, works_on)
