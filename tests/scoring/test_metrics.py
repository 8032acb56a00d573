"""Each kind of measurement read from the rows the portal keeps, and the points a value earns.

The builders at the top write those rows for one commune (the aggregates scoring reads: survey tallies
and monthly feedback figures as their refresh jobs store them; dossier statistics, disclosures and the
one-stop page through the communes services); the computation and star tests use them too.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from communes.models import DisclosureCategory, FacilityKind, OneStopShop, Procedure
from communes.models.disclosures import PERMANENT_CATEGORIES
from communes.services import (
    commune_procedures_set,
    disclosure_save,
    facilities_save,
    officer_save,
    opening_hours_replace,
    procedure_save,
    shop_update,
    shop_verify,
    statistics_save,
)
from core import clock
from feedback.models import MonthlyFigures
from scoring.services.computation.metrics import (
    METRICS,
    RESIDENTS,
    SIPAS,
    disclosure_counts,
    dossier_counts,
    feedback_counts,
    linear_points,
    profile_counts,
    survey_counts,
)
from surveys.models import Campaign, Channel, Questionnaire, Tally
from surveys.services import questionnaires_load
from tests.communes.factories import CommuneFactory
from tests.portal.factories import UserFactory
from tests.scoring.factories import YEAR, pdf_file

START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 10, 31)  # the set's data period
D = datetime.date


# --- Builders ---------------------------------------------------------------------------------------


def campaign_ending(province, code: str, ends_on: datetime.date) -> Campaign:
    """A closed campaign of ``code`` (pks-motcua or pks07-than-thien) whose last day is ``ends_on``."""
    questionnaires_load()
    return Campaign.objects.create(
        province=province,
        name=f"{code} {ends_on}",
        questionnaire=Questionnaire.objects.get(code=code, version=1),
        starts_on=ends_on - datetime.timedelta(days=60),
        ends_on=ends_on,
        status=Campaign.Status.CLOSED,
    )


def tally(campaign, commune, slot: int, answered: int, satisfied: int, channel: str = Channel.KIOSK) -> Tally:
    """One stored figure, as statistics_refresh writes it."""
    return Tally.objects.create(
        campaign=campaign,
        commune=commune,
        slot=slot,
        channel=channel,
        answered=answered,
        satisfied=satisfied,
        total=answered * 400,
        responses=answered,
    )


def surveys_answered(commune, *, sipas: int = 200, officials: int | None = None, residents: int = 150, share=1.0):
    """Verified answers in campaigns that ended in June: ``sipas`` respondents to pks-motcua (every
    factor, or ``officials`` to F3), ``residents`` to pks07; a ``share`` of them satisfied."""
    motcua = campaign_ending(commune.province, SIPAS, D(YEAR, 6, 30))
    for slot in range(6):
        answered = officials if slot == 3 and officials is not None else sipas
        tally(motcua, commune, slot, answered, round(answered * share))
    pks07 = campaign_ending(commune.province, RESIDENTS, D(YEAR, 6, 30))
    tally(pks07, commune, 0, residents, round(residents * share))


def dossier_month(commune, month: datetime.date, by=None, **figures) -> None:
    values = dict.fromkeys(
        ["resolved_same_day", "resolved_late", "late_with_apology", "pending", "paid_online", "digitised"], 0
    )
    values |= {"received": 100, "resolved_early": 50, "resolved_on_time": 50, "submitted_online": 0, **figures}
    statistics_save(commune=commune, month=month, figures=values, by=by or UserFactory())


def feedback_month(commune, month: datetime.date, **figures) -> MonthlyFigures:
    """A month of feedback figures, as feedback_monthly_refresh stores them."""
    return MonthlyFigures.objects.create(commune=commune, month=month, refreshed_at=timezone.now(), **figures)


def disclosure(commune, category: str, decided: datetime.date, published: datetime.date, by=None):
    return disclosure_save(
        commune=commune,
        title=f"Công khai {category}",
        category=category,
        decision_date=decided,
        published_on=published,
        posted_until=None if category in PERMANENT_CATEGORIES else published + datetime.timedelta(days=60),
        document=pdf_file("cong-khai.pdf"),
        by=by or UserFactory(),
    )


def one_stop_page(commune, by, *, phone="0204 3855 123", hours=True, officers=True, facilities=None, handled=1):
    """The commune's one-stop page, confirmed today; ``facilities`` available (default: all nine); the
    commune handles ``handled`` of the province's catalogue procedures (made if missing)."""
    shop = shop_update(commune=commune, address="Số 1 đường Trung tâm", phone=phone, by=by)
    if hours:
        sessions = [{"weekday": day, "opens": datetime.time(7, 30), "closes": datetime.time(17)} for day in range(5)]
        opening_hours_replace(shop=shop, sessions=sessions, by=by)
    if officers:
        officer_save(shop=shop, full_name="Nguyễn Thị Hoa", title="Công chức", field="Hộ tịch", duty_days=[0, 2], by=by)
    kinds = FacilityKind.values if facilities is None else facilities
    facilities_save(shop=shop, facilities={kind: {"available": True} for kind in kinds}, by=by)
    catalogue = catalogue_of(commune.province, by, size=max(handled, 1))
    commune_procedures_set(commune=commune, procedures={p.pk: "" for p in catalogue[:handled]}, by=by)
    return shop_verify(shop=shop, by=by)


