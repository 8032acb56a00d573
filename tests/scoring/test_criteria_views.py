"""DoHA's criteria-set pages: who reaches them, the list and the set at a constant cost, editing a
draft (and refusing bad input whole), publishing and revising, and the workbook through the pages."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import Role
from core import clock
from scoring.forms.criteria import CriteriaSetEditor
from scoring.models import CriteriaSet, Criterion
from scoring.models.criteria import FROZEN_MESSAGE
from scoring.resources.criteria import criteria_set_workbook
from scoring.rules import MANAGE_CRITERIA
from scoring.services import criteria_set_data, criteria_set_load, criteria_set_problems, criteria_set_publish
from scoring.services.computation.metrics import METRICS
from scoring.views import criteria
from tests.communes.factories import ProvinceFactory
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture
from tests.scoring.factories import YEAR, published_set

pytestmark = pytest.mark.django_db

DOHA = {"doha_here", "doha_of_successor", "site_admin"}


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


# Expected status of a GET per (route, role). The set is a draft of the pre-2025 province;
# criteria_act only takes a POST, so the roles allowed to act get 405 from a GET.
MATRIX = {
    "scoring:criteria_sets": expected(DOHA),
    "scoring:criteria_set": expected(DOHA),
    "scoring:criteria_export": expected(DOHA),
    "scoring:criteria_import": expected(DOHA),
    "scoring:criteria_act": expected(DOHA, allowed_status=405),
}


def url(name: str, criteria_set: CriteriaSet, **kwargs) -> str:
    if name == "scoring:criteria_sets":
        return reverse(name, kwargs={"pk": criteria_set.province.pk})
    return reverse(name, kwargs={"pk": criteria_set.pk, **kwargs})


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer_from_criteria_page(client, places, name, role):  # noqa: F811
    criteria_set = criteria_set_load(province=places.province, year=YEAR)
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)

    response = client.get(url(name, criteria_set, **({"action": "publish"} if name == "scoring:criteria_act" else {})))

    assert response.status_code == MATRIX[name][role]
    if response.status_code == 302:
        assert "login" in response.headers["Location"]


def test_every_criteria_route_is_in_the_matrix_and_needs_manage_criteria():
    routes = {
        f"scoring:{pattern.name}": pattern.callback
        for pattern in get_resolver("scoring.urls").url_patterns
        if isinstance(pattern, URLPattern) and pattern.callback.__module__ == criteria.__name__
    }

    assert set(routes) == set(MATRIX)
    assert all(set(statuses) == set(ROLES) for statuses in MATRIX.values())
    assert {view.permission_required for view in routes.values()} == {MANAGE_CRITERIA}


# --- Fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def doha(client, province):
    user = user_with_role(Role.DOHA_STAFF, province)
    client.force_login(user)
    return user


@pytest.fixture
def draft(province):
    return criteria_set_load(province=province, year=YEAR)


def small_set(province, groups: int) -> CriteriaSet:
    data = criteria_set_data(criteria_set_load(province=ProvinceFactory(), year=YEAR))
    return criteria_set_load(province=province, year=YEAR + 1, data={**data, "groups": data["groups"][:groups]})


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def page_data(criteria_set: CriteriaSet, **changes) -> dict:
    """What the draft's page posts back untouched, with ``changes`` by field name."""
    editor = CriteriaSetEditor(criteria_set)
    data = {}
    for formset in editor.formsets:
        data.update({field.html_name: field.value() for field in formset.management_form})
    for form in [editor.form, *(form for formset in editor.formsets for form in formset.forms)]:
        for field in form:
            value = field.value()
            if field.widget_type == "checkbox":
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = field.field.widget.format_value(value) or ""
    return {**data, **changes}


def field_name(criteria_set: CriteriaSet, code: str, name: str) -> str:
    """The posted name of a criterion's field on the draft's page."""
    editor = CriteriaSetEditor(criteria_set)
    form = next(form for form in editor.criteria.forms if form.instance.code == code)
    return form[name].html_name


# --- The list of sets ---------------------------------------------------------------------------


def test_doha_lists_the_province_s_sets_with_status_and_publisher(client, doha, province):
    first = published_set(province, year=YEAR, by=doha)
    second = criteria_set_load(province=province, year=YEAR)

    page = client.get(reverse("scoring:criteria_sets", kwargs={"pk": province.pk})).content.decode()

    assert url("scoring:criteria_set", first) in page and url("scoring:criteria_set", second) in page
    assert "criteria-status--published" in page and "criteria-status--draft" in page
    assert escape(doha.full_name) in page
    assert f'name="year" value="{clock.today().year}"' in page


def test_the_list_costs_the_same_for_one_set_as_for_four(client, doha, province):
    path = reverse("scoring:criteria_sets", kwargs={"pk": province.pk})
    published_set(province, by=doha)
    one = queries(client, path)
    for year in (YEAR + 1, YEAR + 2, YEAR + 2):
        criteria_set_load(province=province, year=year, by=doha)

    assert queries(client, path) == one


