"""Survey statistics: tallies checked by hand on a few responses, verified channels apart from the open
link, the minimum number of answers, Wilson intervals, and stored figures read in two queries."""

import uuid

import pytest

from surveys.models import Campaign, Channel, Factor, Tally
from surveys.selectors import Figure, commune_results, results_for, tallies_compute, wilson_interval
from surveys.services import (
    response_by_code,
    response_by_kiosk,
    response_by_link,
    responses_exclude,
    statistics_refresh,
)
from tests.communes.factories import CommuneFactory
from tests.surveys.factories import answers, code_batch, codes, kiosk, open_campaign, questionnaire, site_admin

pytestmark = pytest.mark.django_db


def by_code(campaign, commune, *raws):
    for code, raw in zip(codes(code_batch(campaign, commune, len(raws))), raws, strict=True):
        response_by_code(code=code, raw=raw)


def by_kiosk(campaign, commune, *raws):
    tablet = kiosk(commune)
    for raw in raws:
        response_by_kiosk(kiosk=tablet, campaign=campaign, client_id=uuid.uuid4(), raw=raw)


def by_link(campaign, commune, *raws):
    for raw in raws:
        response_by_link(campaign=campaign, commune=commune, device_cookie=uuid.uuid4().hex, raw=raw)


def table(campaign) -> dict:
    """Stored tallies as {(commune id, slot, channel): (answered, satisfied, total, responses)}."""
    return {
        (tally.commune_id, tally.slot, tally.channel): (tally.answered, tally.satisfied, tally.total, tally.responses)
        for tally in Tally.objects.filter(campaign=campaign)
    }


@pytest.fixture
def small_set():
    """Two communes: A has 3 code, 2 kiosk and 2 link responses; B one code response."""
    a, b = CommuneFactory(), CommuneFactory()
    campaign = open_campaign(a, communes=[b])
    by_code(
        campaign,
        a,
        answers(5),  # F5 answered 5
        answers(4, **{"F5.0": "no", "F1.S": 3}),  # F5 hidden
        answers(2, **{"F1.S": 0, "F5.S": 4}),  # F1 not applicable
    )
    by_kiosk(campaign, a, answers(4, **{"F5.0": "no"}), answers(3, **{"F5.S": 5}))
    by_link(campaign, a, answers(1), answers(5, **{"F2.S": 2}))
    by_code(campaign, b, answers(4))
    return campaign, a, b


def test_tallies_count_answers_satisfied_and_totals_per_factor_and_channel(small_set):
    campaign, a, b = small_set
    assert statistics_refresh(campaign=campaign) == 4 * 6  # (A code, A kiosk, A link, B code) × 6 slots
    rows = table(campaign)
    # Overall (slot 0): code 5, 4, 2 → 2 satisfied of 3, total 11.00.
    assert rows[a.pk, 0, Channel.CODE] == (3, 2, 1100, 3)
    # F1 (slot 1): code 5, 3, n/a → 1 of 2, total 8.00.
    assert rows[a.pk, 1, Channel.CODE] == (2, 1, 800, 3)
    # F5 (slot 5): code 5, hidden, 4 → 2 of 2.
    assert rows[a.pk, 5, Channel.CODE] == (2, 2, 900, 3)
    # Kiosk: overall 4, 3; F5 hidden, 5.
    assert rows[a.pk, 0, Channel.KIOSK] == (2, 1, 700, 2)
    assert rows[a.pk, 5, Channel.KIOSK] == (1, 1, 500, 2)
    # Link: overall 1, 5; F2 1, 2.
    assert rows[a.pk, 0, Channel.LINK] == (2, 1, 600, 2)
    assert rows[a.pk, 2, Channel.LINK] == (2, 0, 300, 2)
    assert rows[b.pk, 0, Channel.CODE] == (1, 1, 400, 1)
    assert (b.pk, 0, Channel.KIOSK) not in rows
    assert Campaign.objects.get(pk=campaign.pk).statistics_at is not None


def test_results_keep_the_open_link_apart_from_verified_channels(small_set):
    campaign, a, _b = small_set
    statistics_refresh(campaign=campaign)
    results = results_for(campaign, [a.pk])[a.pk]
    assert (results.responses, results.link_responses) == (5, 2)
    overall = results.overall
    assert (overall.answered, overall.satisfied, overall.total) == (5, 3, 1800)
    assert overall.mean == pytest.approx(3.6)
    assert overall.share == pytest.approx(0.6)
    link_overall = next(figure for figure in results.link_figures if figure.factor.is_overall)
    assert (link_overall.answered, link_overall.satisfied) == (2, 1)
    # Factors in order, the overall question last.
    assert [figure.factor.slot for figure in results.figures] == [1, 2, 3, 4, 5, 0]
    assert [figure.factor.slot for figure in results.factor_figures] == [1, 2, 3, 4, 5]
    assert commune_results(a).responses == 5


def test_excluded_responses_leave_the_figures(small_set):
    campaign, a, _b = small_set
    by_link(campaign, a, answers(5, **{"F1.1": 5}))  # straight-lined: flagged
    statistics_refresh(campaign=campaign)
    assert table(campaign)[a.pk, 0, Channel.LINK] == (3, 2, 1100, 3)
    flagged = campaign.responses.exclude(flags="").values_list("pk", flat=True)
    assert responses_exclude(campaign=campaign, ids=flagged, reason="Phiếu chọn một mức", by=site_admin()) == 1
    statistics_refresh(campaign=campaign)
    assert table(campaign)[a.pk, 0, Channel.LINK] == (2, 1, 600, 2)


