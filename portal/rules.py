"""The permissions of every app, from the role predicates in accounts/rules.py."""

from __future__ import annotations

import rules

from accounts.rules import (
    has_staff_role,
    is_doha_staff_of,
    is_leader_of,
    is_officer_of,
    is_reviewer_of,
    is_site_admin,
    works_on,
)

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

# Scoring. Each official act belongs to one role: the commune fills and submits, the district reviews
# its own communes, DoHA appraises, publishes and drafts the decision, the provincial leader approves
# it. The state of the object is part of the rule, so a page never offers what the service would refuse.


def _assessment(obj):
    return getattr(obj, "assessment", obj)


@rules.predicate
def is_unlocked(user, obj) -> bool:
    return getattr(_assessment(obj), "locked_at", None) is None


def _in_status(*statuses: str):
    @rules.predicate(name=f"in_status_{'_'.join(statuses)}")
    def predicate(user, obj) -> bool:
        return getattr(_assessment(obj), "status", None) in statuses

    return predicate


@rules.predicate
def has_district(user, obj) -> bool:
    return getattr(_assessment(obj).commune, "district_id", None) is not None


@rules.predicate
def comments_open(user, obj) -> bool:
    from core import clock

    until = getattr(_assessment(obj), "comments_until", None)
    return until is not None and clock.today() <= until


@rules.predicate
def is_draft_decision(user, obj) -> bool:
    return getattr(obj, "status", "draft") == "draft"


is_draft = _in_status("draft")
is_submitted = _in_status("submitted")
is_provisional = _in_status("provisional")
is_appraisable = (_in_status("submitted") & ~has_district) | _in_status("reviewed", "appraised")

rules.add_perm("scoring.manage_criteria", is_site_admin | is_doha_staff_of)
rules.add_perm("scoring.run_cycle", is_site_admin | is_doha_staff_of)  # open assessments, compute figures
rules.add_perm("scoring.view_board", is_site_admin | is_doha_staff_of | is_leader_of | is_reviewer_of)
rules.add_perm("scoring.view_assessment", works_on)
rules.add_perm("scoring.fill_assessment", is_officer_of & is_draft & is_unlocked)
rules.add_perm("scoring.review_assessment", is_reviewer_of & is_submitted & has_district & is_unlocked)
rules.add_perm(
    "scoring.return_assessment",
    ((is_reviewer_of & is_submitted) | (is_doha_staff_of & _in_status("submitted", "reviewed"))) & is_unlocked,
)
rules.add_perm("scoring.appraise_assessment", is_doha_staff_of & is_appraisable & is_unlocked)
rules.add_perm("scoring.publish_results", is_doha_staff_of)
rules.add_perm("scoring.appeal_line", is_officer_of & is_provisional & comments_open & is_unlocked)
rules.add_perm("scoring.answer_appeal", is_doha_staff_of & is_provisional & is_unlocked)
rules.add_perm("scoring.view_decision", is_site_admin | is_doha_staff_of | is_leader_of)
rules.add_perm("scoring.draft_decision", is_doha_staff_of & is_draft_decision)
rules.add_perm("scoring.approve_decision", is_leader_of & is_draft_decision)

# Certificates: DoHA follows the batch and revokes; the leader who approved may follow it too. A
# certificate belongs to its commune's province, the decision's document to the decision's province.
rules.add_perm("scoring.view_certificates", is_site_admin | is_doha_staff_of | is_leader_of)
rules.add_perm("scoring.revoke_certificate", is_doha_staff_of)