def test_a_new_set_of_a_year_is_the_project_s_draft(client, doha, province):
    response = client.post(reverse("scoring:criteria_sets", kwargs={"pk": province.pk}), {"year": YEAR + 1})

    created = CriteriaSet.objects.get(province=province, year=YEAR + 1)
    assert response.headers["Location"] == reverse("scoring:criteria_set", kwargs={"pk": created.pk})
    assert (created.status, created.version, created.created_by) == (CriteriaSet.Status.DRAFT, 1, doha)
    assert Criterion.objects.filter(group__criteria_set=created).count() == 25


def test_a_year_out_of_range_makes_no_set(client, doha, province):
    response = client.post(reverse("scoring:criteria_sets", kwargs={"pk": province.pk}), {"year": 1999})

    assert response.status_code == 200
    assert not CriteriaSet.objects.filter(province=province).exists()


# --- One set ------------------------------------------------------------------------------------


@pytest.mark.parametrize("publish", [False, True])
def test_the_set_page_costs_the_same_for_one_group_as_for_five(client, doha, province, publish):
    small, full = small_set(province, 1), criteria_set_load(province=province, year=YEAR + 2)
    if publish:
        small, full = (criteria_set_publish(criteria_set=s, by=doha) for s in (small, full))

    assert queries(client, url("scoring:criteria_set", small)) == queries(client, url("scoring:criteria_set", full))


def test_a_published_set_reads_with_percentages_metrics_and_bands(client, doha, province):
    criteria_set = published_set(province, by=doha)

    page = client.get(url("scoring:criteria_set", criteria_set)).content.decode()

    assert "G3.3" in page and "HS5" in page
    assert escape(str(METRICS["survey.officials"].label)) in page
    assert "70%" in page and "95%" in page  # G3.3: 0 points at 70%, full points at 95%
    assert 'action="' + url("scoring:criteria_act", criteria_set, action="revise") + '"' in page
    assert 'name="set-name_vi"' not in page


def test_each_criterion_says_its_source_and_designed_ones_are_marked(client, doha, province):
    criteria_set = published_set(province, by=doha)
    designed = Criterion.objects.filter(group__criteria_set=criteria_set, provenance__contains="designed")

    page = client.get(url("scoring:criteria_set", criteria_set)).content.decode()

    assert designed.exists()
    assert escape(designed.first().provenance) in page
    assert page.count(f">{_('designed')}</span>") == designed.count()


def test_a_draft_page_shows_its_checklist_and_its_form(client, doha, draft):
    page = client.get(url("scoring:criteria_set", draft)).content.decode()

    assert 'name="set-name_vi"' in page and 'name="criteria-TOTAL_FORMS"' in page
    assert url("scoring:criteria_act", draft, action="publish") in page  # ready: no problem listed


