"""Criteria G1.2–G1.5 read from the portal's own records: the villages' decisions sent to the commune
(art. 20(3) of Law 10/2022/QH15), consultations (art. 25–29), dialogue conferences (art. 32), the
boards' recommendations (art. 40), and the quarterly lists of disclosures (art. 13); their provenance on
the public result page.

The builders at the top write the democracy rows directly with the models, as the pages and services
of the democracy app leave them; tests/scoring/test_metrics.py's ``good_year`` uses ``democracy_year``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from communes.models import DisclosureCategory, DisclosureList
from core import clock
from democracy.models import (
    Board,
    BoardKind,
    Category,
    Conference,
    ConferenceStatus,
    Consultation,
    ConsultationStatus,
    Decision,
    DecisionStatus,
    Form,
    Matter,
    MatterStatus,
    Proposer,
    Recommendation,
    RecommendationStatus,
)
from scoring.models import Status
from scoring.services.computation.metrics import democracy_counts, disclosure_counts
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.democracy.factories import VillageFactory
from tests.portal.factories import UserFactory
from tests.scoring.factories import YEAR, advance, fill_self, open_assessment
from tests.scoring.test_metrics import END, START, disclosure, read

D = datetime.date


# --- Builders ---------------------------------------------------------------------------------------


def _village(commune):
    return commune.villages.first() or VillageFactory(commune=commune)


def decision(commune, decided: datetime.date, sent: datetime.date | None = None, *, by=None) -> Decision:
    """A village's deciding of a matter of its own, taken on ``decided`` and sent on ``sent`` (or not)."""
    by = by or UserFactory()
    village = _village(commune)
    matter = Matter.objects.create(
        commune=commune,
        village=village,
        title=f"Nội dung bàn ngày {decided:%d/%m/%Y}",
        summary="Các hộ cùng làm.",
        category=Category.SELF_MANAGED,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        status=MatterStatus.DECIDED if sent else MatterStatus.DECIDING,
        created_by=by,
    )
    starts = datetime.datetime.combine(decided, datetime.time(19), tzinfo=clock.VIETNAM)
    return Decision.objects.create(
        matter=matter,
        village=village,
        form=Form.MEETING,
        status=DecisionStatus.SENT if sent else DecisionStatus.COUNTED,
        starts_at=starts,
        decided_on=decided,
        sent_on=sent,
        sent_by=by if sent else None,
    )


def ruled(decision: Decision, status: str, on: datetime.date) -> None:
    """The commune recognises (or refuses) the matter's result on ``on``."""
    Matter.objects.filter(pk=decision.matter_id).update(status=status, recognised_on=on, recognition_number="1/QĐ")


def consultation(
    commune,
    opens: datetime.date,
    closes: datetime.date,
    *,
    closed: datetime.date | None = None,
    published: datetime.date | None = None,
    status: str | None = None,
    by=None,
) -> Consultation:
    if status is None:
        status = ConsultationStatus.SYNTHESISED if published else ConsultationStatus.CLOSED
    return Consultation.objects.create(
        commune=commune,
        topic=5,
        title=f"Lấy ý kiến dự thảo đến {closes:%d/%m/%Y}",
        summary="Dự thảo quyết định của UBND xã.",
        opens_on=opens,
        closes_on=closes,
        organiser="UBND xã",
        status=status,
        closed_on=closed,
        closing_reason="Đã nhận đủ ý kiến." if closed and closed < closes else "",
        synthesis_published_on=published,
        created_by=by or UserFactory(),
    )


def conference(commune, held: datetime.date, *, status: str = ConferenceStatus.HELD, by=None) -> Conference:
    starts = datetime.datetime.combine(held, datetime.time(8), tzinfo=clock.VIETNAM)
    return Conference.objects.create(
        commune=commune,
        title=f"Hội nghị đối thoại {held:%d/%m/%Y}",
        starts_at=starts,
        place="Hội trường UBND xã",
        questions_until=starts - datetime.timedelta(days=3),
        status=status,
        held_on=None if status in (ConferenceStatus.PLANNED, ConferenceStatus.CANCELLED) else held,
        published_on=held + datetime.timedelta(days=10) if status == ConferenceStatus.PUBLISHED else None,
        cancellation_reason="Trùng lịch bầu cử." if status == ConferenceStatus.CANCELLED else "",
        created_by=by or UserFactory(),
    )


