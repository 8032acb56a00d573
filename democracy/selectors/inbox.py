"""What waits in the workspace for the roles of grassroots democracy, in one query per role kind."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from democracy.models import Decision, DecisionStatus, Form, Matter, MatterStatus


def village_inbox_counts(*, village_ids: set[int]) -> dict[tuple[int, str], int]:
    """(village_id, what) → how many, for the villages given: "to_record" (a meeting held or due whose
    result is not in), "to_count" (ballots or a vote whose time is over), "to_cosign", "to_send"."""
    if not village_ids:
        return {}
    now = timezone.now()
    counts: Counter = Counter()
    rows = Decision.objects.filter(
        village_id__in=village_ids,
        status__in=[DecisionStatus.OPEN, DecisionStatus.COUNTED, DecisionStatus.COSIGNED],
    ).values_list("village_id", "status", "form", "starts_at", "ends_at")
    for village_id, status, form, starts_at, ends_at in rows:
        if status == DecisionStatus.OPEN:
            if form == Form.MEETING and starts_at <= now:
                counts[village_id, "to_record"] += 1
            elif form != Form.MEETING and ends_at and ends_at <= now:
                counts[village_id, "to_count"] += 1
        elif status == DecisionStatus.COUNTED:
            counts[village_id, "to_cosign"] += 1
        else:
            counts[village_id, "to_send"] += 1
    return dict(counts)


def matters_awaiting_recognition(*, commune_ids: set[int]) -> dict[int, int]:
    """commune_id → matters whose every village sent its result, waiting for the commune's ruling."""
    if not commune_ids:
        return {}
    return Counter(
        Matter.objects.filter(commune_id__in=commune_ids, status=MatterStatus.DECIDED).values_list(
            "commune_id", flat=True
        )
    )
