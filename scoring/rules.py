"""The scoring app's permissions, from the role predicates in accounts/rules.py. Views, templates'
flags and tests use the names exported here.

Each official act belongs to one role: the commune fills and submits, the district reviews its own
communes, DoHA appraises, publishes and drafts the decision, the records office numbers it, the
provincial leader approves it. The
state of the object is part of the rule, so a page never offers what the service would refuse.
"""

from __future__ import annotations

import rules

from accounts.rules import is_doha_staff_of, is_leader_of, is_officer_of, is_reviewer_of, is_site_admin, works_on
from core import clock
from scoring.models import Decision, Status


def _assessment(obj):
    # An appeal is judged by its assessment.
    return getattr(obj, "assessment", obj)


@rules.predicate
def is_unlocked(user, obj) -> bool:
    return getattr(_assessment(obj), "locked_at", None) is None


def _in_status(*statuses: Status):
    @rules.predicate(name=f"in_status_{'_'.join(statuses)}")
    def predicate(user, obj) -> bool:
        return getattr(_assessment(obj), "status", None) in statuses

    return predicate


@rules.predicate
def has_district(user, obj) -> bool:
    return getattr(_assessment(obj), "has_district_review", False)


@rules.predicate
def is_appraisable(user, obj) -> bool:
    return getattr(_assessment(obj), "is_appraisable", False)


@rules.predicate
def comments_open(user, obj) -> bool:
    open_for_comments = getattr(_assessment(obj), "open_for_comments", None)
    return open_for_comments is not None and open_for_comments(clock.today())


@rules.predicate
def is_draft_decision(user, obj) -> bool:
    # A province, before any decision exists, is as good as a draft.
    return getattr(obj, "status", Decision.Status.DRAFT) == Decision.Status.DRAFT


@rules.predicate
def is_issued_decision(user, obj) -> bool:
    """Numbered and dated, not approved yet: what the leader approves."""
    return getattr(obj, "status", None) == Decision.Status.ISSUED


@rules.predicate
def is_unapproved_decision(user, obj) -> bool:
    return getattr(obj, "status", None) in (Decision.Status.DRAFT, Decision.Status.ISSUED)


@rules.predicate
def has_number(user, obj) -> bool:
    return getattr(obj, "status", None) in (Decision.Status.ISSUED, Decision.Status.APPROVED)


is_draft = _in_status(Status.DRAFT)
is_submitted = _in_status(Status.SUBMITTED)
is_provisional = _in_status(Status.PROVISIONAL)

MANAGE_CRITERIA = "scoring.manage_criteria"
rules.add_perm(MANAGE_CRITERIA, is_site_admin | is_doha_staff_of)
RUN_CYCLE = "scoring.run_cycle"  # open assessments, compute figures
rules.add_perm(RUN_CYCLE, is_site_admin | is_doha_staff_of)
VIEW_BOARD = "scoring.view_board"
rules.add_perm(VIEW_BOARD, is_site_admin | is_doha_staff_of | is_leader_of | is_reviewer_of)
VIEW_ASSESSMENT = "scoring.view_assessment"
rules.add_perm(VIEW_ASSESSMENT, works_on)
FILL_ASSESSMENT = "scoring.fill_assessment"
rules.add_perm(FILL_ASSESSMENT, is_officer_of & is_draft & is_unlocked)
REVIEW_ASSESSMENT = "scoring.review_assessment"
rules.add_perm(REVIEW_ASSESSMENT, is_reviewer_of & is_submitted & has_district & is_unlocked)
RETURN_ASSESSMENT = "scoring.return_assessment"
rules.add_perm(
    RETURN_ASSESSMENT,
    ((is_reviewer_of & is_submitted) | (is_doha_staff_of & _in_status(Status.SUBMITTED, Status.REVIEWED)))
    & is_unlocked,
)
APPRAISE_ASSESSMENT = "scoring.appraise_assessment"
rules.add_perm(APPRAISE_ASSESSMENT, is_doha_staff_of & is_appraisable & is_unlocked)
PUBLISH_RESULTS = "scoring.publish_results"
rules.add_perm(PUBLISH_RESULTS, is_doha_staff_of)
# Ending the comment period before its date is DoHA's official act too, on the province's board; the
# service checks the cycle's state (every appeal answered, or a written reason).
CLOSE_COMMENTS = "scoring.close_comments"
rules.add_perm(CLOSE_COMMENTS, is_doha_staff_of)
APPEAL_LINE = "scoring.appeal_line"
rules.add_perm(APPEAL_LINE, is_officer_of & is_provisional & comments_open & is_unlocked)
ANSWER_APPEAL = "scoring.answer_appeal"
rules.add_perm(ANSWER_APPEAL, is_doha_staff_of & is_provisional & is_unlocked)
VIEW_DECISION = "scoring.view_decision"
rules.add_perm(VIEW_DECISION, is_site_admin | is_doha_staff_of | is_leader_of)
DRAFT_DECISION = "scoring.draft_decision"
rules.add_perm(DRAFT_DECISION, is_doha_staff_of & is_draft_decision)
# The records office (văn thư of the People's Committee's office) numbers and dates the decision. It has
# no role of its own on the portal: DoHA staff, who receive the number from the e-office system, or the
# leader's office record it; until the leader approves, a wrong number or date may be corrected.
ISSUE_DECISION = "scoring.issue_decision"
rules.add_perm(ISSUE_DECISION, (is_doha_staff_of | is_leader_of) & is_unapproved_decision)
APPROVE_DECISION = "scoring.approve_decision"
rules.add_perm(APPROVE_DECISION, is_leader_of & is_issued_decision)
# The decision signed in the e-office system, uploaded back once it has its number (before or after the
# approval), by the same people as the issue.
UPLOAD_SIGNED_DECISION = "scoring.upload_signed_decision"
rules.add_perm(UPLOAD_SIGNED_DECISION, (is_doha_staff_of | is_leader_of) & has_number)

# Certificates: DoHA follows the batch and revokes; the leader who approved may follow it too. A
# certificate belongs to its commune's province, the decision's document to the decision's province.
VIEW_CERTIFICATES = "scoring.view_certificates"
rules.add_perm(VIEW_CERTIFICATES, is_site_admin | is_doha_staff_of | is_leader_of)
REVOKE_CERTIFICATE = "scoring.revoke_certificate"
rules.add_perm(REVOKE_CERTIFICATE, is_doha_staff_of)
