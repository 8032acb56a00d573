"""Every role against every scoring permission, in every state of the cycle that changes the answer.

The places are those of the portal's permission matrix (tests/portal/test_permissions.py): the
assessment of the pre-2025 commune, which has a district; the assessment of today's ward that took it
over, which has none; their provinces, the district, a criteria set and decisions. DoHA and the
officers of today's province and ward hold their roles over the units they replaced too; a role over
a pre-2025 unit does not reach the unit that replaced it.

The rules read the state from the object, so each state is the same assessment with its status,
comment period and lock set in memory (the services that move an assessment through the cycle are
tested in test_compute and test_decisions). A table cell lists the roles that hold the permission;
a state or object left out of a row means nobody. ``user.has_perm`` is asked, as the views ask it: the
site administrator too gets only what the rules give.
"""

from __future__ import annotations

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core import clock
from scoring.models import Assessment, Certificate, Decision, Status
from scoring.rules import (
    ANSWER_APPEAL,
    APPEAL_LINE,
    APPRAISE_ASSESSMENT,
    APPROVE_DECISION,
    CLOSE_COMMENTS,
    DRAFT_DECISION,
    FILL_ASSESSMENT,
    ISSUE_DECISION,
    MANAGE_CRITERIA,
    PUBLISH_RESULTS,
    RETURN_ASSESSMENT,
    REVIEW_ASSESSMENT,
    REVOKE_CERTIFICATE,
    RUN_CYCLE,
    UPLOAD_SIGNED_DECISION,
    VIEW_ASSESSMENT,
    VIEW_BOARD,
    VIEW_CERTIFICATES,
    VIEW_DECISION,
)
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture
from tests.scoring.factories import open_assessment, published_set

pytestmark = pytest.mark.django_db

ADMIN = {"site_admin"}
OFFICERS = {"officer_here", "officer_of_successor"}
REVIEWER = {"reviewer_here"}
DOHA = {"doha_here", "doha_of_successor"}
LEADER = {"leader_here"}
WORKS_ON = ADMIN | OFFICERS | REVIEWER | DOHA | LEADER
NOBODY: set[str] = set()

# The pre-2025 commune's assessment (with a district), state by state.
STATES = ["draft", "submitted", "reviewed", "appraised", "provisional", "comments_over", "final", "locked"]
ASSESSMENT = {
    VIEW_ASSESSMENT: dict.fromkeys(STATES, WORKS_ON),
    # The commune changes its self-assessment only as a draft: never once submitted, appraised or locked.
    FILL_ASSESSMENT: {"draft": OFFICERS},
    # The district reviews its own communes' submissions; DoHA may also send one back before appraising.
    REVIEW_ASSESSMENT: {"submitted": REVIEWER},
    RETURN_ASSESSMENT: {"submitted": REVIEWER | DOHA, "reviewed": DOHA},
    # DoHA appraises after the district's review, and may appraise again until it publishes.
    APPRAISE_ASSESSMENT: {"reviewed": DOHA, "appraised": DOHA},
    # Appeals while the comment period runs; DoHA answers those filed until the results are final.
    APPEAL_LINE: {"provisional": OFFICERS},
    ANSWER_APPEAL: {"provisional": DOHA, "comments_over": DOHA},
}

# Today's ward (no district): its officers and its province's DoHA; the pre-2025 roles do not reach it.
NEW_OFFICER, NEW_DOHA = {"officer_of_successor"}, {"doha_of_successor"}
NO_DISTRICT_STATES = ["draft", "submitted", "appraised", "provisional", "locked"]
NO_DISTRICT = {
    VIEW_ASSESSMENT: dict.fromkeys(NO_DISTRICT_STATES, ADMIN | NEW_OFFICER | NEW_DOHA),
    FILL_ASSESSMENT: {"draft": NEW_OFFICER},
    REVIEW_ASSESSMENT: {},  # no district, no review: the submission goes to DoHA
    RETURN_ASSESSMENT: {"submitted": NEW_DOHA},
    APPRAISE_ASSESSMENT: {"submitted": NEW_DOHA, "appraised": NEW_DOHA},
    APPEAL_LINE: {"provisional": NEW_OFFICER},
    ANSWER_APPEAL: {"provisional": NEW_DOHA},
}

