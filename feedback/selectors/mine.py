"""A signed-in citizen's own feedback, with the commune's answer to each."""

from __future__ import annotations

from django.db.models import QuerySet

from feedback.models import Feedback

MINE_SHOWN = 100  # a citizen sends a few a year; the page lists the latest hundred


def feedback_of_submitter(*, user) -> QuerySet[Feedback]:
    """The items ``user`` sent while signed in, newest first, with their commune and category: one
    query, without the long texts and secrets the page does not show."""
    return (
        Feedback.objects.filter(submitter=user)
        .select_related("commune__district", "commune__province", "category")
        .defer("description", "public_description", "action_key", "latitude", "longitude", "submission_token")
        .order_by("-submitted_at")[:MINE_SHOWN]
    )
