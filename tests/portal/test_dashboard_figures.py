"""The dashboards' figures: the hourly rebuild of their aggregates from raw feedback and survey answers
(made through the apps' services), then, without the database, what the pages make of the aggregates:
the median of a histogram, the figures ``Sums`` gives (the SIPAS index, a factor's 95% interval, every
column), the period and the form that reads it."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from accounts.models import Role
from core import clock, pagecache
from feedback.models import Feedback, RefusalReason
from feedback.services import feedback_accept, feedback_dispute, feedback_refuse, feedback_resolve
from portal.dashboards.figures import COLUMN_KEYS, Period, Sums, median_of, province_figures_cached
from portal.dashboards.forms import PeriodForm
from portal.dashboards.refresh import dashboard_refresh
from portal.models import SIPAS_SLOTS, CategoryMonth, CommuneMonth
from surveys.models import Response
from surveys.services import response_by_code, response_by_kiosk, response_by_link, responses_exclude
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import user_with_role
from tests.surveys.factories import answers, code_batch, codes, kiosk, open_campaign, site_admin, straight_answers

D = datetime.date


def utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


# --- The hourly rebuild ---------------------------------------------------------------------------

REFRESHED_ON = D(2025, 6, 15)  # the day the rebuild runs
SINCE = D(2025, 3, 1)
FEEDBACK_FIGURES = ["received", "in_competence", "answered", "on_time", "late", "open_overdue", "disputed"]


def item(commune, category, *, sent: str, due: D, outcome: str = "", answered: str | None = None) -> Feedback:
    """An item submitted at ``sent`` (UTC), due on ``due``, taken through the services to ``outcome``
    (accepted, resolved, refused or disputed), its times then moved to the case's days in the past."""
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    feedback = submitted(commune=commune, category=category)
    if outcome in ("accepted", "resolved", "disputed"):
        feedback_accept(feedback=feedback, by=officer)
    if outcome in ("resolved", "disputed"):
        feedback_resolve(feedback=feedback, by=officer, answer="Đã thay bóng đèn.")
    if outcome == "disputed":
        feedback_dispute(feedback=feedback, reason="Đèn vẫn chưa sáng.")
    if outcome == "refused":
        feedback_refuse(
            feedback=feedback, by=officer, reason=RefusalReason.OUT_OF_SCOPE, public_text="Không thuộc thẩm quyền."
        )
    moved = {"submitted_at": utc(sent), "due_date": due}
    if answered:
        moved["answered_at"] = utc(answered)
    Feedback.objects.filter(pk=feedback.pk).update(**moved)
    return feedback


def stored(commune, month: D) -> dict:
    row = CommuneMonth.objects.get(commune=commune, month=month)
    return {
        "feedback": {name: getattr(row, f"feedback_{name}") for name in FEEDBACK_FIGURES},
        "days": row.feedback_answer_days,
        "sipas": {
            slot: (getattr(row, f"sipas_answered_{slot}"), getattr(row, f"sipas_satisfied_{slot}"))
            for slot in SIPAS_SLOTS
        },
    }


def categories_stored() -> dict:
    return {
        (row.commune_id, row.month, row.category.name): (row.received, row.on_time, row.late)
        for row in CategoryMonth.objects.select_related("category")
    }


