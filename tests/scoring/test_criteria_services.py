"""Criteria sets below the pages: the project's set as loaded, publishing a new version over the
year's published one, the draft editor's rules, and the workbook out and back in."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from scoring.forms.criteria import CriteriaSetEditor, PercentField
from scoring.models import Assessment, CriteriaSet, Criterion, FrozenSet, Line
from scoring.resources.criteria import CriteriaImportError, criteria_set_import, criteria_set_workbook
from scoring.services import (
    assessment_self_save,
    criteria_set_data,
    criteria_set_load,
    criteria_set_problems,
    criteria_set_publish,
    criteria_set_revise,
)
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.scoring.factories import YEAR, open_assessment, published_set

pytestmark = pytest.mark.django_db
MEASURES = "self, survey, feedback, dossier, disclosure, profile, democracy"


@pytest.fixture
def draft():
    return criteria_set_load(province=ProvinceFactory(), year=YEAR)


def workbook(criteria_set, *, changes=None, drop=(), add_rows=None) -> io.BytesIO:
    """The set's export, with ``changes`` {(sheet, row, column name): value}, sheets dropped and rows added."""
    book = load_workbook(io.BytesIO(criteria_set_workbook(criteria_set)))
    for (sheet, row, name), value in (changes or {}).items():
        header = [cell.value for cell in book[sheet][1]]
        book[sheet].cell(row=row, column=header.index(name) + 1, value=value)
    for sheet, rows in (add_rows or {}).items():
        for row in rows:
            book[sheet].append(row)
    for sheet in drop:
        book.remove(book[sheet])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def problem(sheet: str, number: int, column: str, message: str, **params) -> tuple:
    """An expected error at row ``number``, its message in the active language as the import writes it."""
    return (sheet, number, column, _(message) % params if params else _(message))


def import_errors(criteria_set, file) -> list[tuple]:
    with pytest.raises(CriteriaImportError) as caught:
        criteria_set_import(criteria_set=criteria_set, file=file)
    return [(error.sheet, error.row, error.column, error.message) for error in caught.value.errors]


# --- The project's set --------------------------------------------------------------------------


def test_the_project_set_loads_as_a_complete_draft_of_100_points(draft):
    groups = list(draft.groups.prefetch_related("criteria"))

    assert draft.status == CriteriaSet.Status.DRAFT
    assert [(g.code, g.max_points) for g in groups] == [
        ("G1", 20),
        ("G2", 25),
        ("G3", 20),
        ("G4", 15),
        ("G5", 20),
    ]
    assert sum(g.max_points for g in groups) == 100
    assert sum(len(g.criteria.all()) for g in groups) == 25
    assert [b.min_points for b in draft.bands.filter(stars__gte=1).order_by("-stars")] == [95, 90, 85, 80, 70]
    assert [d.code for d in draft.documents.all()] == ["HS1", "HS2", "HS3", "HS4", "HS5"]
    assert criteria_set_problems(draft) == []


def test_a_year_that_has_a_set_gets_its_next_version(draft):
    again = criteria_set_load(province=draft.province, year=YEAR)

    assert (again.year, again.version) == (YEAR, 2)


# --- Publishing a new version -------------------------------------------------------------------


def test_publishing_v2_retires_v1_and_moves_draft_assessments_keeping_self_scores_of_the_same_codes():
    province = ProvinceFactory()
    v1 = published_set(province)
    assessment = open_assessment(CommuneFactory(province=province), v1)
    lines = {line.criterion.code: line for line in assessment.lines.select_related("criterion")}
    assessment_self_save(
        assessment=assessment,
        by=None,
        entries={lines["G1.1"].pk: {"self_score": Decimal("1.50")}, lines["G1.6"].pk: {"self_score": Decimal(2)}},
    )
    v2 = criteria_set_revise(criteria_set=v1, by=None)
    # v2 renames G1.6 to G1.7: its self-score has no criterion to go to.
    criteria_set_import(criteria_set=v2, file=workbook(v2, changes={("criteria", 7, "code"): "G1.7"}))

    criteria_set_publish(criteria_set=v2, by=None)

    v1.refresh_from_db()
    assessment.refresh_from_db()
    moved = {line.criterion.code: line.self_score for line in Line.objects.filter(assessment=assessment)}
    assert v1.status == CriteriaSet.Status.RETIRED
    assert assessment.criteria_set == v2
    assert Assessment.objects.filter(criteria_set=v1).count() == 0
    assert moved["G1.1"] == Decimal("1.50")
    assert moved["G1.7"] is None and "G1.6" not in moved
    assert len(moved) == 25


