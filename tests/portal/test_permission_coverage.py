"""Every view that checks a permission appears in a permission matrix, for every role."""

import re

from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from rules.contrib.views import PermissionRequiredMixin

from tests.accounts.test_api_keys import MATRIX as API_KEYS_MATRIX
from tests.communes.test_backoffice_permissions import MATRIX as BACK_OFFICE_MATRIX
from tests.communes.test_catalogue import MATRIX as CATALOGUE_MATRIX
from tests.democracy.test_permissions import ALLOWED as DEMOCRACY_ALLOWED
from tests.feedback.test_backoffice_permissions import MATRIX as FEEDBACK_MATRIX
from tests.portal.test_annual_report import MATRIX as ANNUAL_REPORT_MATRIX
from tests.portal.test_dashboards import MATRIX as DASHBOARDS_MATRIX
from tests.portal.test_permissions import MATRIX, ROLES
from tests.scoring.test_assessment_views import MATRIX as ASSESSMENT_MATRIX
from tests.scoring.test_board import MATRIX as BOARD_MATRIX
from tests.scoring.test_certificate_views import MATRIX as CERTIFICATES_MATRIX
from tests.scoring.test_criteria_views import MATRIX as CRITERIA_MATRIX
from tests.scoring.test_decisions import MATRIX as DECISIONS_MATRIX
from tests.surveys.test_backoffice_permissions import MATRIX as SURVEYS_MATRIX


def _protected_url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every named route whose view checks a permission: class views with PermissionRequiredMixin and
    function views decorated through core.permissions.object_permission_required."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _protected_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view_class = getattr(pattern.callback, "view_class", None)
            decorated = hasattr(pattern.callback, "permission_required")
            if decorated or (view_class and issubclass(view_class, PermissionRequiredMixin)):
                names.add(f"{namespace}{pattern.name}")
    return names


def _is_protected(pattern: URLPattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return hasattr(pattern.callback, "permission_required") or bool(
        view_class and issubclass(view_class, PermissionRequiredMixin)
    )


# The back office and the workspace, behind the language prefix: every page there checks a permission.
STAFF_ROUTE = re.compile(r"^([a-z-]+/)?(manage|workspace)/")


def _unprotected_staff_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """The route of every back-office page whose view checks no permission at all."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # Django's admin checks is_staff itself
                found += _unprotected_staff_routes(pattern, route)
        elif STAFF_ROUTE.match(route) and not _is_protected(pattern):
            found.append(route)
    return found


def test_every_staff_page_checks_a_permission():
    assert _unprotected_staff_routes() == []


@override_settings(ROOT_URLCONF="tests.portal.urls_unprotected")
def test_the_coverage_check_reports_a_back_office_page_without_a_permission_check():
    assert _unprotected_staff_routes() == ["manage/unprotected/"]


def test_every_protected_view_is_in_a_permission_matrix():
    covered = {view.split("[")[0] for view in MATRIX} | set(BACK_OFFICE_MATRIX) | set(FEEDBACK_MATRIX)
    covered |= set(CATALOGUE_MATRIX) | set(SURVEYS_MATRIX) | set(API_KEYS_MATRIX) | set(DASHBOARDS_MATRIX)
    covered |= set(ANNUAL_REPORT_MATRIX)
    scoring = [ASSESSMENT_MATRIX, BOARD_MATRIX, CERTIFICATES_MATRIX, CRITERIA_MATRIX, DECISIONS_MATRIX]
    covered |= {name for matrix in scoring for name in matrix}
    # Grassroots democracy has roles of its own (village head, village Front committee): its matrix
    # lists, per route, the roles allowed among tests/democracy/test_permissions.py's ROLES.
    covered |= {f"democracy:{name}" for name in DEMOCRACY_ALLOWED}
    assert _protected_url_names() <= covered
    assert all(
        set(expected) == set(ROLES)
        for expected in [
            *MATRIX.values(),
            *BACK_OFFICE_MATRIX.values(),
            *FEEDBACK_MATRIX.values(),
            *CATALOGUE_MATRIX.values(),
            *API_KEYS_MATRIX.values(),
            *DASHBOARDS_MATRIX.values(),
            *(expected for matrix in scoring for expected in matrix.values()),
        ]
    )