def recommendation(
    commune, received: datetime.date, answered: datetime.date | None = None, *, due=None, by=None
) -> Recommendation:
    """A People's Inspection Board recommendation received on ``received``, answered on ``answered``."""
    by = by or UserFactory()
    board = Board.objects.filter(commune=commune).first() or Board.objects.create(
        commune=commune, kind=BoardKind.INSPECTION, term_starts_on=D(2024, 1, 1), term_ends_on=D(2029, 12, 31)
    )
    return Recommendation.objects.create(
        board=board,
        title=f"Kiến nghị ngày {received:%d/%m/%Y}",
        text="Đề nghị công khai dự toán thu chi.",
        received_on=received,
        due_on=due or Recommendation.due_for(received),
        status=RecommendationStatus.ANSWERED if answered else RecommendationStatus.AWAITING,
        answer="Đã công khai tại trụ sở." if answered else "",
        answered_on=answered,
        answered_by=by if answered else None,
        created_by=by,
    )


def democracy_year(commune, by=None, year: int = YEAR) -> None:
    """Records that earn G1.3–G1.5 their full points: a decision sent the next day, a consultation of
    30 days run in full with its synthesis, a dialogue conference, a recommendation answered in time."""
    decision(commune, D(year, 4, 1), D(year, 4, 2), by=by)
    consultation(commune, D(year, 5, 4), D(year, 6, 3), closed=D(year, 6, 3), published=D(year, 6, 20), by=by)
    conference(commune, D(year, 9, 12), by=by)
    recommendation(commune, D(year, 7, 1), D(year, 7, 10), by=by)