def test_a_published_set_is_frozen_for_every_part():
    criteria_set = published_set(ProvinceFactory())
    criterion = Criterion.objects.filter(group__criteria_set=criteria_set).select_related("group__criteria_set")[0]

    criterion.max_points = 99
    with pytest.raises(FrozenSet):
        criterion.save()
    with pytest.raises(CriteriaImportError):
        criteria_set_import(criteria_set=criteria_set, file=workbook(criteria_set))


# --- The draft editor ---------------------------------------------------------------------------


def test_percent_field_shows_percentages_and_keeps_fractions():
    field = PercentField(required=False)

    assert str(field.prepare_value(Decimal("0.9000"))) == "90"
    assert str(field.prepare_value(Decimal("0.6250"))) == "62.5"
    assert field.clean("62,5") == Decimal("0.625")
    assert field.clean("") is None
    assert not field.has_changed(Decimal("0.9000"), "90")


@pytest.mark.parametrize(
    "value, code", [("101", "range"), ("-1", "range"), ("12,345", "precision"), ("abc", "invalid")]
)
def test_percent_field_refuses_what_is_no_percentage(value, code):
    with pytest.raises(ValidationError) as caught:
        PercentField().clean(value)

    assert caught.value.code == code


def test_editor_saves_nothing_once_the_set_was_published_meanwhile(draft):
    editor = CriteriaSetEditor(draft)
    criteria_set_publish(criteria_set=draft, by=None)  # by someone else, after the page was read

    with pytest.raises(FrozenSet):
        editor.save()


# --- Workbook out and in ------------------------------------------------------------------------


def test_export_has_one_row_per_criterion_with_the_agreed_columns(draft):
    book = load_workbook(io.BytesIO(criteria_set_workbook(draft)))
    sheet = book["criteria"]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))

    assert book.sheetnames == ["criteria", "groups", "bands", "documents"]
    assert header[:14] == [
        *("group_code", "group_max", "code", "name_vi", "name_en", "max_points", "measure", "metric"),
        *("floor", "target", "min_rows", "min_rows_knockout", "guidance_vi", "guidance_en"),
    ]
    assert sheet.max_row == 26
    assert (first["group_code"], first["group_max"], first["code"]) == ("G1", 20, "G1.2")
    assert (first["metric"], first["floor"], first["target"]) == ("disclosure.compliance", 0, 1)


def test_round_trip_gives_the_same_set(draft):
    before = criteria_set_data(draft)
    copy = criteria_set_load(province=draft.province, year=YEAR + 1, data={**before, "groups": before["groups"][:1]})

    criteria_set_import(criteria_set=draft, file=workbook(draft))
    report = criteria_set_import(criteria_set=copy, file=workbook(draft))

    assert criteria_set_data(draft) == before
    assert criteria_set_data(copy) == before
    assert (report.groups, report.criteria, report.bands, report.documents) == (5, 25, 6, 5)


def test_text_that_looks_like_a_formula_comes_back_as_text(draft):
    data = criteria_set_data(draft)
    data["groups"][0]["criteria"][0]["guidance_en"] = "=1+1 is not run"
    criteria_set = criteria_set_load(province=draft.province, year=YEAR, data=data)
    file = workbook(criteria_set)
    sheet = load_workbook(file)["criteria"]
    file.seek(0)

    criteria_set_import(criteria_set=criteria_set, file=file)

    assert sheet.cell(row=2, column=14).data_type == "s"
    assert Criterion.objects.get(group__criteria_set=criteria_set, code="G1.1").guidance_en == "=1+1 is not run"