def catalogue_of(province, by, size: int) -> list[Procedure]:
    for number in range(Procedure.objects.filter(province=province).count(), size):
        procedure_save(
            province=province,
            code=f"1.00{number:04d}",
            name=f"Thủ tục {number}",
            field="Hộ tịch",
            steps=["Nộp hồ sơ"],
            documents=["Tờ khai"],
            fee="Miễn phí",
            time_limit_days=3,
            same_day=False,
            online_level="full",
            by=by,
        )
    return list(Procedure.objects.filter(province=province).order_by("code"))


def good_year(commune, by, *, months=(1, 2)) -> None:
    """Data of ``commune`` that earns every computed criterion its full points."""
    from tests.scoring.test_democracy_metrics import democracy_year, quarter_lists

    surveys_answered(commune)
    for month in months:
        dossier_month(commune, D(YEAR, month, 1), by, submitted_online=90, paid_online=70, digitised=100)
    for category in DisclosureCategory.values:
        disclosure(commune, category, D(YEAR, 3, 3), D(YEAR, 3, 5), by)
    quarter_lists(commune, [1, 2, 3, 4])
    democracy_year(commune, by)
    one_stop_page(commune, by)


def read(metric: str, counts_by_commune: dict, commune):
    from collections import Counter

    return METRICS[metric].read(counts_by_commune.get(commune.pk, Counter()))


# --- Surveys ----------------------------------------------------------------------------------------


def test_survey_counts_only_verified_channels(db):
    commune = CommuneFactory()
    campaign = campaign_ending(commune.province, SIPAS, D(YEAR, 6, 30))
    tally(campaign, commune, 3, answered=40, satisfied=30, channel=Channel.KIOSK)
    tally(campaign, commune, 3, answered=10, satisfied=10, channel=Channel.CODE)
    tally(campaign, commune, 3, answered=500, satisfied=0, channel=Channel.LINK)  # an open link proves no visit

    reading = read("survey.officials", survey_counts([commune.pk], START, END), commune)

    assert (reading.value, reading.rows) == (0.8, 50)
    assert reading.detail == {"satisfied": 40, "answered": 50}


def test_sipas_index_is_the_mean_share_of_the_five_factors_over_the_respondents(db):
    commune = CommuneFactory()
    campaign = campaign_ending(commune.province, SIPAS, D(YEAR, 6, 30))
    tally(campaign, commune, 0, answered=60, satisfied=12)  # the overall item counts the respondents only
    for slot, satisfied in zip([1, 2, 3, 4, 5], [50, 45, 40, 35, 30], strict=True):
        tally(campaign, commune, slot, answered=50, satisfied=satisfied)

    reading = read("survey.sipas_index", survey_counts([commune.pk], START, END), commune)

    assert reading.value == pytest.approx(0.8)
    assert reading.rows == 60
    assert reading.detail == {"F1": 1.0, "F2": 0.9, "F3": 0.8, "F4": 0.7, "F5": 0.6}


def test_sipas_index_needs_every_factor(db):
    commune = CommuneFactory()
    campaign = campaign_ending(commune.province, SIPAS, D(YEAR, 6, 30))
    for slot in range(5):  # no answer to F5
        tally(campaign, commune, slot, answered=50, satisfied=50)

    reading = read("survey.sipas_index", survey_counts([commune.pk], START, END), commune)

    assert reading.value is None
    assert reading.detail["F5"] is None


def test_residents_read_the_overall_item_of_pks07_only(db):
    commune = CommuneFactory()
    residents = campaign_ending(commune.province, RESIDENTS, D(YEAR, 6, 30))
    tally(residents, commune, 0, answered=120, satisfied=90)
    tally(residents, commune, 5, answered=120, satisfied=0)
    tally(campaign_ending(commune.province, SIPAS, D(YEAR, 6, 30)), commune, 0, answered=300, satisfied=0)

    reading = read("survey.residents", survey_counts([commune.pk], START, END), commune)

    assert (reading.value, reading.rows) == (0.75, 120)


