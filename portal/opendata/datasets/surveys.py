"""Satisfaction survey (SIPAS) figures, from the stored tallies the public pages read, never from the
responses: a figure below the campaign's minimum number of answers gives its number of answers only,
as the commune's page does; no response, comment, visit code or device leaves."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.opendata.datasets.common import CHUNK_SIZE
from portal.opendata.datasets.one_stop import COMMUNE_CODE
from portal.opendata.registry import BOOLEAN, DATE, INTEGER, NUMBER, STRING, Dataset, Field
from surveys.models import Campaign, Tally
from surveys.selectors import Figure, results_for

VERIFIED, LINK = "verified", "link"
# results_for reads a commune's tallies of every factor and channel: fewer communes per call than rows.
COMMUNES_PER_CALL = CHUNK_SIZE // 20


def _public_campaigns(province: str | None):
    tallied = Tally.objects.filter(campaign_id=OuterRef("pk"))
    campaigns = (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .filter(Exists(tallied))
        .select_related("province")
        .order_by("starts_on", "pk")
    )
    return campaigns.filter(province__code=province) if province else campaigns


def _figure(figure: Figure) -> tuple:
    """The figure as the public page gives it: below the minimum, only how many answered."""
    if not figure.enough:
        return figure.answered, False, None, None, None, None, None
    low, high = figure.interval
    return (
        figure.answered,
        True,
        figure.satisfied,
        round(figure.percent, 2),
        round(100 * low, 2),
        round(100 * high, 2),
        round(figure.mean, 3),
    )


def figure_rows(province: str | None) -> Iterator[tuple]:
    for campaign in list(_public_campaigns(province)):
        communes = (
            Tally.objects.filter(campaign=campaign)
            .order_by("commune__code", "commune_id")
            .values_list("commune_id", "commune__code")
            .distinct()
        )
        for batch in itertools.batched(communes.iterator(chunk_size=CHUNK_SIZE), COMMUNES_PER_CALL):
            results = results_for(campaign, [commune_id for commune_id, _code in batch])
            for commune_id, code in batch:
                result = results[commune_id]
                for channel, figures, responses in (
                    (VERIFIED, result.figures, result.responses),
                    (LINK, result.link_figures, result.link_responses),
                ):
                    if not responses:
                        continue
                    for figure in figures:
                        yield (
                            campaign.pk,
                            campaign.name,
                            campaign.province.code,
                            campaign.starts_on,
                            campaign.ends_on,
                            campaign.min_responses,
                            code,
                            channel,
                            responses,
                            figure.factor.code,
                            figure.factor.name_vi,
                            figure.factor.name_en,
                            *_figure(figure),
                        )


def _modified():
    return Campaign.objects.exclude(status=Campaign.Status.DRAFT).aggregate(latest=Max("statistics_at"))["latest"]


SURVEY_FIGURES = Dataset(
    slug="survey-figures",
    title=_("Satisfaction of citizens with the one-stop shops"),
    description=_(
        # xgettext:no-python-format
        "The satisfaction survey's figures per campaign, commune and factor, as the communes' pages show "
        "them: answers, share satisfied (4 or 5 on the 5-point scale) with its 95% confidence interval, and "
        "the mean score. Answers with a visit code or at the counter's tablet are counted apart from those "
        "through the open link. Below the campaign's minimum number of answers only the number of answers "
        "is given. No individual answer or comment is part of the data."
    ),
    theme=_("Satisfaction surveys"),
    fields=(
        Field("campaign_id", INTEGER, _("Stable number of the survey campaign."), "3"),
        Field("campaign", STRING, _("Name of the campaign."), "Khảo sát mức độ hài lòng năm 2026"),
        Field("province_code", STRING, _("Official code of the province that ran it."), "24"),
        Field("starts_on", DATE, _("First day of the campaign."), "2026-01-01"),
        Field("ends_on", DATE, _("Last day of the campaign."), "2026-06-30"),
        Field("min_responses", INTEGER, _("Minimum number of answers for a figure to be given."), "30"),
        COMMUNE_CODE,
        Field(
            "channel",
            STRING,
            _("verified (visit code or counter tablet) or link (open link, which proves no visit)."),
            VERIFIED,
        ),
        Field("responses", INTEGER, _("Responses of the commune through these channels."), "84"),
        Field("factor_code", STRING, _("Code of the factor; OVERALL is the overall question."), "F1"),
        Field("factor_name_vi", STRING, _("Name of the factor in Vietnamese."), "Tiếp cận dịch vụ"),
        Field("factor_name_en", STRING, _("Name of the factor in English."), "Access to the service"),
        Field("answered", INTEGER, _("Answers to this factor (n)."), "80"),
        Field("enough", BOOLEAN, _("Whether n reaches the campaign's minimum; if not, the figures are empty."), "true"),
        Field("satisfied", INTEGER, _("Answers of 4 or 5."), "70"),
        Field("share_satisfied", NUMBER, _("Share satisfied, in percent."), "87.5"),
        Field("ci_low", NUMBER, _("Lower bound of the 95% Wilson interval, in percent."), "78.5"),
        Field("ci_high", NUMBER, _("Upper bound of the 95% Wilson interval, in percent."), "93.1"),
        Field("mean_score", NUMBER, _("Mean score on the 1 to 5 scale."), "4.21"),
    ),
    rows=figure_rows,
    modified=_modified,
)

DATASETS = (SURVEY_FIGURES,)
