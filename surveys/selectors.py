"""Reads of surveys: a questionnaire's structure, the aggregates behind statistics, stored figures."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from communes.models import Commune
from surveys.models import (
    MAX_FACTORS,
    SATISFIED_FROM,
    VERIFIED_CHANNELS,
    Campaign,
    Channel,
    CodeBatch,
    Factor,
    Kiosk,
    Question,
    Response,
    Tally,
    score_field,
)

# --- Questionnaire structure ---------------------------------------------------------------------


@dataclass
class Structure:
    questionnaire_id: int
    factors: list[Factor]
    questions: list[Question]
    items_by_factor: dict[int, list[Question]] = field(default_factory=dict)

    @property
    def scale_questions(self) -> list[Question]:
        return [question for question in self.questions if question.kind == Question.Kind.SCALE]


_STRUCTURES: dict[int, tuple[float, Structure]] = {}
STRUCTURE_SECONDS = 60  # a version with answers never changes; a draft's edits show within a minute


def questionnaire_structure(questionnaire) -> Structure:
    """Factors and questions of a version, kept in memory briefly: every submission needs them."""
    cached = _STRUCTURES.get(questionnaire.pk)
    if cached and time.monotonic() - cached[0] < STRUCTURE_SECONDS:
        return cached[1]
    factors = list(Factor.objects.filter(questionnaire_id=questionnaire.pk).order_by("slot"))
    questions = list(Question.objects.filter(questionnaire_id=questionnaire.pk).order_by("position"))
    slot_of = {factor.pk: factor.slot for factor in factors}
    items = defaultdict(list)
    for question in questions:
        if question.factor_id and question.kind == Question.Kind.SCALE:
            items[slot_of[question.factor_id]].append(question)
    structure = Structure(questionnaire.pk, factors, questions, dict(items))
    _STRUCTURES[questionnaire.pk] = (time.monotonic(), structure)
    return structure


_COVERED: dict[int, tuple[float, frozenset[int]]] = {}


def campaign_commune_ids(campaign) -> frozenset[int]:
    """The communes a campaign covers, kept in memory briefly: every submission checks it, and an open
    campaign's communes no longer change (services.campaign_save)."""
    cached = _COVERED.get(campaign.pk)
    if cached and time.monotonic() - cached[0] < STRUCTURE_SECONDS:
        return cached[1]
    ids = frozenset(campaign.communes.values_list("pk", flat=True))
    _COVERED[campaign.pk] = (time.monotonic(), ids)
    return ids


_RECENT: dict[tuple[str, int], tuple[float, object]] = {}
RECENT_SECONDS = 10  # how long another web worker may still see a kiosk retired or a campaign closed


def _recent(kind: str, pk: int, load):
    cached = _RECENT.get((kind, pk))
    if cached and time.monotonic() - cached[0] < RECENT_SECONDS:
        return cached[1]
    found = load()
    if found is not None:
        _RECENT[(kind, pk)] = (time.monotonic(), found)
    return found


def kiosk_for_submission(pk: int):
    """The kiosk an answer is posted to (with its commune), kept in memory for a few seconds: a busy
    counter posts every few seconds, and a retirement reaches every worker within RECENT_SECONDS."""
    return _recent("kiosk", pk, lambda: Kiosk.objects.select_related("commune").filter(pk=pk).first())


def campaign_for_submission(pk: int):
    """The campaign an answer names (with its questionnaire), kept in memory like the kiosk."""
    return _recent("campaign", pk, lambda: Campaign.objects.select_related("questionnaire").filter(pk=pk).first())


def forget_recent(sender, instance, **kwargs) -> None:
    """Connected to the kiosk's and the campaign's post_save: this process sees a change at once."""
    _RECENT.pop((sender._meta.model_name, instance.pk), None)


def forget_covered(sender, instance, **kwargs) -> None:
    """Connected to Campaign.communes' m2m_changed: this process sees a change at once, others within
    STRUCTURE_SECONDS."""
    if isinstance(instance, Campaign):
        _COVERED.pop(instance.pk, None)
    else:  # changed from the commune's side
        _COVERED.clear()


def memory_clear() -> None:
    """Forget what is kept in memory (tests: ids are reused after a rollback)."""
    _STRUCTURES.clear()
    _COVERED.clear()
    _RECENT.clear()


# --- Aggregates ----------------------------------------------------------------------------------


def tallies_compute(campaign: Campaign) -> list[Tally]:
    """Every commune × channel × factor figure of a campaign, in one grouped query over its responses
    (excluded ones left out). Unsaved Tally rows; ``statistics_refresh`` stores them."""
    aggregates = {"responses": Count("*")}
    for slot in range(MAX_FACTORS + 1):
        column = score_field(slot)
        aggregates[f"n{slot}"] = Count(column)
        aggregates[f"sum{slot}"] = Sum(column)
        aggregates[f"sat{slot}"] = Count(column, filter=Q(**{f"{column}__gte": SATISFIED_FROM}))
    rows = (
        Response.objects.filter(campaign=campaign, excluded=False)
        .values("commune_id", "channel")
        .order_by()
        .annotate(**aggregates)
    )
    slots = list(Factor.objects.filter(questionnaire_id=campaign.questionnaire_id).values_list("slot", flat=True))
    return [
        Tally(
            campaign=campaign,
            commune_id=row["commune_id"],
            channel=row["channel"],
            slot=slot,
            answered=row[f"n{slot}"],
            satisfied=row[f"sat{slot}"],
            total=row[f"sum{slot}"] or 0,
            responses=row["responses"],
        )
        for row in rows
        for slot in slots
    ]