def quarter_lists(commune, quarters, year: int = YEAR) -> None:
    for quarter in quarters:
        last = D(year + quarter // 4, 3 * quarter % 12 + 1, 1)
        DisclosureList.objects.create(commune=commune, year=year, quarter=quarter, published_on=last)


def reading(metric: str, counts: dict, *communes):
    """The metric of a unit made of ``communes`` (a successor and the units it took over)."""
    total = Counter()
    for commune in communes:
        total.update(counts.get(commune.pk, {}))
    return read(metric, {communes[0].pk: total}, communes[0])


# --- G1.3: the villages' decisions ------------------------------------------------------------------


def test_a_decision_sent_on_the_fifth_working_day_is_on_time_and_on_the_sixth_late(db):
    commune, by = CommuneFactory(), UserFactory()
    # Decided on Monday 3 March 2025: the fifth working day after it is Monday 10 March.
    on_time = decision(commune, D(YEAR, 3, 3), D(YEAR, 3, 10), by=by)
    decision(commune, D(YEAR, 3, 3), D(YEAR, 3, 11), by=by)  # the sixth working day
    decision(commune, D(YEAR, 5, 5), None, by=by)  # never sent: late once its day has passed
    decision(commune, D(2024, 12, 30), D(2024, 12, 31), by=by)  # decided before the period
    ruled(on_time, MatterStatus.RECOGNISED, D(YEAR, 3, 14))

    result = reading("democracy.decisions_sent_on_time", democracy_counts([commune.pk], START, END), commune)

    assert on_time.send_due == D(YEAR, 3, 10)
    assert (result.value, result.rows) == (1 / 3, 3)
    assert result.detail == {
        "decided": 3,
        "sent": 2,
        "sent_on_time": 1,
        "not_yet_due": 0,
        "matters_recognised": 1,
        "matters_refused": 0,
    }


def test_a_decision_not_sent_and_not_yet_due_is_left_out_and_none_decided_has_no_value(db):
    commune, idle, by = CommuneFactory(), CommuneFactory(), UserFactory()
    today = clock.today()
    decision(commune, today, None, by=by)
    decision(commune, today - datetime.timedelta(days=40), today - datetime.timedelta(days=39), by=by)
    counts = democracy_counts([commune.pk, idle.pk], today - datetime.timedelta(days=60), today)

    result = reading("democracy.decisions_sent_on_time", counts, commune)
    nothing = reading("democracy.decisions_sent_on_time", counts, idle)

    assert (result.value, result.rows, result.detail["decided"], result.detail["not_yet_due"]) == (1.0, 1, 2, 1)
    assert (nothing.value, nothing.rows, nothing.detail["decided"]) == (None, 0, 0)


# --- G1.4: consultations ----------------------------------------------------------------------------


def test_a_consultation_is_on_time_when_run_in_full_for_20_days_with_its_synthesis_published(db):
    commune, by = CommuneFactory(), UserFactory()
    consultation(commune, D(YEAR, 3, 1), D(YEAR, 3, 25), closed=D(YEAR, 3, 25), published=D(YEAR, 4, 5), by=by)
    consultation(commune, D(YEAR, 4, 1), D(YEAR, 4, 30), closed=D(YEAR, 4, 20), published=D(YEAR, 5, 5), by=by)
    consultation(commune, D(YEAR, 5, 1), D(YEAR, 5, 16), closed=D(YEAR, 5, 16), published=D(YEAR, 5, 20), by=by)
    consultation(commune, D(YEAR, 6, 1), D(YEAR, 6, 30), closed=D(YEAR, 6, 30), by=by)  # no synthesis yet
    consultation(commune, D(YEAR, 7, 1), D(YEAR, 7, 30), status=ConsultationStatus.DRAFT, by=by)  # never opened
    consultation(commune, D(YEAR, 10, 20), D(YEAR, 11, 20), status=ConsultationStatus.OPEN, by=by)  # closes later

    result = reading("democracy.consultations_on_time", democracy_counts([commune.pk], START, END), commune)

    # On time, closed early, planned for 15 days only, synthesis unpublished.
    assert (result.value, result.rows) == (1 / 4, 4)
    assert result.detail == {"consultations": 4, "on_time": 1, "without_synthesis": 1, "not_yet_due": 0}
    assert reading("democracy.consultations_on_time", {}, CommuneFactory()).value is None


def test_a_consultation_still_taking_comments_is_neither_on_time_nor_late(db):
    commune, by = CommuneFactory(), UserFactory()
    today = clock.today()
    start, end = today - datetime.timedelta(days=60), today + datetime.timedelta(days=60)
    consultation(
        commune, today - datetime.timedelta(days=10), today + datetime.timedelta(days=10), status="open", by=by
    )

    result = reading("democracy.consultations_on_time", democracy_counts([commune.pk], start, end), commune)

    assert (result.value, result.rows) == (None, 0)
    assert result.detail == {"consultations": 1, "on_time": 0, "without_synthesis": 1, "not_yet_due": 1}


# --- G1.5: dialogue conferences and recommendations -------------------------------------------------


def test_dialogue_and_board_is_half_a_conference_held_half_the_recommendations_answered_on_time(db):
    both, conference_only, neither, by = CommuneFactory(), CommuneFactory(), CommuneFactory(), UserFactory()
    today = clock.today()
    start, end = today - datetime.timedelta(days=120), today
    conference(both, today - datetime.timedelta(days=30), status=ConferenceStatus.PUBLISHED, by=by)
    received = today - datetime.timedelta(days=100)
    due = received + datetime.timedelta(days=15)
    recommendation(both, received, due, due=due, by=by)  # answered on its last day
    recommendation(both, received, due + datetime.timedelta(days=1), due=due, by=by)  # a day late
    recommendation(both, received, None, due=due, by=by)  # awaiting past its due date: late
    recommendation(both, today - datetime.timedelta(days=3), None, due=today + datetime.timedelta(days=12), by=by)
    recommendation(both, start - datetime.timedelta(days=1), None, due=start + datetime.timedelta(days=14), by=by)
    conference(conference_only, today - datetime.timedelta(days=20), by=by)
    conference(neither, today - datetime.timedelta(days=10), status=ConferenceStatus.CANCELLED, by=by)
    conference(neither, today - datetime.timedelta(days=150), by=by)  # before the period
    counts = democracy_counts([both.pk, conference_only.pk, neither.pk], start, end)

    result = reading("democracy.dialogue_and_board", counts, both)

    assert result.value == pytest.approx(0.5 + 0.5 * 1 / 3)
    assert result.rows == 1 + 3
    assert result.detail == {"conferences": 1, "recommendations": 4, "answered_on_time": 1, "not_yet_due": 1}
    # No recommendation: none answered late, that half is full.
    assert reading("democracy.dialogue_and_board", counts, conference_only).value == 1.0
    assert reading("democracy.dialogue_and_board", counts, neither).value == 0.5


# --- Units merged in 2025, cost ---------------------------------------------------------------------


def test_the_records_of_the_units_taken_over_count_for_their_successor(db):
    province, by = ProvinceFactory(), UserFactory()
    first = CommuneFactory(province=province, valid_until=D(YEAR, 6, 30))
    second = CommuneFactory(province=province, valid_until=D(YEAR, 6, 30))
    merged = CommuneFactory(province=province, valid_from=D(YEAR, 7, 1))
    merged.predecessors.add(first, second)
    decision(first, D(YEAR, 3, 3), D(YEAR, 3, 4), by=by)
    decision(second, D(YEAR, 3, 3), D(YEAR, 3, 20), by=by)
    consultation(second, D(YEAR, 5, 1), D(YEAR, 5, 31), closed=D(YEAR, 5, 31), published=D(YEAR, 6, 10), by=by)
    recommendation(first, D(YEAR, 6, 2), None, by=by)
    conference(merged, D(YEAR, 9, 15), by=by)
    recommendation(merged, D(YEAR, 8, 1), D(YEAR, 8, 5), by=by)

    assessment = open_assessment(merged, by=by)
    values = assessment.snapshot.values

    assert assessment.snapshot.units == [merged.pk, *sorted([first.pk, second.pk])]
    assert (values["G1.3"]["value"], values["G1.3"]["rows"], values["G1.3"]["points"]) == (0.5, 2, "1.50")
    assert (values["G1.4"]["value"], values["G1.4"]["points"]) == (1.0, "3.00")
    assert values["G1.5"]["detail"] == {"conferences": 1, "recommendations": 2, "answered_on_time": 1, "not_yet_due": 0}
    assert (values["G1.5"]["value"], values["G1.5"]["points"]) == (0.75, "3.00")


def test_reading_the_democracy_records_costs_one_query_per_model_for_any_number_of_communes(
    db, django_assert_num_queries
):
    by = UserFactory()
    communes = [CommuneFactory() for _ in range(5)]
    for number, commune in enumerate(communes):
        decision(commune, D(YEAR, 3, 3 + number), D(YEAR, 3, 12), by=by)
        consultation(commune, D(YEAR, 4, 1), D(YEAR, 4, 30), closed=D(YEAR, 4, 30), published=D(YEAR, 5, 2), by=by)
        conference(commune, D(YEAR, 9, 1), by=by)
        recommendation(commune, D(YEAR, 6, 2), D(YEAR, 6, 10), by=by)
        disclosure(commune, "01_plan", D(YEAR, 3, 3), D(YEAR, 3, 4 + number), by)
    quarter_lists(communes[0], [1, 2])
    ids = [commune.pk for commune in communes]

    # Decisions, matters ruled on, consultations, conferences, recommendations.
    with django_assert_num_queries(5):
        democracy_counts(ids[:1], START, END)
    with django_assert_num_queries(5):
        many = democracy_counts(ids, START, END)
    # Disclosures and the quarterly lists.
    with django_assert_num_queries(2):
        disclosure_counts(ids[:1], START, END)
    with django_assert_num_queries(2):
        disclosure_counts(ids, START, END)

    assert [many[pk]["decided"] for pk in ids] == [1] * 5
    # Decided from Monday 3 to Friday 7 March, all sent on Wednesday 12 March: due 10, 11, 12, 13, 14 March.
    assert [many[pk]["sent_on_time"] for pk in ids] == [0, 0, 1, 1, 1]


# --- G1.2: the quarterly lists of disclosures -------------------------------------------------------


def test_disclosure_compliance_gives_a_fifth_to_the_lists_of_the_quarters_ended(db):
    commune, predecessor, before_lists, by = CommuneFactory(), CommuneFactory(), CommuneFactory(), UserFactory()
    for category in DisclosureCategory.values:
        disclosure(commune, category, D(YEAR, 3, 3), D(YEAR, 3, 5), by)
        disclosure(before_lists, category, D(YEAR, 3, 3), D(YEAR, 3, 5), by)
    quarter_lists(commune, [1, 3])
    quarter_lists(predecessor, [1, 2])  # the first quarter's list of both units counts once
    quarter_lists(commune, [4], year=YEAR - 1)  # a quarter outside the period
    counts = disclosure_counts([commune.pk, predecessor.pk], START, END)

    alone = reading("disclosure.compliance", counts, commune)
    merged = reading("disclosure.compliance", counts, commune, predecessor)

    # The period (January to October) touches the four quarters of the year, all ended by now.
    assert alone.detail == {"categories": 14, "of": 14, "on_time": 14, "items": 14, "quarter_lists": 2, "quarters": 4}
    assert alone.value == pytest.approx(0.4 + 0.4 + 0.2 * 2 / 4)
    assert (merged.detail["quarter_lists"], merged.detail["quarters"]) == (3, 4)
    assert merged.value == pytest.approx(0.4 + 0.4 + 0.2 * 3 / 4)
    # No unit read has a list for the period: the portal did not keep them, the other parts weigh half each.
    unkept = reading("disclosure.compliance", disclosure_counts([before_lists.pk], START, END), before_lists)
    assert (unkept.value, unkept.detail["quarters"]) == (1.0, 0)


def test_only_the_quarters_ended_by_the_computation_date_are_due(db):
    commune = CommuneFactory()
    today = clock.today()
    disclosure(commune, "01_plan", today - datetime.timedelta(days=1), today, UserFactory())
    ended = (today.month - 1) // 3  # the quarters of this year before the current one
    quarter_lists(commune, range(1, ended + 2), year=today.year)  # and one for the quarter under way

    detail = reading("disclosure.compliance", disclosure_counts([commune.pk], D(today.year, 1, 1), today), commune)

    assert (detail.detail["quarters"], detail.detail["quarter_lists"]) == (ended, ended)


# --- Points and the public page ---------------------------------------------------------------------


def test_the_set_gives_g1_3_to_g1_5_their_points_and_the_public_page_shows_the_figures_behind_them(db, client):
    officer = UserFactory(full_name="Lê Thị Riêng Tư", email="rieng.tu@example.com")
    commune = CommuneFactory()
    decision(commune, D(YEAR, 3, 3), D(YEAR, 3, 10), by=officer)
    decision(commune, D(YEAR, 3, 3), D(YEAR, 3, 11), by=officer)
    consultation(commune, D(YEAR, 4, 1), D(YEAR, 4, 30), closed=D(YEAR, 4, 30), published=D(YEAR, 5, 2), by=officer)
    consultation(commune, D(YEAR, 6, 1), D(YEAR, 6, 30), closed=D(YEAR, 6, 30), by=officer)
    recommendation(commune, D(YEAR, 6, 2), D(YEAR, 6, 30), by=officer)  # answered late, no conference
    quarter_lists(commune, [1, 2])
    assessment = advance(fill_self(open_assessment(commune, by=officer), by=officer), Status.PROVISIONAL)
    points = {line.criterion.code: line.computed_points for line in assessment.lines.select_related("criterion")}

    with translation.override("en"):
        page = client.get(reverse("scoring:result", args=[commune.pk, YEAR]))
    content = page.content.decode()

    assert (points["G1.3"], points["G1.4"], points["G1.5"]) == (Decimal("1.50"), Decimal("1.50"), Decimal("0.00"))
    assert page.status_code == 200
    for html_id, key, value in [
        ("detail-g13", "sent_on_time", "1"),
        ("detail-g13", "decided", "2"),
        ("detail-g14", "without_synthesis", "1"),
        ("detail-g15", "conferences", "0"),
        ("detail-g15", "answered_on_time", "0"),
        ("detail-g12", "quarters", "4"),
        ("detail-g12", "quarter_lists", "2"),
    ]:
        block = content[content.index(f'id="{html_id}"') :].split("</ul>", 1)[0]
        assert f'data-key="{key}" data-value="{value}"' in block, (html_id, key)
    assert "democracy.dialogue_and_board" not in content  # labels, not the registry's codes
    # Records carry their officers; the public page shows figures, never who.
    assert officer.full_name not in content and officer.email not in content