def test_only_campaigns_that_ended_within_the_period_count(db):
    commune = CommuneFactory()
    for ends_on, answered in [(D(2024, 12, 31), 1), (START, 10), (END, 20), (D(YEAR, 11, 1), 1000)]:
        tally(campaign_ending(commune.province, SIPAS, ends_on), commune, 3, answered=answered, satisfied=answered)

    reading = read("survey.officials", survey_counts([commune.pk], START, END), commune)

    assert reading.rows == 30


# --- Feedback ---------------------------------------------------------------------------------------


def test_feedback_rates_add_up_the_months_of_the_period(db):
    commune = CommuneFactory()
    feedback_month(commune, D(YEAR, 1, 1), received=12, in_competence=10, on_time=8, late=2, rated=5, unsatisfied=1)
    feedback_month(commune, D(YEAR, 10, 1), received=10, in_competence=10, on_time=9, late=1, rated=4, unsatisfied=2)
    feedback_month(commune, D(2024, 12, 1), received=50, in_competence=50, on_time=0, late=50)
    feedback_month(commune, D(YEAR, 11, 1), received=50, in_competence=50, on_time=0, late=50)
    counts = feedback_counts([commune.pk], START, END)

    on_time = read("feedback.on_time_rate", counts, commune)
    satisfaction = read("feedback.satisfaction_rate", counts, commune)

    assert (on_time.value, on_time.rows) == (17 / 20, 20)
    # Decision 766: (items − rated unsatisfied − late) ÷ items.
    assert satisfaction.value == (20 - 3 - 3) / 20
    assert satisfaction.detail == {"unsatisfied": 3, "late": 3, "items": 20}


def test_a_commune_without_feedback_has_nothing_handled_late(db):
    commune = CommuneFactory()
    counts = feedback_counts([commune.pk], START, END)

    readings = [read(metric, counts, commune) for metric in ("feedback.on_time_rate", "feedback.satisfaction_rate")]

    assert [(reading.value, reading.rows) for reading in readings] == [(1.0, 0), (1.0, 0)]


# --- Dossiers ---------------------------------------------------------------------------------------


def test_dossier_rates_from_the_monthly_statistics_of_the_period(db):
    commune = CommuneFactory()
    march = {"resolved_early": 40, "resolved_on_time": 50, "resolved_late": 10, "late_with_apology": 5}
    dossier_month(commune, D(YEAR, 3, 1), **march, submitted_online=60, paid_online=30, digitised=80)
    dossier_month(commune, D(YEAR, 10, 1), submitted_online=40, paid_online=10, digitised=100)
    dossier_month(commune, D(2024, 12, 1), resolved_early=0, resolved_on_time=0, resolved_late=100)
    counts = dossier_counts([commune.pk], START, END)

    values = {code: read(code, counts, commune).value for code in METRICS if code.startswith("dossier.")}

    assert values == {
        "dossier.on_time_rate": 190 / 200,
        "dossier.apology_rate": 5 / 10,
        "dossier.online_rate": 100 / 200,
        "dossier.online_payment_rate": 40 / 200,
        "dossier.digitised_rate": 180 / 200,
    }
    assert read("dossier.on_time_rate", counts, commune).rows == 200


def test_no_late_dossier_needs_no_apology(db):
    commune = CommuneFactory()
    dossier_month(commune, D(YEAR, 3, 1))

    reading = read("dossier.apology_rate", dossier_counts([commune.pk], START, END), commune)

    assert (reading.value, reading.rows) == (1.0, 0)


def test_no_dossier_statistics_give_no_value(db):
    commune = CommuneFactory()

    reading = read("dossier.on_time_rate", dossier_counts([commune.pk], START, END), commune)

    assert (reading.value, reading.rows) == (None, 0)


# --- Disclosures ------------------------------------------------------------------------------------


def test_disclosure_deadline_counts_working_days_across_tet(db):
    commune, by = CommuneFactory(), UserFactory()
    # Decided on Friday 24 January 2025; Tết closed offices from 27 January to 1 February, so the
    # fifth working day is Friday 7 February (counting weekdays alone would say 31 January).
    disclosure(commune, "01_plan", D(YEAR, 1, 24), D(YEAR, 2, 7), by)
    disclosure(commune, "02_budget", D(YEAR, 1, 24), D(YEAR, 2, 10), by)
    disclosure(commune, "03_investment_land", D(YEAR, 3, 3), D(YEAR, 3, 10), by)
    disclosure(commune, "05_funds", D(YEAR, 3, 3), D(YEAR, 3, 11), by)

    counts = disclosure_counts([commune.pk], START, END)[commune.pk]

    assert (counts["items"], counts["on_time"]) == (4, 2)