# --- Figures -------------------------------------------------------------------------------------

Z_95 = 1.959963984540054


def wilson_interval(satisfied: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The 95% Wilson score interval of a proportion, as fractions; None without answers."""
    if n <= 0:
        return None
    p = satisfied / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Figure:
    """One factor's statistics from stored tallies. ``enough`` is False below the campaign's minimum:
    the figure is then shown as 'not enough answers' and scoring must not use it."""

    factor: Factor
    answered: int
    satisfied: int
    total: int
    minimum: int

    @property
    def enough(self) -> bool:
        return self.answered >= self.minimum

    @property
    def mean(self) -> float | None:
        return self.total / self.answered / 100 if self.answered else None

    @property
    def share(self) -> float | None:
        return self.satisfied / self.answered if self.answered else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.satisfied, self.answered)

    @property
    def percent(self) -> float | None:
        return None if self.share is None else 100 * self.share

    @property
    def low_percent(self) -> float | None:
        return None if self.interval is None else 100 * self.interval[0]

    @property
    def high_percent(self) -> float | None:
        return None if self.interval is None else 100 * self.interval[1]


@dataclass
class CommuneResults:
    campaign: Campaign
    commune_id: int
    figures: list[Figure]  # verified channels (visit code, kiosk): factors then overall last
    responses: int  # verified responses
    link_responses: int  # open link, counted apart
    link_figures: list[Figure]

    @property
    def enough(self) -> bool:
        return self.responses >= self.campaign.min_responses

    @property
    def factor_figures(self) -> list[Figure]:
        return [figure for figure in self.figures if not figure.factor.is_overall]

    @property
    def overall(self) -> Figure | None:
        return next((figure for figure in self.figures if figure.factor.is_overall), None)

    @property
    def index(self) -> float | None:
        """SIPAS-like index: mean of the factors' shares satisfied, over factors with enough answers."""
        shares = [figure.share for figure in self.factor_figures if figure.enough and figure.share is not None]
        return 100 * sum(shares) / len(shares) if shares else None


def _figures(campaign: Campaign, factors: list[Factor], tallies: list[Tally], channels) -> tuple[list[Figure], int]:
    by_slot = defaultdict(lambda: [0, 0, 0])
    responses = 0
    seen = set()
    for tally in tallies:
        if tally.channel not in channels:
            continue
        figures = by_slot[tally.slot]
        figures[0] += tally.answered
        figures[1] += tally.satisfied
        figures[2] += tally.total
        if tally.channel not in seen:
            seen.add(tally.channel)
            responses += tally.responses
    ordered = sorted(factors, key=lambda factor: (factor.slot == 0, factor.slot))
    return [Figure(factor, *by_slot[factor.slot], campaign.min_responses) for factor in ordered], responses


def results_for(campaign: Campaign, commune_ids: list[int]) -> dict[int, CommuneResults]:
    """Stored figures of several communes in one campaign: two queries whatever their number."""
    factors = list(Factor.objects.filter(questionnaire_id=campaign.questionnaire_id))
    tallies = defaultdict(list)
    for tally in Tally.objects.filter(campaign=campaign, commune_id__in=commune_ids):
        tallies[tally.commune_id].append(tally)
    results = {}
    for commune_id in commune_ids:
        verified, responses = _figures(campaign, factors, tallies[commune_id], VERIFIED_CHANNELS)
        link, link_responses = _figures(campaign, factors, tallies[commune_id], (Channel.LINK,))
        results[commune_id] = CommuneResults(campaign, commune_id, verified, responses, link_responses, link)
    return results


def commune_results(commune) -> CommuneResults | None:
    """The latest campaign with stored figures for the commune (for its public page), or None."""
    campaign = (
        Campaign.objects.filter(tallies__commune=commune)
        .exclude(status=Campaign.Status.DRAFT)
        .select_related("questionnaire")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if campaign is None:
        return None
    return results_for(campaign, [commune.pk])[commune.pk]


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


def commune_page_campaigns(commune: Commune) -> tuple[Campaign | None, Campaign | None]:
    """(the latest campaign with stored figures for the commune, the campaign open for it today), in one
    query: what ``selectors.commune_results`` and ``services.campaign_current`` each find, read together
    because the commune page counts its queries."""
    today = timezone.localdate()
    covers = Campaign.communes.through.objects.filter(campaign_id=OuterRef("pk"), commune_id=commune.pk)
    tallied = Tally.objects.filter(campaign_id=OuterRef("pk"), commune_id=commune.pk)
    campaigns = list(
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .annotate(covers=Exists(covers), tallied=Exists(tallied))
        .filter(Q(tallied=True) | Q(covers=True, status=Campaign.Status.OPEN, starts_on__lte=today, ends_on__gte=today))
        .select_related("questionnaire")
        .order_by("-starts_on", "-pk")
    )
    with_figures = next((campaign for campaign in campaigns if campaign.tallied), None)
    open_now = next(
        (
            campaign
            for campaign in campaigns
            if campaign.covers and campaign.is_open and campaign.starts_on <= today <= campaign.ends_on
        ),
        None,
    )
    return with_figures, open_now
