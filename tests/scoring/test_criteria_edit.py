"""The two writes of a draft criteria set: its page's edits saved together (criteria_set_update) and its
parts replaced by a workbook's (criteria_set_replace), both refused once the set is published."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.models import CriteriaGroup, Criterion, FrozenSet, RequiredDocument, StarBand
from scoring.services import criteria_set_data, criteria_set_load, criteria_set_replace, criteria_set_update
from tests.communes.factories import ProvinceFactory
from tests.portal.factories import UserFactory
from tests.scoring.factories import YEAR, published_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return criteria_set_load(province=ProvinceFactory(), year=YEAR)


def rows_of(criteria_set, model, **filters) -> dict:
    parent = "group__criteria_set" if model is Criterion else "criteria_set"
    return {row.code: row for row in model.objects.filter(**{parent: criteria_set}, **filters)}


def criterion(code: str, group: CriteriaGroup, points: int = 1, **fields) -> Criterion:
    return Criterion(code=code, group=group, name_vi=f"Tiêu chí {code}", max_points=Decimal(points), **fields)


# --- criteria_set_update ------------------------------------------------------------------------


def test_update_saves_the_set_s_fields_and_rows_together_and_records_who(draft):
    user = UserFactory()
    criteria, groups = rows_of(draft, Criterion), rows_of(draft, CriteriaGroup)
    changed = criteria["G1.1"]
    changed.max_points = Decimal("3.5")
    band = draft.bands.get(stars=5)
    band.min_points = Decimal(96)
    added = criterion("G1.7", groups["G1"], position=7)
    document = RequiredDocument(code="HS6", name_vi="Hồ sơ khác", position=6)

    criteria_set_update(
        criteria_set=draft,
        by=user,
        criteria=[changed, added],
        bands=[band],
        documents=[document],
        deleted=[criteria["G1.6"]],
        name_en="Friendly communes",
    )

    draft.refresh_from_db()
    points = dict(groups["G1"].criteria.order_by("position").values_list("code", "max_points"))
    assert draft.name_en == "Friendly communes"
    assert draft.history.first().history_user == user
    assert list(points) == ["G1.1", "G1.2", "G1.3", "G1.4", "G1.5", "G1.7"]
    assert (points["G1.1"], points["G1.7"]) == (Decimal("3.5"), 1)
    assert draft.bands.get(stars=5).min_points == 96
    assert rows_of(draft, RequiredDocument)["HS6"].criteria_set == draft


def test_update_lets_a_new_row_take_a_deleted_code_and_deletes_a_group_once_emptied(draft):
    criteria, groups = rows_of(draft, Criterion), rows_of(draft, CriteriaGroup)
    moved = list(groups["G5"].criteria.all())
    for row in moved:
        row.group = groups["G4"]

    criteria_set_update(
        criteria_set=draft,
        by=None,
        criteria=[*moved, criterion("G1.6", groups["G1"], 2, position=6)],
        deleted=[groups["G5"], criteria["G1.6"]],
    )

    assert set(rows_of(draft, CriteriaGroup)) == {"G1", "G2", "G3", "G4"}
    assert Criterion.objects.filter(group__criteria_set=draft).count() == 25
    assert {row.code for row in moved} <= set(rows_of(draft, Criterion, group__code="G4"))
    assert rows_of(draft, Criterion)["G1.6"].pk != criteria["G1.6"].pk


def test_update_of_a_set_published_meanwhile_writes_nothing():
    criteria_set = published_set(ProvinceFactory())
    before = criteria_set_data(criteria_set)
    group = criteria_set.groups.get(code="G1")

    with pytest.raises(FrozenSet):
        criteria_set_update(criteria_set=criteria_set, by=None, criteria=[criterion("G1.9", group)], name_en="New")

    assert criteria_set_data(criteria_set) == before


def test_update_refuses_a_row_of_another_set_and_a_field_it_does_not_edit(draft):
    other = criteria_set_load(province=draft.province, year=YEAR + 1)
    stranger = rows_of(other, Criterion)["G1.1"]
    stranger.max_points = 9
    before = criteria_set_data(draft), criteria_set_data(other)

    with pytest.raises(ValueError, match="not a part"):
        criteria_set_update(criteria_set=draft, by=None, criteria=[stranger], name_en="Changed")
    with pytest.raises(TypeError, match="status"):
        criteria_set_update(criteria_set=draft, by=None, status="published")

    assert (criteria_set_data(draft), criteria_set_data(other)) == before


# --- criteria_set_replace -----------------------------------------------------------------------


def test_replace_numbers_new_rows_in_order_and_keeps_bands_and_documents_left_out(draft):
    bands, documents = criteria_set_data(draft)["bands"], criteria_set_data(draft)["documents"]
    a = CriteriaGroup(code="A", name_vi="Nhóm A", max_points=3)
    b = CriteriaGroup(code="B", name_vi="Nhóm B", max_points=1)

    criteria_set_replace(
        criteria_set=draft,
        by=None,
        groups=[a, b],
        criteria=[criterion("A1", a), criterion("B1", b), criterion("A2", a, 2)],
    )

    data = criteria_set_data(draft)
    assert [(g.code, g.position) for g in draft.groups.order_by("position")] == [("A", 1), ("B", 2)]
    assert [(c.group.code, c.code, c.position) for c in Criterion.objects.filter(group__criteria_set=draft)] == [
        ("A", "A1", 1),
        ("A", "A2", 2),
        ("B", "B1", 1),
    ]
    assert (data["bands"], data["documents"]) == (bands, documents)


def test_replace_replaces_bands_and_documents_when_given(draft):
    group = CriteriaGroup(code="A", name_vi="Nhóm A", max_points=1)

    criteria_set_replace(
        criteria_set=draft,
        by=None,
        groups=[group],
        criteria=[criterion("A1", group)],
        bands=[StarBand(stars=1, min_points=1)],
        documents=[RequiredDocument(code="HS9", name_vi="Hồ sơ"), RequiredDocument(code="HS8", name_vi="Khác")],
    )

    assert list(draft.bands.values_list("stars", "min_points")) == [(1, 1)]
    assert list(draft.documents.order_by("position").values_list("code", "position")) == [("HS9", 1), ("HS8", 2)]


def test_replace_refuses_a_published_set_rows_already_saved_and_criteria_outside_the_groups(draft):
    criteria_set = published_set(ProvinceFactory())
    before = criteria_set_data(criteria_set), criteria_set_data(draft)
    group, elsewhere = CriteriaGroup(code="A", name_vi="A", max_points=1), CriteriaGroup(code="B", name_vi="B")

    with pytest.raises(FrozenSet):
        criteria_set_replace(criteria_set=criteria_set, by=None, groups=[group], criteria=[criterion("A1", group)])
    with pytest.raises(ValueError, match="new rows"):
        criteria_set_replace(criteria_set=draft, by=None, groups=list(draft.groups.all()), criteria=[])
    with pytest.raises(ValueError, match="groups given"):
        criteria_set_replace(criteria_set=draft, by=None, groups=[group], criteria=[criterion("B1", elsewhere)])

    assert (criteria_set_data(criteria_set), criteria_set_data(draft)) == before