def test_disclosure_compliance_weighs_coverage_of_the_14_categories_on_time_and_quarterly_lists(db):
    from tests.scoring.test_democracy_metrics import quarter_lists

    commune, other, by = CommuneFactory(), CommuneFactory(), UserFactory()
    for category in DisclosureCategory.values:
        disclosure(commune, category, D(YEAR, 3, 3), D(YEAR, 3, 5), by)
    quarter_lists(commune, [1, 2, 3, 4])
    for category in DisclosureCategory.values[:7]:
        disclosure(other, category, D(YEAR, 3, 3), D(YEAR, 4, 30), by)  # late
    disclosure(other, "08_disaster_support", D(2024, 12, 2), D(2024, 12, 3), by)  # before the period
    quarter_lists(other, [1])
    counts = disclosure_counts([commune.pk, other.pk], START, END)

    full = read("disclosure.compliance", counts, commune)
    half = read("disclosure.compliance", counts, other)

    assert (full.value, full.rows) == (1.0, 14)
    # 0.4 × 7/14 categories + 0.4 × none on time + 0.2 × 1 of the 4 quarters' lists.
    assert (half.value, half.rows) == (pytest.approx(0.25), 7)
    assert half.detail == {"categories": 7, "of": 14, "on_time": 0, "items": 7, "quarter_lists": 1, "quarters": 4}
    assert read("disclosure.compliance", counts, CommuneFactory()).value is None


# --- The one-stop page ------------------------------------------------------------------------------


def test_profile_completeness_counts_each_part_of_the_page(db):
    complete, partial, by = CommuneFactory(), CommuneFactory(), UserFactory()
    one_stop_page(complete, by)
    one_stop_page(partial, by, phone="", hours=False, facilities=FacilityKind.values[:3], handled=1)
    catalogue_of(partial.province, by, size=2)  # the province lists a second procedure
    counts = profile_counts([complete.pk, partial.pk], START, END)

    assert read("profile.completeness", counts, complete).value == 1.0
    reading = read("profile.completeness", counts, partial)
    assert reading.detail == {
        "contact": 0,
        "hours": 0,
        "officers": 1,
        "facilities": round(3 / 9, 4),
        "procedures": 0.5,
        "fresh": 1,
    }
    assert reading.value == pytest.approx((1 + 3 / 9 + 0.5 + 1) / 6)


@pytest.mark.parametrize(("days_ago", "fresh"), [(0, 1), (90, 1), (91, 0)])
def test_profile_confirmed_within_90_days_is_fresh(db, days_ago, fresh):
    commune = CommuneFactory()
    one_stop_page(commune, UserFactory())
    # The officer's last confirmation, moved back in time.
    OneStopShop.objects.filter(commune=commune).update(verified_on=clock.today() - datetime.timedelta(days=days_ago))

    assert profile_counts([commune.pk], START, END)[commune.pk]["fresh"] == fresh


def test_commune_without_one_stop_page_has_no_profile_value(db):
    commune = CommuneFactory()

    reading = read("profile.completeness", profile_counts([commune.pk], START, END), commune)

    assert (reading.value, reading.rows) == (None, 0)


# --- Points -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "floor", "target", "max_points", "points"),
    [
        (0.9, "0.90", "1", "8", "0.00"),  # exactly at the floor (a float 0.9 is taken as 0.90)
        (1.0, "0.90", "1", "8", "8.00"),  # exactly at the target
        (0.95, "0.90", "1", "8", "4.00"),  # half-way
        (0.5, "0.90", "1", "8", "0.00"),  # below the floor
        (1.2, "0.90", "1", "8", "8.00"),  # above the target
        (None, "0.90", "1", "8", "0.00"),  # nothing to measure
        (0.8, "0.7", "0.95", "9", "3.60"),
        (0.415, "0", "1", "3", "1.25"),  # 1.245 rounds half up (half-even would give 1.24)
        (0.8, "0.5", "1", "2.5", "1.50"),
        (0.625, "0.2", "0.6", "2.5", "2.50"),
    ],
)
def test_linear_points(value, floor, target, max_points, points):
    assert linear_points(value, Decimal(floor), Decimal(target), Decimal(max_points)) == Decimal(points)