def test_statistics_refresh_gives_the_same_rows_twice(small_set):
    campaign, _a, _b = small_set
    statistics_refresh(campaign=campaign)
    first = table(campaign)
    statistics_refresh(campaign=campaign)
    assert table(campaign) == first
    assert Tally.objects.filter(campaign=campaign).count() == len(first)
    assert sorted(first) == sorted((tally.commune_id, tally.slot, tally.channel) for tally in tallies_compute(campaign))


def figure(answered, satisfied=0, minimum=30, slot=1) -> Figure:
    return Figure(Factor(slot=slot, code=f"F{slot}"), answered, satisfied, 100 * 4 * answered, minimum)


def test_a_figure_is_enough_from_the_campaigns_minimum():
    assert not figure(29).enough
    assert figure(30).enough
    assert figure(31).enough
    assert figure(1, minimum=1).enough
    assert figure(0).mean is None and figure(0).share is None and figure(0).interval is None
    assert figure(0).percent is None and figure(0).low_percent is None


@pytest.mark.parametrize(
    ("satisfied", "n", "expected"),
    [
        (0, 10, (0.0, 0.2775)),
        (8, 10, (0.4902, 0.9433)),
        (10, 10, (0.7225, 1.0)),
        (50, 100, (0.4038, 0.5962)),
        (1, 1, (0.2065, 1.0)),
    ],
)
def test_wilson_interval_known_values(satisfied, n, expected):
    low, high = wilson_interval(satisfied, n)
    assert (round(low, 4), round(high, 4)) == expected


def test_wilson_interval_without_answers_is_none():
    assert wilson_interval(0, 0) is None


def test_the_index_is_the_mean_share_of_factors_with_enough_answers():
    commune = CommuneFactory()
    campaign = open_campaign(commune, min_responses=2)
    # F5 is answered once (the others said they gave no feedback): too few to count.
    by_code(
        campaign,
        commune,
        answers(5, **{"F5.0": "no", "F2.S": 2, "F3.S": 2}),
        answers(4, **{"F5.0": "no", "F2.S": 4, "F3.S": 2}),
        answers(2, **{"F5.S": 5, "F1.S": 3, "F2.S": 4, "F3.S": 2, "F4.S": 5}),
    )
    statistics_refresh(campaign=campaign)
    results = results_for(campaign, [commune.pk])[commune.pk]
    shares = {figure.factor.slot: figure.share for figure in results.factor_figures}
    assert shares[1] == pytest.approx(2 / 3)  # 5, 4, 3
    assert shares[2] == pytest.approx(2 / 3)  # 2, 4, 4
    assert shares[3] == 0  # 2, 2, 2
    assert shares[4] == 1  # 5, 4, 5
    assert not next(figure for figure in results.factor_figures if figure.factor.slot == 5).enough
    enough = [shares[slot] for slot in (1, 2, 3, 4)]
    assert results.index == pytest.approx(100 * sum(enough) / 4)
    assert results.enough  # 3 verified responses ≥ 2


def test_a_commune_below_the_minimum_is_not_enough():
    commune = CommuneFactory()
    campaign = open_campaign(commune, min_responses=3)
    by_code(campaign, commune, answers(5), answers(4))
    by_link(campaign, commune, answers(5), answers(5))  # the open link does not make up the number
    statistics_refresh(campaign=campaign)
    results = results_for(campaign, [commune.pk])[commune.pk]
    assert results.responses == 2 and not results.enough
    assert not results.overall.enough
    assert results.index is None


def test_a_commune_without_answers_has_empty_figures():
    commune, silent = CommuneFactory(), CommuneFactory()
    campaign = open_campaign(commune, communes=[silent])
    statistics_refresh(campaign=campaign)
    results = results_for(campaign, [silent.pk])[silent.pk]
    assert results.responses == 0 and results.index is None
    assert all(figure.answered == 0 for figure in results.figures)
    assert commune_results(silent) is None


def test_commune_results_takes_the_latest_campaign_with_figures_and_never_a_draft():
    commune = CommuneFactory()
    older = open_campaign(commune, name="Cũ")
    by_code(older, commune, answers(5))
    statistics_refresh(campaign=older)
    newer = open_campaign(commune, name="Mới")
    assert commune_results(commune).campaign == older  # the newer one has no figures yet
    by_code(newer, commune, answers(2), answers(3))
    statistics_refresh(campaign=newer)
    assert commune_results(commune).campaign == newer
    Campaign.objects.filter(pk=newer.pk).update(status=Campaign.Status.DRAFT)
    assert commune_results(commune).campaign == older


@pytest.mark.parametrize("communes", [1, 20])
def test_results_for_costs_two_queries_whatever_the_number_of_communes(django_assert_num_queries, communes):
    places = [CommuneFactory() for _index in range(communes)]
    campaign = open_campaign(places[0], communes=places[1:], questionnaire=questionnaire())
    for place in places:
        by_code(campaign, place, answers(4))
    by_link(campaign, places[0], answers(2))
    statistics_refresh(campaign=campaign)
    campaign = Campaign.objects.get(pk=campaign.pk)
    ids = [place.pk for place in places]
    with django_assert_num_queries(2):
        results = results_for(campaign, ids)
        for place in places:
            assert results[place.pk].overall.answered == 1
    assert results[places[0].pk].link_responses == 1
