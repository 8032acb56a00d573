"""The roles of the democracy permission matrix and the sets of them the rules name."""

ROLES = [
    "anonymous",
    "citizen",
    "officer_here",
    "officer_elsewhere",
    "reviewer_here",
    "doha_here",
    "head_here",
    "head_other",
    "front_here",
    "front_other",
    "commune_front_here",
    "commune_front_elsewhere",
    "board_here",
    "site_admin",
]

OFFICERS = {"officer_here", "site_admin"}
# Who works on the commune (democracy.rules.works_on) or supervises it (the commune Front committee).
COMMUNE_FOLLOWERS = OFFICERS | {"reviewer_here", "doha_here", "commune_front_here"}
FOLLOWERS = COMMUNE_FOLLOWERS | {"head_here", "front_here"}
HOUSEHOLD_READERS = OFFICERS | {"head_here", "front_here"}
KEEPERS = OFFICERS | {"head_here"}
COSIGNERS = {"front_here", "site_admin"}
COMMUNE_FRONT = {"commune_front_here", "site_admin"}
BOARD = {"board_here", "commune_front_here", "site_admin"}  # democracy.rules.WORK_AS_BOARD
PROVINCE = {"doha_here", "site_admin"}  # the province's Department of Home Affairs (and its leader)
EVERYONE = set(ROLES)
