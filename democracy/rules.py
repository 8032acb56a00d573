"""The democracy app's permissions (Law 10/2022/QH15), from the role predicates in accounts/rules.py.

Objects carry their place: a village, a household, a convention or a village decision belongs to a
village (``village_id``) and, through it, to a commune; a matter belongs to a commune and, unless it is
commune-wide, to a village. Households' names and addresses are personal data: the village's head and
Front work committee and the commune's officers see them, no one else.
"""

from __future__ import annotations

import rules

from accounts.rules import is_officer_of, is_site_admin, is_village_front_of, is_village_head_of, works_on
from accounts.selectors import user_scope

# The commune's list of villages and residential groups (typed or imported).
MANAGE_VILLAGES = "democracy.manage_villages"
rules.add_perm(MANAGE_VILLAGES, is_site_admin | is_officer_of)

# A village's back-office page: its households, matters, conventions. Followed from above too.
FOLLOW_VILLAGE = "democracy.follow_village"
rules.add_perm(FOLLOW_VILLAGE, works_on | is_village_head_of | is_village_front_of)

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
    FOLLOW_MATTER, is_site_admin | is_officer_of | is_village_head_of | is_village_front_of | decides_in_a_village_of
)

# The commune (its chairman, through the officers) recognises or refuses a result (art. 20).
RECOGNISE_MATTER = "democracy.recognise_matter"
rules.add_perm(RECOGNISE_MATTER, is_site_admin | is_officer_of)

# Village conventions: the head keeps drafts and adopted texts, the commune records their recognition.
KEEP_CONVENTIONS = "democracy.keep_conventions"
rules.add_perm(KEEP_CONVENTIONS, is_site_admin | is_officer_of | is_village_head_of)
RECOGNISE_CONVENTION = "democracy.recognise_convention"
rules.add_perm(RECOGNISE_CONVENTION, is_site_admin | is_officer_of)
