"""The law's arithmetic, computed by the portal and never typed: which form a matter may take, when a
meeting may decide, and when a decision passes. Integers only, so 2/3 and "over half" are exact.

Sources (Law 10/2022/QH15 on grassroots democracy, in force from 1 July 2023):
- art. 17(2): items 3–5 of art. 15 are decided at a community meeting, household ballots only in the
  cases of art. 19(1) (we allow them once a meeting failed its quorum); online votes only for item 6;
- art. 21(1): items 1–2 pass with at least two thirds of all the village's household representatives,
  commune-wide with at least two thirds of the villages; items 3–6 with more than half of them;
- the meeting's quorum, more than half of the households represented, is the rule of Ordinance
  34/2007/PL-UBTVQH11 art. 13 carried into Decree 59/2023/NĐ-CP on the community meeting: one constant
  here, to be checked against the province's own democracy rules (quy chế dân chủ).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from democracy.models import Category, Form

TWO_THIRDS_ITEMS = {Category.CONTRIBUTIONS, Category.COMMUNITY_FUNDS}
MEETING_ONLY_ITEMS = {Category.CONVENTION, Category.VILLAGE_HEAD, Category.BOARDS}


def forms_allowed(category: int, *, meeting_failed: bool = False) -> list[str]:
    """The forms the law allows for a kind of matter; after a meeting without quorum, ballots too."""
    if category in MEETING_ONLY_ITEMS:
        return [Form.MEETING, Form.BALLOT] if meeting_failed else [Form.MEETING]
    if category == Category.SELF_MANAGED:
        return [Form.MEETING, Form.BALLOT, Form.ONLINE]
    return [Form.MEETING, Form.BALLOT]


def quorum_met(present: int, households: int) -> bool:
    """More than half of the households represented."""
    return households > 0 and 2 * present > households


def votes_needed(category: int, households: int) -> int:
    """The smallest number of households in favour that passes the matter in a village."""
    if category in TWO_THIRDS_ITEMS:
        return -(-2 * households // 3)  # ceil(2n/3): "from two thirds"
    return households // 2 + 1  # "more than 50%"


def village_passes(category: int, votes_for: int, households: int) -> bool:
    return households > 0 and votes_for >= votes_needed(category, households)


def villages_needed(villages: int) -> int:
    """Commune-wide contributions and funds: at least two thirds of the villages in favour."""
    return -(-2 * villages // 3)


def commune_passes(villages_for: int, villages: int) -> bool:
    return villages > 0 and villages_for >= villages_needed(villages)


@dataclass(frozen=True)
class Rule:
    """The threshold as a citizen reads it next to the result."""

    needed: int
    of: int
    text: str


def rule_for(category: int, households: int) -> Rule:
    needed = votes_needed(category, households)
    if category in TWO_THIRDS_ITEMS:
        text = _("at least two thirds of the %(n)s households: %(needed)s in favour (Law 10/2022/QH15, art. 21(1))")
    else:
        text = _("more than half of the %(n)s households: %(needed)s in favour (Law 10/2022/QH15, art. 21(1))")
    return Rule(needed=needed, of=households, text=text % {"n": households, "needed": needed})


def commune_rule(villages: int) -> Rule:
    needed = villages_needed(villages)
    text = _("at least two thirds of the %(n)s villages: %(needed)s in favour (Law 10/2022/QH15, art. 21(1))")
    return Rule(needed=needed, of=villages, text=text % {"n": villages, "needed": needed})