@pytest.fixture
def scene(db, monkeypatch):
    """Two communes' feedback of March and April 2025, and their survey answers of those months."""
    province = ProvinceFactory()
    a, b = CommuneFactory(province=province), CommuneFactory(province=province)
    lights = CategoryFactory(province=province, name="Điện chiếu sáng")
    waste = CategoryFactory(province=province, name="Rác thải")
    item(a, lights, sent="2025-03-03 02:00", due=D(2025, 3, 17), outcome="resolved", answered="2025-03-05 02:00")
    item(a, waste, sent="2025-03-04 02:00", due=D(2025, 3, 18), outcome="resolved", answered="2025-03-24 02:00")
    item(a, lights, sent="2025-03-10 02:00", due=D(2025, 3, 24), outcome="accepted")  # open past its due date
    # 01:00 on 1 April in Vietnam: an April item.
    item(a, lights, sent="2025-03-31 18:00", due=D(2025, 4, 15), outcome="refused")
    # Answered the next day, disputed: reopened with a fresh time limit that has not run out.
    item(a, waste, sent="2025-04-02 02:00", due=D(2025, 6, 30), outcome="disputed", answered="2025-04-03 02:00")
    item(b, lights, sent="2025-03-12 01:00", due=D(2025, 3, 26), outcome="resolved", answered="2025-03-12 09:00")

    def on(day):
        monkeypatch.setattr(clock, "today", lambda: day)

    on(D(2025, 3, 10))
    campaign = open_campaign(a, communes=[b])
    raws = [answers(5), answers(4, **{"F5.0": "no"}), answers(2), straight_answers(5)]
    for code, raw in zip(codes(code_batch(campaign, a, len(raws))), raws, strict=True):
        response_by_code(code=code, raw=raw)
    response_by_kiosk(kiosk=kiosk(a), campaign=campaign, client_id=uuid.uuid4(), raw=answers(3))
    response_by_kiosk(kiosk=kiosk(b), campaign=campaign, client_id=uuid.uuid4(), raw=answers(5))
    response_by_link(campaign=campaign, commune=a, device_cookie=uuid.uuid4().hex, raw=answers(5))
    straight = Response.objects.filter(commune=a).exclude(flags="").values_list("pk", flat=True)
    assert responses_exclude(campaign=campaign, ids=straight, reason="Phiếu chọn một mức", by=site_admin()) == 1
    on(D(2025, 4, 10))
    (code,) = codes(code_batch(campaign, a, 1))
    response_by_code(code=code, raw=answers(4))
    monkeypatch.undo()
    return a, b


def test_the_rebuild_counts_each_communes_feedback_by_month_of_submission(scene):
    a, b = scene

    assert dashboard_refresh(since=SINCE, today=REFRESHED_ON) == 3

    march, april = stored(a, D(2025, 3, 1)), stored(a, D(2025, 4, 1))
    # On time; late (answered after the due date); still open past it: late and overdue.
    assert march["feedback"] == {
        "received": 3,
        "in_competence": 3,
        "answered": 2,
        "on_time": 1,
        "late": 2,
        "open_overdue": 1,
        "disputed": 0,
    }
    assert march["days"] == [0, 0, 1] + [0] * 17 + [1]  # answered after 2 days and after 20
    # Refused: outside the commune's competence. Disputed: answered on time, then reopened: not handled
    # until it is answered again, and not late before its fresh due date (counted once, not on time and late).
    assert april["feedback"] == {
        "received": 2,
        "in_competence": 1,
        "answered": 1,
        "on_time": 0,
        "late": 0,
        "open_overdue": 0,
        "disputed": 1,
    }
    assert april["days"] == [0, 1]
    assert stored(b, D(2025, 3, 1))["feedback"]["on_time"] == 1
    assert stored(b, D(2025, 3, 1))["days"] == [1]  # answered the same day in Vietnam


def test_the_rebuild_counts_feedback_by_category(scene):
    a, b = scene

    dashboard_refresh(since=SINCE, today=REFRESHED_ON)

    march, april = D(2025, 3, 1), D(2025, 4, 1)
    assert categories_stored() == {
        (a.pk, march, "Điện chiếu sáng"): (2, 1, 1),
        (a.pk, march, "Rác thải"): (1, 0, 1),
        (a.pk, april, "Điện chiếu sáng"): (1, 0, 0),
        (a.pk, april, "Rác thải"): (1, 0, 0),  # disputed and reopened: not handled yet
        (b.pk, march, "Điện chiếu sáng"): (1, 1, 0),
    }


def test_the_rebuild_counts_verified_survey_answers_only(scene):
    a, b = scene

    dashboard_refresh(since=SINCE, today=REFRESHED_ON)

    # March in A: by code 5, 4 (feedback items hidden), 2 and, excluded, a straight 5; by kiosk 3; by
    # the open link 5, not counted. Satisfied: 4 or 5.
    march = stored(a, D(2025, 3, 1))["sipas"]
    assert march == {0: (4, 2), 1: (4, 2), 2: (4, 2), 3: (4, 2), 4: (4, 2), 5: (3, 1)}
    assert stored(a, D(2025, 4, 1))["sipas"] == dict.fromkeys(SIPAS_SLOTS, (1, 1))
    assert stored(b, D(2025, 3, 1))["sipas"] == dict.fromkeys(SIPAS_SLOTS, (1, 1))