def test_doha_edits_a_draft_in_one_save(client, doha, draft):
    points = field_name(draft, "G1.1", "max_points")
    floor = field_name(draft, "G2.2", "floor")
    data = page_data(draft, **{"set-name_en": "Friendly communes 2025", points: "3,5", floor: "92,5"})

    response = client.post(url("scoring:criteria_set", draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name_en == "Friendly communes 2025"
    assert Criterion.objects.get(group__criteria_set=draft, code="G1.1").max_points == Decimal("3.5")
    assert Criterion.objects.get(group__criteria_set=draft, code="G2.2").floor == Decimal("0.925")
    page = client.get(url("scoring:criteria_set", draft)).content.decode()
    assert re.search(r"21[.,]5", page)  # the checklist: G1 now adds up to 21.5 points, not 20
    assert url("scoring:criteria_act", draft, action="publish") not in page


def test_a_criterion_is_added_and_another_deleted_in_the_same_save(client, doha, draft):
    g1 = draft.groups.get(code="G1")
    new = {"group": g1.pk, "code": "G1.7", "name_vi": "Tiêu chí mới", "max_points": "2", "measure": "self"}
    data = page_data(
        draft,
        **{field_name(draft, "G1.6", "DELETE"): "on"},
        **{f"criteria-25-{name}": value for name, value in new.items()},
    )

    response = client.post(url("scoring:criteria_set", draft), data)

    assert response.status_code == 302
    assert list(g1.criteria.values_list("code", flat=True)) == ["G1.1", "G1.2", "G1.3", "G1.4", "G1.5", "G1.7"]
    assert criteria_set_problems(draft) == []


@pytest.mark.parametrize("language, message", [("vi", "Nhập một số."), ("en", "Enter a number.")])
def test_bad_input_is_refused_whole_in_the_reader_s_language(client, doha, draft, language, message):
    before = criteria_set_data(draft)
    changes = {
        "set-name_en": "Changed",
        field_name(draft, "G1.1", "max_points"): "hai",
        "set-appraisal_deadline": f"{YEAR}-11-01",  # before the reviews
    }

    with translation.override(language):
        response = client.post(url("scoring:criteria_set", draft), page_data(draft, **changes))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert criteria_set_data(draft) == before


def test_two_criteria_with_one_code_are_refused(client, doha, draft):
    data = page_data(draft, **{field_name(draft, "G1.2", "code"): "G1.1"})

    response = client.post(url("scoring:criteria_set", draft), data)

    assert "G1.1" in response.content.decode() and response.status_code == 200
    assert Criterion.objects.filter(group__criteria_set=draft, code="G1.2").exists()


def test_a_group_with_criteria_left_is_not_deleted(client, doha, draft):
    data = page_data(draft, **{"groups-4-DELETE": "on"})  # G5, its criteria kept

    response = client.post(url("scoring:criteria_set", draft), data)

    assert response.status_code == 200
    assert draft.groups.filter(code="G5").exists()


def test_a_published_set_cannot_be_edited_and_says_so(client, doha, province):
    criteria_set = published_set(province, by=doha)
    before = criteria_set_data(criteria_set)

    response = client.post(url("scoring:criteria_set", criteria_set), {"set-name_vi": "Khác"}, follow=True)

    assert response.status_code == 200
    assert escape(str(FROZEN_MESSAGE)) in response.content.decode()
    assert criteria_set_data(criteria_set) == before


# --- Publish and revise -------------------------------------------------------------------------


def test_publish_then_revise_then_publish_again_retires_the_first(client, doha, draft):
    client.post(url("scoring:criteria_act", draft, action="publish"))
    draft.refresh_from_db()
    response = client.post(url("scoring:criteria_act", draft, action="revise"))
    second = CriteriaSet.objects.get(province=draft.province, year=YEAR, version=2)
    client.post(url("scoring:criteria_act", second, action="publish"))

    draft.refresh_from_db()
    second.refresh_from_db()
    assert response.headers["Location"] == url("scoring:criteria_set", second)
    assert (draft.status, second.status) == (CriteriaSet.Status.RETIRED, CriteriaSet.Status.PUBLISHED)
    assert second.published_by == doha


def test_publishing_twice_or_a_set_with_problems_shows_a_message(client, doha, province):
    criteria_set = published_set(province, by=doha)
    unfinished = small_set(province, 1)
    data = page_data(unfinished, **{field_name(unfinished, "G1.1", "max_points"): "9"})
    client.post(url("scoring:criteria_set", unfinished), data)

    again = client.post(url("scoring:criteria_act", criteria_set, action="publish"), follow=True)
    refused = client.post(url("scoring:criteria_act", unfinished, action="publish"), follow=True)

    assert again.status_code == refused.status_code == 200
    assert "message--error" in again.content.decode() and "message--error" in refused.content.decode()
    unfinished.refresh_from_db()
    assert unfinished.status == CriteriaSet.Status.DRAFT


def test_unknown_action_is_not_found_and_get_is_not_allowed(client, doha, draft):
    assert client.post(url("scoring:criteria_act", draft, action="delete")).status_code == 404
    assert client.get(url("scoring:criteria_act", draft, action="publish")).status_code == 405
    draft.refresh_from_db()
    assert draft.status == CriteriaSet.Status.DRAFT


# --- Workbook -----------------------------------------------------------------------------------


def test_export_is_a_workbook_named_after_the_set(client, doha, draft):
    response = client.get(url("scoring:criteria_export", draft))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"-{YEAR}-v1.xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content))["criteria"].max_row == 26


def _upload(content: bytes, name: str = "criteria.xlsx") -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def test_import_through_the_page_lists_row_errors_and_changes_nothing(client, doha, draft):
    before = criteria_set_data(draft)
    book = load_workbook(io.BytesIO(criteria_set_workbook(draft)))
    book["criteria"]["H3"] = "disclosure.everything"  # G1.2's metric
    buffer = io.BytesIO()
    book.save(buffer)

    response = client.post(url("scoring:criteria_import", draft), {"file": _upload(buffer.getvalue())})

    page = response.content.decode()
    assert response.status_code == 200
    assert "disclosure.everything" in page and "<td>3</td>" in page
    assert criteria_set_data(draft) == before


def test_import_through_the_page_replaces_the_draft(client, doha, draft, province):
    source = published_set(ProvinceFactory(), year=YEAR + 1)
    small = small_set(province, 2)

    response = client.post(url("scoring:criteria_import", small), {"file": _upload(criteria_set_workbook(source))})

    assert response.status_code == 302
    assert criteria_set_data(small) == criteria_set_data(source)


def test_a_file_that_is_no_workbook_is_refused_on_the_form(client, doha, draft):
    response = client.post(url("scoring:criteria_import", draft), {"file": _upload(b"not a workbook", "a.xlsx")})

    assert response.status_code == 200
    assert escape(_("This file is not an Excel workbook (.xlsx).")) in response.content.decode()


def test_import_into_a_published_set_is_refused_with_a_message(client, doha, province):
    criteria_set = published_set(province, by=doha)
    workbook = criteria_set_workbook(criteria_set)

    response = client.post(url("scoring:criteria_import", criteria_set), {"file": _upload(workbook)}, follow=True)

    assert response.status_code == 200
    assert "message--error" in response.content.decode()
    criteria_set.refresh_from_db()
    assert criteria_set.status == CriteriaSet.Status.PUBLISHED
