"""Reads of the units shared by pages: following successors to today's units."""

import datetime

import pytest

from communes.models import Commune
from communes.selectors import successors_today, with_successors_today
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

END_2024 = datetime.date(2024, 12, 31)


def test_successors_today_follow_a_chain_of_any_length_to_the_units_in_force(django_assert_num_queries):
    today = CommuneFactory(name="Vân Hà")
    in_2025 = CommuneFactory(legacy=True, name="Quảng Minh")
    in_2024 = CommuneFactory(legacy=True, name="Minh Đức", valid_until=END_2024)
    in_2020 = CommuneFactory(legacy=True, name="Đức Hưng", valid_until=datetime.date(2020, 1, 31))
    in_2025.successors.add(today)
    in_2024.successors.add(in_2025)
    in_2020.successors.add(in_2024)

    with django_assert_num_queries(1):
        found = successors_today(units=[in_2020, in_2024, in_2025, today])

    assert found == {in_2020.pk: [today], in_2024.pk: [today], in_2025.pk: [today]}


def test_successors_today_lead_to_every_part_of_a_split_in_code_order():
    split = CommuneFactory(legacy=True, valid_until=END_2024)
    later = CommuneFactory(legacy=True)
    parts = [CommuneFactory(code="07903"), CommuneFactory(code="07901")]
    straight = CommuneFactory(code="07902")
    split.successors.add(later, straight)
    later.successors.add(*parts)

    assert successors_today(units=[split])[split.pk] == sorted([*parts, straight], key=lambda unit: unit.code)


def test_successors_today_stop_at_an_ended_unit_without_a_successor_and_survive_a_loop():
    dead_end = CommuneFactory(legacy=True)
    first = CommuneFactory(legacy=True, valid_until=END_2024)
    first.successors.add(dead_end)
    looping = CommuneFactory(legacy=True, valid_until=END_2024)
    other = CommuneFactory(legacy=True)
    looping.successors.add(other)
    other.successors.add(looping)  # bad data: each names the other
    alone = CommuneFactory(legacy=True)

    found = successors_today(units=[first, looping, alone])

    assert found == {first.pk: [dead_end], looping.pk: [], alone.pk: []}


def test_successors_today_work_for_provinces_and_cost_nothing_for_no_units(django_assert_num_queries):
    bac_ninh = ProvinceFactory(name="Bắc Ninh")
    bac_giang = ProvinceFactory(name="Bắc Giang", valid_until=LEGACY_UNTIL)
    bac_giang.successors.add(bac_ninh)

    with django_assert_num_queries(0):
        assert successors_today(units=[]) == {}
    assert successors_today(units=[bac_giang, bac_ninh]) == {bac_giang.pk: [bac_ninh]}


def test_with_successors_today_marks_each_unit_of_a_list():
    today = CommuneFactory()
    ended = CommuneFactory(legacy=True)
    ended.successors.add(today)

    units = with_successors_today(Commune.objects.order_by("pk"))

    assert [unit.successors_today for unit in units] == [[], [today]]