def test_rebuilding_twice_gives_the_same_rows(scene):
    def rows():
        months = CommuneMonth.objects.order_by("commune_id", "month").values()
        categories = CategoryMonth.objects.order_by("commune_id", "month", "category_id").values()
        return [{k: v for k, v in row.items() if k not in ("id", "refreshed_at")} for row in months], [
            {k: v for k, v in row.items() if k != "id"} for row in categories
        ]

    dashboard_refresh(since=SINCE, today=REFRESHED_ON)
    first = rows()
    dashboard_refresh(since=SINCE, today=REFRESHED_ON)

    assert rows() == first
    assert (CommuneMonth.objects.count(), CategoryMonth.objects.count()) == (3, 5)


def test_the_rebuild_keeps_the_months_before_it_starts(scene):
    a, _b = scene
    dashboard_refresh(since=SINCE, today=REFRESHED_ON)
    march = stored(a, D(2025, 3, 1))

    dashboard_refresh(since=D(2025, 4, 1), today=REFRESHED_ON)

    assert stored(a, D(2025, 3, 1)) == march
    assert CommuneMonth.objects.filter(month=D(2025, 4, 1)).count() == 1


def test_answers_after_sixty_days_and_more_share_the_last_bucket(db):
    commune = CommuneFactory()
    category = CategoryFactory(province=commune.province)
    item(
        commune, category, sent="2025-01-02 02:00", due=D(2025, 1, 16), outcome="resolved", answered="2025-03-18 02:00"
    )

    dashboard_refresh(since=D(2025, 1, 1), today=REFRESHED_ON)

    days = stored(commune, D(2025, 1, 1))["days"]
    assert (len(days), days[60]) == (61, 1)  # 75 days


def test_the_rebuild_gives_the_site_pages_a_new_version(db):
    before = pagecache.versions(["site"])["site"]

    dashboard_refresh(since=SINCE, today=REFRESHED_ON)

    assert pagecache.versions(["site"])["site"] != before


# --- The median of days to answer -----------------------------------------------------------------


def test_the_median_of_an_odd_number_of_items_is_the_middle_one():
    assert median_of(Counter({1: 1, 3: 1, 10: 1})) == 3


def test_the_median_of_an_even_number_of_items_is_halfway_between_the_two_middle_ones():
    assert median_of(Counter({1: 1, 2: 1, 4: 1, 10: 1})) == 3
    assert median_of(Counter({0: 2, 5: 2})) == 2.5  # 0, 0, 5, 5
    assert median_of(Counter({2: 3, 9: 1})) == 2  # 2, 2, 2, 9: both middle items in one bucket


def test_there_is_no_median_without_items():
    assert median_of(Counter()) is None
    assert median_of(Counter({4: 0})) is None


# --- Sums -----------------------------------------------------------------------------------------


def sipas(shares: dict[int, tuple[int, int]]) -> Counter:
    """Counts of answered and satisfied per SIPAS slot: {slot: (answered, satisfied)}."""
    counts = Counter()
    for slot, (answered, satisfied) in shares.items():
        counts[f"sipas_answered_{slot}"], counts[f"sipas_satisfied_{slot}"] = answered, satisfied
    return counts


def test_the_satisfaction_index_waits_until_all_five_factors_have_answers():
    four = Sums(sipas({0: (40, 30), 1: (40, 30), 2: (40, 20), 3: (40, 40), 4: (40, 10)}))
    assert four.satisfaction is None

    four.counts.update(sipas({5: (40, 30)}))

    assert four.satisfaction == pytest.approx((75 + 50 + 100 + 25 + 75) / 5)


def test_the_satisfaction_index_is_the_mean_of_the_factors_shares_not_of_their_answers():
    # 10 answers at 100% and 90 answers at 0% on the other factors: the mean of shares, 20%, not 10%.
    sums = Sums(sipas({1: (10, 10), 2: (90, 0), 3: (90, 0), 4: (90, 0), 5: (90, 0)}))
    assert sums.satisfaction == pytest.approx(20.0)