# The pre-2025 province's own objects; each permission is checked on the objects its pages check it on.
PLACES = {
    MANAGE_CRITERIA: {"province": ADMIN | DOHA, "criteria_set": ADMIN | DOHA},
    RUN_CYCLE: {"province": ADMIN | DOHA},
    PUBLISH_RESULTS: {"province": DOHA},
    CLOSE_COMMENTS: {"province": DOHA},
    VIEW_BOARD: {"province": ADMIN | DOHA | LEADER, "district": ADMIN | DOHA | LEADER | REVIEWER},
    VIEW_DECISION: dict.fromkeys(
        ["province", "draft_decision", "issued_decision", "approved_decision"], ADMIN | DOHA | LEADER
    ),
    # DoHA drafts; the records office (DoHA or the leader's office) numbers and dates it, and may correct
    # that until the approval; only the provincial leader approves, an issued decision; an approved
    # decision is changed by nobody.
    DRAFT_DECISION: {"province": DOHA, "draft_decision": DOHA, "issued_decision": NOBODY, "approved_decision": NOBODY},
    ISSUE_DECISION: {
        "draft_decision": DOHA | LEADER,
        "issued_decision": DOHA | LEADER,
        "approved_decision": NOBODY,
    },
    APPROVE_DECISION: {"draft_decision": NOBODY, "issued_decision": LEADER, "approved_decision": NOBODY},
    # The copy signed in the e-office system comes back once the decision has its number.
    UPLOAD_SIGNED_DECISION: {
        "draft_decision": NOBODY,
        "issued_decision": DOHA | LEADER,
        "approved_decision": DOHA | LEADER,
    },
    # The signed documents: DoHA and the leader follow the batch; only DoHA revokes a certificate.
    VIEW_CERTIFICATES: {"approved_decision": ADMIN | DOHA | LEADER},
    REVOKE_CERTIFICATE: {"certificate": DOHA},
}


def in_state(assessment: Assessment, state: str) -> Assessment:
    today = clock.today()
    yesterday = today - datetime.timedelta(days=1)
    status, comments_until, locked = {
        "draft": (Status.DRAFT, None, False),
        "submitted": (Status.SUBMITTED, None, False),
        "reviewed": (Status.REVIEWED, None, False),
        "appraised": (Status.APPRAISED, None, False),
        "provisional": (Status.PROVISIONAL, today, False),  # the last day of the comment period
        "comments_over": (Status.PROVISIONAL, yesterday, False),
        "final": (Status.FINAL, yesterday, False),
        "locked": (Status.FINAL, yesterday, True),
    }[state]
    copy = Assessment.objects.select_related("commune__district", "commune__province", "criteria_set").get(
        pk=assessment.pk
    )
    copy.status, copy.comments_until = status, comments_until
    copy.locked_at = timezone.now() if locked else None
    return copy


@pytest.fixture
def objects(places):  # noqa: F811 - the fixture imported above
    criteria_set = published_set(places.province)
    draft = Decision(province=places.province, year=2025, status=Decision.Status.DRAFT)
    issued = Decision(province=places.province, year=2025, number="1/QĐ-UBND", status=Decision.Status.ISSUED)
    approved = Decision(province=places.province, year=2025, number="2/QĐ-UBND", status=Decision.Status.APPROVED)
    return {
        "assessment": open_assessment(places.commune, criteria_set),
        "no_district": open_assessment(places.new_commune),
        "province": places.province,
        "district": places.district,
        "criteria_set": criteria_set,
        "draft_decision": draft,
        "issued_decision": issued,
        "approved_decision": approved,
        "certificate": Certificate(kind=Certificate.Kind.DECISION, decision=approved, serial="2025-TEST", year=2025),
    }


def differences(user, role: str, table: dict, objects_by_column: dict, *, every_column: bool) -> list[tuple]:
    """(permission, column, what the table says) wherever the rules answer otherwise; with
    ``every_column`` a column left out of a row is checked too, as nobody's."""
    found = []
    for perm, allowed in table.items():
        for column in objects_by_column if every_column else allowed:
            obj = objects_by_column[column]
            expected = role in allowed.get(column, NOBODY)
            if user.has_perm(perm, obj) != expected:
                found.append((perm, column, "expected" if expected else "refused"))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_role_holds_exactly_the_scoring_permissions_of_the_matrix(places, objects, role):  # noqa: F811
    user = make_user(role, places) or AnonymousUser()

    states = {state: in_state(objects["assessment"], state) for state in STATES}
    wrong = differences(user, role, ASSESSMENT, states, every_column=True)
    states = {state: in_state(objects["no_district"], state) for state in NO_DISTRICT_STATES}
    wrong += differences(user, role, NO_DISTRICT, states, every_column=True)
    wrong += differences(user, role, PLACES, objects, every_column=False)

    assert wrong == []


def test_the_matrix_covers_every_scoring_permission():
    declared = {name for name in rules.permissions.permissions if name.startswith("scoring.")}

    assert set(ASSESSMENT) | set(PLACES) == declared
    assert set(NO_DISTRICT) == set(ASSESSMENT)