def test_import_lists_every_problem_by_row_and_changes_nothing(draft):
    before = criteria_set_data(draft)
    file = workbook(
        draft,
        changes={
            ("criteria", 2, "max_points"): "two",  # G1.1
            ("criteria", 3, "metric"): "disclosure.everything",  # G1.2
            ("criteria", 9, "metric"): "survey.officials",  # G2.2 is measured from dossiers
            ("criteria", 10, "group_max"): 26,  # G2.3 says G2 has 26 points
            ("criteria", 17, "measure"): "guesswork",  # G3.3
            ("criteria", 23, "max_points"): 4,  # G5.1: G5 adds up to 14
            ("criteria", 24, "code"): "G5.1",  # G5.2
        },
    )

    errors = import_errors(draft, file)

    assert problem("criteria", 2, "max_points", "Write the points as a number, such as 2.5.") in errors
    assert problem("criteria", 3, "metric", "Unknown metric “%(metric)s”.", metric="disclosure.everything") in errors
    assert (
        problem(
            "criteria",
            9,
            "metric",
            "The metric “%(metric)s” is computed from %(source)s, not %(measure)s.",
            metric="survey.officials",
            source="survey",
            measure="dossier",
        )
        in errors
    )
    assert (
        problem(
            "criteria", 10, "group_max", "Group %(group)s has %(max)s points on row %(row)d.", group="G2", max=25, row=8
        )
        in errors
    )
    assert (
        problem(
            "criteria",
            17,
            "measure",
            "Unknown measure “%(value)s”: write one of %(choices)s.",
            value="guesswork",
            choices=MEASURES,
        )
        in errors
    )
    assert (
        problem(
            "criteria",
            23,
            "max_points",
            "The criteria of group %(group)s add up to %(total)s points, not %(max)s.",
            group="G5",
            total=14,
            max=20,
        )
        in errors
    )
    assert (
        problem("criteria", 24, "code", "The code %(value)s is already used on row %(row)d.", value="G5.1", row=23)
        in errors
    )
    assert criteria_set_data(draft) == before


def test_import_reports_missing_columns_sheets_and_groups(draft):
    no_column = load_workbook(workbook(draft))
    no_column["criteria"].delete_cols(6)  # max_points
    buffer = io.BytesIO()
    no_column.save(buffer)
    buffer.seek(0)
    extra = {"criteria": [["G6", 1, "G6.1", "Mới", "", 1, "self"]]}

    assert import_errors(draft, buffer) == [problem("criteria", 1, "max_points", "This column is missing.")]
    assert problem(
        "criteria", 27, "group_code", "Group %(group)s is not on the “groups” sheet.", group="G6"
    ) in import_errors(draft, workbook(draft, add_rows=extra))
    assert problem(
        "criteria", 27, "group_code", "Group %(group)s is new: add a “groups” sheet with its name.", group="G6"
    ) in import_errors(draft, workbook(draft, drop=["groups"], add_rows=extra))
    assert problem("bands", 2, "min_points", "More stars must need more points.") in import_errors(
        draft, workbook(draft, changes={("bands", 3, "min_points"): 96})
    )


def test_import_refuses_what_is_no_workbook(draft):
    with pytest.raises(CriteriaImportError, match=re.escape(_("This file is not an Excel workbook (.xlsx)."))):
        criteria_set_import(criteria_set=draft, file=io.BytesIO(b"group_code,code\nG1,G1.1\n"))
    without_criteria = workbook(draft, drop=["criteria"])
    with pytest.raises(CriteriaImportError, match=re.escape(_("The workbook has no sheet named “criteria”."))):
        criteria_set_import(criteria_set=draft, file=without_criteria)


def test_import_without_bands_and_documents_sheets_keeps_the_draft_s(draft):
    bands, documents = list(draft.bands.values_list("stars", "min_points")), draft.documents.count()

    report = criteria_set_import(criteria_set=draft, file=workbook(draft, drop=["bands", "documents"]))

    assert (report.bands, report.documents) == (None, None)
    assert list(draft.bands.values_list("stars", "min_points")) == bands
    assert draft.documents.count() == documents


def test_import_reads_percentages_and_comma_decimals(draft):
    changes = {("criteria", 10, "floor"): "35%", ("criteria", 10, "target"): "0,8"}  # G2.3

    criteria_set_import(criteria_set=draft, file=workbook(draft, changes=changes))

    criterion = Criterion.objects.get(group__criteria_set=draft, code="G2.3")
    assert (criterion.floor, criterion.target) == (Decimal("0.35"), Decimal("0.8"))


def test_load_criteria_loads_and_publishes_the_project_s_set_for_a_province_in_force():
    province = ProvinceFactory(name="Hà Nam")
    output = io.StringIO()

    call_command("load_criteria", province="ha nam", year=2026, publish=True, stdout=output)
    with pytest.raises(CommandError):
        call_command("load_criteria", province="Không có", year=2026)

    criteria_set = CriteriaSet.objects.get(province=province)
    assert (criteria_set.year, criteria_set.status, criteria_set.groups.count()) == (2026, "published", 5)
    assert criteria_set.period_end == datetime.date(2026, 10, 31)
    assert str(province) in output.getvalue()