def test_a_factor_has_its_share_with_the_95_percent_wilson_interval():
    sums = Sums(sipas({1: (40, 30)}))

    share, low, high = sums.factor(1)

    assert share == pytest.approx(75.0)
    assert (low, high) == (pytest.approx(59.806, abs=0.001), pytest.approx(85.813, abs=0.001))
    assert sums.factor(2) == (None, None, None)  # no answers, no interval


def test_few_answers_means_a_factor_below_thirty_answers():
    enough = dict.fromkeys(range(1, 6), (30, 20))
    assert not Sums(sipas(enough)).few_answers
    assert Sums(sipas({**enough, 3: (29, 20)})).few_answers


EVERY_COUNT = Counter(
    {
        **sipas({0: (42, 35), 1: (40, 30), 2: (40, 20), 3: (40, 40), 4: (40, 10), 5: (40, 30)}),
        "feedback_received": 10,
        "feedback_in_competence": 9,
        "feedback_answered": 8,
        "feedback_on_time": 6,
        "feedback_late": 2,
        "feedback_open_overdue": 1,
        "feedback_disputed": 3,
        "dossiers_received": 50,
        "dossiers_resolved_early": 10,
        "dossiers_resolved_on_time": 20,
        "dossiers_resolved_late": 10,
        "dossiers_resolved_same_day": 8,
        "dossiers_submitted_online": 25,
        "disclosures": 4,
        "disclosures_on_time": 3,
        "matters_recognised": 7,
        "matters_refused": 1,
        "consultations": 2,
        "consultations_on_time": 1,
        "recommendations": 5,
        "recommendations_on_time": 4,
    }
)
EVERY_VALUE = {
    "satisfaction": 65.0,  # (75 + 50 + 100 + 25 + 75) / 5
    "answers": 42,  # the most answers any slot had
    "feedback_received": 10,
    "feedback_on_time": 75.0,  # 6 on time of 6 + 2 handled
    "feedback_overdue": 1,
    "feedback_disputed": 3,
    "feedback_median_days": 2.0,  # 1, 1, 3, 8
    "dossiers_on_time": 75.0,  # (10 + 20) of 40 resolved
    "dossiers_same_day": 20.0,  # 8 of 40 resolved
    "dossiers_online": 50.0,  # 25 of 50 received
    "disclosures_on_time": 75.0,
    "matters_recognised": 7,
    "consultations_on_time": 50.0,
    "recommendations_on_time": 80.0,
}


def test_every_column_but_the_stars_is_a_figure_of_the_sums():
    assert set(EVERY_VALUE) == set(COLUMN_KEYS) - {"stars"}


@pytest.mark.parametrize("key", list(EVERY_VALUE))
def test_sums_give_each_figure_from_the_counts(key):
    sums = Sums(Counter(EVERY_COUNT), Counter({1: 2, 3: 1, 8: 1}))
    assert sums.value(key) == pytest.approx(EVERY_VALUE[key])


def test_empty_sums_give_no_share_and_no_median_but_zero_counts():
    empty = Sums()
    values = {key: empty.value(key) for key in EVERY_VALUE}
    assert {key for key, value in values.items() if value is None} == {
        "satisfaction",
        "feedback_on_time",
        "feedback_median_days",
        "dossiers_on_time",
        "dossiers_same_day",
        "dossiers_online",
        "disclosures_on_time",
        "consultations_on_time",
        "recommendations_on_time",
    }
    assert {values[key] for key in ("answers", "feedback_received", "feedback_overdue", "matters_recognised")} == {0}


def test_sums_of_communes_add_up_counts_and_days():
    a = Sums(Counter(feedback_on_time=3, feedback_late=1), Counter({2: 1, 4: 1}))
    b = Sums(Counter(feedback_on_time=1, feedback_late=3), Counter({10: 1}))
    a.add(b)
    assert a.value("feedback_on_time") == 50.0
    assert a.value("feedback_median_days") == 4


def test_a_figure_the_sums_do_not_know_is_an_error():
    with pytest.raises(KeyError):
        Sums().value("stars")


# --- The period -----------------------------------------------------------------------------------

