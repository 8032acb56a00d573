"""The democracy app's permissions (Law 10/2022/QH15), from the role predicates in accounts/rules.py.

Objects carry their place: a village, a household, a convention or a village decision belongs to a
village (``village_id``) and, through it, to a commune; a matter belongs to a commune and, unless it is
commune-wide, to a village. Households' names and addresses are personal data: the village's head and
Front work committee and the commune's officers see them, no one else.
"""

from __future__ import annotations

import rules

from accounts.rules import (
    is_doha_staff_of,
    is_front_of,
    is_leader_of,
    is_officer_of,
    is_site_admin,
    is_village_front_of,
    is_village_head_of,
    works_on,
)
from accounts.selectors import user_scope

# Who reads a commune's democracy records in the back office: whoever works on the commune, and its
# Fatherland Front committee, which supervises them (art. 5, 39).
follows_commune = works_on | is_front_of

# The commune's list of villages and residential groups (typed or imported).
MANAGE_VILLAGES = "democracy.manage_villages"
rules.add_perm(MANAGE_VILLAGES, is_site_admin | is_officer_of)

# A village's back-office page: its households, matters, conventions. Followed from above too.
FOLLOW_VILLAGE = "democracy.follow_village"
rules.add_perm(FOLLOW_VILLAGE, follows_commune | is_village_head_of | is_village_front_of)

# The list of households with names and addresses (personal data).
VIEW_HOUSEHOLDS = "democracy.view_households"
rules.add_perm(VIEW_HOUSEHOLDS, is_site_admin | is_officer_of | is_village_head_of | is_village_front_of)
KEEP_HOUSEHOLDS = "democracy.keep_households"
rules.add_perm(KEEP_HOUSEHOLDS, is_site_admin | is_officer_of | is_village_head_of)

# Proposing a matter: on a commune (commune-wide, by the chairman through the officers) or on a village
# (the village head, or the officers typing in the chairman's or the residents' proposal).
PROPOSE_MATTER = "democracy.propose_matter"
rules.add_perm(PROPOSE_MATTER, is_site_admin | is_officer_of | is_village_head_of)

# Running a village's deciding: opening, recording the meeting, printing and entering ballots, counting,
# sending the result. On a matter (its own village's head) or on one village decision.
RUN_DECISION = "democracy.run_decision"
rules.add_perm(RUN_DECISION, is_site_admin | is_officer_of | is_village_head_of)

# The village Front work committee co-signs its village's result (art. 20(2)(g)).
COSIGN_DECISION = "democracy.cosign_decision"
rules.add_perm(COSIGN_DECISION, is_site_admin | is_village_front_of)


@rules.predicate
def decides_in_a_village_of(user, matter) -> bool:
    """A village head or Front member of one of the villages deciding ``matter``: a commune-wide matter
    belongs to no village, so they reach it through their own village's decision (one query)."""
    villages = set().union(*user_scope(user).village_roles.values())
    return bool(villages) and matter.decisions.filter(village_id__in=villages).exists()


# The back-office page of a matter: who runs or co-signs it, or any of its village decisions.
FOLLOW_MATTER = "democracy.follow_matter"
rules.add_perm(
    FOLLOW_MATTER,
    is_site_admin | is_officer_of | is_front_of | is_village_head_of | is_village_front_of | decides_in_a_village_of,
)

# The commune (its chairman, through the officers) recognises or refuses a result (art. 20).
RECOGNISE_MATTER = "democracy.recognise_matter"
rules.add_perm(RECOGNISE_MATTER, is_site_admin | is_officer_of)

# Village conventions: the head keeps drafts and adopted texts, the commune records their recognition.
KEEP_CONVENTIONS = "democracy.keep_conventions"
rules.add_perm(KEEP_CONVENTIONS, is_site_admin | is_officer_of | is_village_head_of)
RECOGNISE_CONVENTION = "democracy.recognise_convention"
rules.add_perm(RECOGNISE_CONVENTION, is_site_admin | is_officer_of)

# The back-office list of a commune's matters, consultations, conferences and recommendations.
FOLLOW_DEMOCRACY = "democracy.follow_democracy"
rules.add_perm(FOLLOW_DEMOCRACY, follows_commune)

# Carrying a decided matter out, step by step, in public (art. 30(1)): the commune and the village head.
RECORD_EXECUTION = "democracy.record_execution"
rules.add_perm(RECORD_EXECUTION, is_site_admin | is_officer_of | is_village_head_of)

# Consultations (art. 25–29): the commune plans them, types in the comments received on paper, moderates,
# answers and publishes the synthesis. Residents comment on the public page, signed in.
MANAGE_CONSULTATIONS = "democracy.manage_consultations"
rules.add_perm(MANAGE_CONSULTATIONS, is_site_admin | is_officer_of)

# Dialogue conferences (art. 32): the commune schedules them, moderates and answers the questions.
MANAGE_CONFERENCES = "democracy.manage_conferences"
rules.add_perm(MANAGE_CONFERENCES, is_site_admin | is_officer_of)


def board_seats(user) -> frozenset[int]:
    """The boards the user sits on today (one query per request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_democracy_board_seats", None)
    if cached is None:
        from democracy.models import BoardMember

        cached = frozenset(
            BoardMember.objects.filter(account=user, left_on__isnull=True).values_list("board_id", flat=True)
        )
        user._democracy_board_seats = cached
    return cached


def board_of(obj) -> int | None:
    if getattr(getattr(obj, "_meta", None), "label", None) == "democracy.Board":
        return obj.pk
    return getattr(obj, "board_id", None)


@rules.predicate
def sits_on_board(user, obj) -> bool:
    board_id = board_of(obj)
    return board_id is not None and board_id in board_seats(user)


# The boards' members and terms: the Front committee organises their election and recognises it (art.
# 40(4)); the officers may type them in too.
MANAGE_BOARDS = "democracy.manage_boards"
rules.add_perm(MANAGE_BOARDS, is_site_admin | is_officer_of | is_front_of)

# A board's own queue: residents' reports, its plans and reports, its recommendations. Its members, and
# the Front committee that directs it (art. 39).
WORK_AS_BOARD = "democracy.work_as_board"
rules.add_perm(WORK_AS_BOARD, is_site_admin | sits_on_board | is_front_of)

# The commune answers the boards' recommendations (art. 40: within 15 days).
ANSWER_RECOMMENDATION = "democracy.answer_recommendation"
rules.add_perm(ANSWER_RECOMMENDATION, is_site_admin | is_officer_of)

# Recommendations the commune has not answered in time reach the province's Department of Home Affairs.
VIEW_OVERDUE_RECOMMENDATIONS = "democracy.view_overdue_recommendations"
rules.add_perm(VIEW_OVERDUE_RECOMMENDATIONS, is_site_admin | is_doha_staff_of | is_leader_of)

# The commune Front committee's supervision notes: it files them; the commune and those above read them.
FILE_SUPERVISION_NOTE = "democracy.file_supervision_note"
rules.add_perm(FILE_SUPERVISION_NOTE, is_site_admin | is_front_of)
