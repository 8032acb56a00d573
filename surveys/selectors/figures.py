"""The statistics: the grouped aggregate over responses, and the figures read from stored tallies."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from communes.models import Commune
from core import clock
from surveys.models import (
    MAX_FACTORS,
    SATISFIED_FROM,
    VERIFIED_CHANNELS,
    Campaign,
    Channel,
    Factor,
    Response,
    Tally,
    score_field,
)

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


def satisfaction_by_month(
    *, questionnaire_code: str, slots, since: datetime.date
) -> dict[tuple[int, datetime.date], dict[int, tuple[int, int]]]:
    """Verified answers (visit code, kiosk; excluded ones left out) to one questionnaire from ``since``
    on, per commune and month answered: slot → (answered, satisfied). One grouped query, reaching the
    responses through the campaigns that ran since then (the (campaign, commune) index), for the
    dashboards' hourly rebuild; pages read what it stored."""
    campaigns = Campaign.objects.filter(questionnaire__code=questionnaire_code, ends_on__gte=since)
    aggregates = {}
    for slot in slots:
        column = score_field(slot)
        aggregates[f"n{slot}"] = Count(column)
        aggregates[f"sat{slot}"] = Count(column, filter=Q(**{f"{column}__gte": SATISFIED_FROM}))
    rows = (
        Response.objects.filter(
            campaign__in=campaigns, channel__in=VERIFIED_CHANNELS, excluded=False, submitted_on__gte=since
        )
        .annotate(month=TruncMonth("submitted_on"))
        .values("commune_id", "month")
        .order_by()
        .annotate(**aggregates)
    )
    return {
        (row["commune_id"], row["month"]): {slot: (row[f"n{slot}"], row[f"sat{slot}"]) for slot in slots}
        for row in rows
    }


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


def commune_page_campaigns(commune: Commune) -> tuple[Campaign | None, Campaign | None]:
    """(the latest campaign with stored figures for the commune, the campaign open for it today), in one
    query: what ``selectors.commune_results`` and ``services.campaign_current`` each find, read together
    because the commune page counts its queries."""
    today = clock.today()
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


def commune_results(commune) -> CommuneResults | None:
    """The figures of the latest campaign with stored figures for the commune, or None."""
    campaign, _open_now = commune_page_campaigns(commune)
    if campaign is None:
        return None
    return results_for(campaign, [commune.pk])[commune.pk]


@dataclass
class ResultsPanel:
    """The commune page's survey panel: the figures of its latest tallied campaign, if any."""

    commune: Commune
    results: CommuneResults | None
    open_campaign: Campaign | None  # answering through the open link is possible now


def results_panel_for_commune(*, commune: Commune) -> ResultsPanel:
    """The commune's survey results from stored tallies (never its responses) and the campaign open for
    it, if any: one query without figures, three with, whatever the number of answers."""
    campaign, open_campaign = commune_page_campaigns(commune)
    results = results_for(campaign, [commune.pk])[commune.pk] if campaign else None
    return ResultsPanel(commune=commune, results=results, open_campaign=open_campaign)
