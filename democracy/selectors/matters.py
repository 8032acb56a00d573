"""Reads of the matters back office: a commune's matters, one matter's village decisions with their
ballots returned, and the history of both. Each owns its joins, so a page costs the same number of
queries for 3 villages as for 300."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy

from communes.models import Commune
from core import clock
from democracy.models import Ballot, Decision, DecisionStatus, Matter

AWAITING_SENDING = (DecisionStatus.COUNTED, DecisionStatus.COSIGNED)

# The history's reasons are written in English by the services; readers see them in their language.
REASONS = {
    "proposed": gettext_lazy("proposed"),
    "opened": gettext_lazy("deciding opened"),
    "meeting recorded": gettext_lazy("meeting recorded"),
    "meeting without quorum": gettext_lazy("meeting held without a quorum"),
    "meeting called again": gettext_lazy("meeting called again"),
    "ballots after a meeting without quorum": gettext_lazy("household ballots instead of the meeting"),
    "counted": gettext_lazy("ballots counted"),
    "co-signed": gettext_lazy("co-signed by the Front work committee"),
    "sent to the commune": gettext_lazy("result sent to the commune"),
    "every village sent its result": gettext_lazy("every village sent its result"),
    "recognised": gettext_lazy("recognised by the commune"),
    "refused": gettext_lazy("not recognised by the commune"),
}


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("village").order_by("village__name")


def matters_of_commune(*, commune: Commune) -> QuerySet[Matter]:
    """The commune's matters, newest first, each with its village decisions."""
    return (
        Matter.objects.filter(commune=commune)
        .select_related("village")
        .prefetch_related(Prefetch("decisions", queryset=_decisions()))
    )


def send_overdue(decision: Decision, today=None) -> bool:
    """Counted in the village but not at the commune after the 5 working days of art. 20(3)."""
    due = decision.send_due
    return decision.status in AWAITING_SENDING and due is not None and due < (today or clock.today())


@dataclass
class MatterRow:
    matter: Matter
    decisions: list[Decision]
    overdue: int = 0
    starts_at: object = None
    sent: int = 0


def matter_rows(matters) -> list[MatterRow]:
    """The list's rows: when deciding starts, how many villages sent their result, how many are late."""
    today = clock.today()
    rows = []
    for matter in matters:
        decisions = list(matter.decisions.all())
        rows.append(
            MatterRow(
                matter=matter,
                decisions=decisions,
                overdue=sum(send_overdue(d, today) for d in decisions),
                starts_at=min((d.starts_at for d in decisions), default=None),
                sent=sum(d.status == DecisionStatus.SENT for d in decisions),
            )
        )
    return rows


def decisions_of_matter(*, matter: Matter) -> list[Decision]:
    """The matter's village decisions with who co-signed and sent, and how many ballots came back
    (never how they voted: that stays in the Tally until the count)."""
    return list(
        Decision.objects.filter(matter=matter)
        .select_related("village__commune", "cosigned_by", "sent_by")
        .annotate(
            ballots_issued=Count("ballots"),
            ballots_returned=Count("ballots", filter=Q(ballots__cast_on__isnull=False)),
        )
        .order_by("village__name")
    )


def ballots_to_print(*, decision: Decision) -> QuerySet[Ballot]:
    # Numbers are text ("12", "12A"): shorter first puts 2 before 10, as on the households' list.
    return (
        Ballot.objects.filter(decision=decision)
        .select_related("household")
        .order_by(Length("household__number"), "household__number")
    )


def ballots_returned(*, decision: Decision) -> tuple[int, int]:
    """(returned, issued) for the entry page."""
    counts = Ballot.objects.filter(decision=decision).aggregate(
        issued=Count("pk"), returned=Count("pk", filter=Q(cast_on__isnull=False))
    )
    return counts["returned"], counts["issued"]


@dataclass
class HistoryEntry:
    when: object
    who: object
    reason: str
    kind: str
    village: object = None


def matter_history(*, matter: Matter, limit: int = 200) -> list[HistoryEntry]:
    """Who did what and when, on the matter and on each village's decision, newest first."""
    entries = [
        HistoryEntry(when=h.history_date, who=h.history_user, reason=h.history_change_reason or "", kind=h.history_type)
        for h in matter.history.select_related("history_user").order_by("-history_date")[:limit]
    ]
    decision_history = (
        Decision.history.filter(matter_id=matter.pk)
        .select_related("history_user", "village")
        .order_by("-history_date")[:limit]
    )
    entries += [
        HistoryEntry(
            when=h.history_date,
            who=h.history_user,
            reason=h.history_change_reason or "",
            kind=h.history_type,
            village=h.village,
        )
        for h in decision_history
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