TODAY = D(2026, 3, 15)  # the day the period tests run


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def test_the_default_period_is_the_twelve_months_up_to_this_one(today):
    period = Period.default()

    assert (period.first, period.last) == (D(2025, 4, 1), D(2026, 3, 1))
    assert len(period.months) == 12
    assert period.end == D(2026, 3, 31)
    assert period.name_day == today  # named as of today while the period lasts
    assert Period(D(2024, 1, 1), D(2024, 12, 1)).name_day == D(2024, 12, 31)


def test_the_default_period_across_a_new_year():
    period = Period.default(D(2026, 1, 31))
    assert (period.first, period.last) == (D(2025, 2, 1), D(2026, 1, 1))


@pytest.mark.parametrize(
    ("data", "first", "last"),
    [
        ({"start": "2025-01", "end": "2025-06"}, D(2025, 1, 1), D(2025, 6, 1)),
        ({"start": "2025-06", "end": "2025-06"}, D(2025, 6, 1), D(2025, 6, 1)),
        ({"start": "2025-09"}, D(2025, 9, 1), D(2026, 3, 1)),  # up to this month
        ({"end": "2025-06"}, D(2024, 7, 1), D(2025, 6, 1)),  # the twelve months up to the end
        ({}, D(2025, 4, 1), D(2026, 3, 1)),
        ({"start": "2021-04", "end": "2026-03"}, D(2021, 4, 1), D(2026, 3, 1)),  # 60 months
    ],
)
def test_the_period_form_reads_the_months_asked_for(today, data, first, last):
    form = PeriodForm(data)
    assert form.is_valid(), form.errors
    assert form.period() == Period(first, last)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"start": "2025-06", "end": "2025-01"}, "order"),
        ({"start": "2026-01", "end": "2026-04"}, "range"),  # next month
        ({"start": "2014-12", "end": "2015-06"}, "range"),
        ({"start": "2021-03", "end": "2026-03"}, "too_long"),  # 61 months
    ],
)
def test_the_period_form_refuses_a_period_it_cannot_show(today, data, code):
    form = PeriodForm(data)

    assert not form.is_valid()
    assert form.has_error(NON_FIELD_ERRORS, code)
    assert form.period() == Period.default()


@pytest.mark.parametrize("garbage", ["2025-13", "2025-1", "tháng 3", "2025-02-30", "2025-00"])
def test_a_month_that_is_not_a_month_is_refused_and_the_last_twelve_months_are_shown(today, garbage):
    form = PeriodForm({"start": garbage, "end": "2025-06"})

    assert not form.is_valid()
    assert form.has_error("start", "invalid")
    assert form.period() == Period(D(2025, 4, 1), D(2026, 3, 1))


# --- The province's figures kept between requests -------------------------------------------------------


def _received(province, period) -> int:
    return province_figures_cached(province=province, period=period).total.counts["feedback_received"]


def test_the_kept_figures_are_computed_again_once_the_site_scope_changes(db, settings):
    settings.PAGE_CACHE = True
    province = ProvinceFactory()
    commune = CommuneFactory(province=province)
    period = Period(D(2025, 1, 1), D(2025, 12, 1))
    pagecache.bump("site")
    CommuneMonth.objects.create(commune=commune, month=D(2025, 3, 1), feedback_received=2, refreshed_at=clock.now())
    assert _received(province, period) == 2

    CommuneMonth.objects.filter(commune=commune).update(feedback_received=5)  # as a rebuild writes, in bulk
    assert _received(province, period) == 2  # kept
    pagecache.bump("site")  # what the rebuild does after writing
    assert _received(province, period) == 5


def test_without_the_page_cache_nothing_bumps_the_versions_so_nothing_is_kept(db, settings):
    settings.PAGE_CACHE = False
    province = ProvinceFactory()
    commune = CommuneFactory(province=province)
    period = Period(D(2025, 1, 1), D(2025, 12, 1))
    CommuneMonth.objects.create(commune=commune, month=D(2025, 3, 1), feedback_received=2, refreshed_at=clock.now())
    assert _received(province, period) == 2

    CommuneMonth.objects.filter(commune=commune).update(feedback_received=5)
    assert _received(province, period) == 5
