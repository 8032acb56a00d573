"""What every democracy view shares: loading the object of the URL for its permission check."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from communes.models import Village
from communes.rules import MANAGE_COMMUNE
from core.permissions import object_permission_required
from democracy.models import Convention, ConventionVersion, Decision, Household, Matter
from democracy.services.errors import DemocracyError


def render_commune(request, template: str, *, commune, section: str, title: str, crumbs=(), status=200, **context):
    """A back-office page about one of the commune's democracy records, under the commune's navigation
    (``section`` marks the current entry)."""
    return render(
        request,
        template,
        {
            "commune": commune,
            "section": section,
            "can_manage": request.user.has_perm(MANAGE_COMMUNE, commune),
            "page_title": title,
            "crumbs": list(crumbs),
            **context,
        },
        status=status,
    )


def show_error(form, error: DemocracyError, fallback: str | None = None) -> None:
    """A service's refusal on the form: on the field it names when the form has it, else on ``fallback``
    (None: the whole form)."""
    form.add_error(error.field if error.field in form.fields else fallback, error.message)


# Each loader's name is unique in the project: the POST matrix (tests/portal/test_post_matrix.py) finds
# the scene's object for a route by its loader's name.
def _village(pk: int, **kwargs):
    village = get_object_or_404(Village.objects.select_related("commune__province", "commune__district"), pk=pk)
    return village, {"village": village, **kwargs}


def _matter(pk: int, **kwargs):
    matter = get_object_or_404(Matter.objects.select_related("commune__province", "village"), pk=pk)
    return matter, {"matter": matter, **kwargs}


def _village_decision(pk: int, **kwargs):
    decision = get_object_or_404(
        Decision.objects.select_related("matter__commune__province", "village__commune__province"), pk=pk
    )
    return decision, {"decision": decision, **kwargs}


def _household(pk: int, household_pk: int, **kwargs):
    household = get_object_or_404(
        Household.objects.select_related("village__commune__province"), pk=household_pk, village_id=pk
    )
    return household, {"household": household, **kwargs}


def _convention(pk: int, **kwargs):
    convention = get_object_or_404(Convention.objects.select_related("village__commune__province"), pk=pk)
    return convention, {"convention": convention, **kwargs}


def _convention_version(pk: int, **kwargs):
    version = get_object_or_404(
        ConventionVersion.objects.select_related("convention__village__commune__province"), pk=pk
    )
    return version.convention, {"version": version, **kwargs}


def village_permission_required(perm: str):
    """The view receives ``village`` instead of ``pk``."""
    return object_permission_required(perm, _village)


def matter_permission_required(perm: str):
    return object_permission_required(perm, _matter)


def decision_permission_required(perm: str):
    return object_permission_required(perm, _village_decision)


def household_permission_required(perm: str):
    """URL with the village's ``pk`` and ``household_pk``; the view receives ``household``."""
    return object_permission_required(perm, _household)


def convention_permission_required(perm: str):
    return object_permission_required(perm, _convention)


def version_permission_required(perm: str):
    """Checked on the version's convention; the view receives ``version``."""
    return object_permission_required(perm, _convention_version)
