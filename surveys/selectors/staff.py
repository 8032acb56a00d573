"""Reads behind the staff pages and the commune page's survey panel."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from surveys.models import (
    Campaign,
    CodeBatch,
    Response,
)

# --- Staff pages ------------------------------------------------------------------------------


def campaigns_of_province(province):
    """The province's campaigns with their number of communes and responses: one query for any number."""
    responses = (
        Response.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(count=Count("pk"))
        .values("count")
    )
    covered = (
        Campaign.communes.through.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Campaign.objects.filter(province=province)
        .select_related("questionnaire")
        .annotate(
            commune_count=Coalesce(Subquery(covered, output_field=IntegerField()), Value(0)),
            response_count=Coalesce(Subquery(responses, output_field=IntegerField()), Value(0)),
        )
        .order_by("-starts_on", "-pk")
    )


def campaigns_of_commune(commune, limit: int):
    """The latest campaigns that cover the commune, drafts left out."""
    return list(
        Campaign.objects.filter(communes=commune)
        .exclude(status=Campaign.Status.DRAFT)
        .select_related("questionnaire")
        .order_by("-starts_on", "-pk")[:limit]
    )


def flagged_responses(campaign: Campaign, *, flag=None, commune=None, state=None, burst=None):
    """The campaign's flagged responses, newest first; only the columns the review shows."""
    responses = (
        Response.objects.filter(campaign=campaign)
        .exclude(flags="")
        .select_related("commune")
        .only(
            "pk",
            "commune__name",
            "commune__division_type",
            "channel",
            "submitted_on",
            "flags",
            "burst",
            "excluded",
            "exclusion_reason",
        )
        .order_by("-submitted_on", "burst", "-pk")
    )
    if flag:
        responses = responses.filter(flags__contains=flag)
    if commune:
        responses = responses.filter(commune=commune)
    if state == "excluded":
        responses = responses.filter(excluded=True)
    elif state == "counted":
        responses = responses.filter(excluded=False)
    if burst:
        responses = responses.filter(burst=burst)
    return responses


def comments_of(campaign: Campaign, *, reviewed: str | None = None):
    """The campaign's comments as written (DoHA's reading), those not yet reviewed first."""
    responses = (
        Response.objects.filter(campaign=campaign)
        .exclude(comment="")
        .select_related("commune")
        .only(
            "pk",
            "commune__name",
            "commune__division_type",
            "channel",
            "submitted_on",
            "comment",
            "comment_redacted",
            "comment_reviewed",
        )
        .order_by("comment_reviewed", "-submitted_on", "-pk")
    )
    if reviewed:
        responses = responses.filter(comment_reviewed=reviewed == "yes")
    return responses


def redacted_comments_of(commune):
    """What a commune may read of its respondents' comments: DoHA's redacted versions only."""
    return (
        Response.objects.filter(commune=commune, comment_reviewed=True)
        .exclude(comment_redacted="")
        .select_related("campaign")
        .only("pk", "campaign__name", "submitted_on", "comment_redacted")
        .order_by("-submitted_on", "-pk")
    )


def recent_batches(commune, limit: int = 10):
    """The commune's latest batches of visit codes with how many were used: one query."""
    return (
        CodeBatch.objects.filter(commune=commune)
        .select_related("campaign")
        .annotate(
            used=Count("codes", filter=Q(codes__used_on__isnull=False)),
            unused=Count("codes", filter=Q(codes__used_on__isnull=True)),
        )
        .order_by("-created_at", "-pk")[:limit]
    )
