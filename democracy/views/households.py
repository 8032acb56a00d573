"""A village's list of households in the back office (personal data: its head, its Front work
committee and the commune's officers only): typing, importing, and verifying representatives' accounts."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import object_permission_required
from core.spreadsheets import Sheet, xlsx_response
from core.submissions import first_submission, forget_submission
from democracy import rules as perms
from democracy.forms.villages import HouseholdForm, SpreadsheetForm, VerifyForm
from democracy.models import Household
from democracy.selectors.villages import households_for_village
from democracy.services import households as services
from democracy.services.errors import DemocracyError
from democracy.services.households import HOUSEHOLD_COLUMNS, household_save, household_unlink
from democracy.services.villages import ImportRefused
from democracy.views.common import _household, _village, show_error, village_permission_required
from democracy.views.villages import render_village


def _household_or_new(pk: int, household_pk: int | None = None, **kwargs):
    """The permission is asked on the household, or on the village for a new one."""
    if household_pk is None:
        return _village(pk, household=None, **kwargs)
    household, view_kwargs = _household(pk, household_pk, **kwargs)
    return household, {**view_kwargs, "village": household.village}


def _list_url(village) -> str:
    return reverse("democracy:manage_households", kwargs={"pk": village.pk})


def _list_crumb(village) -> tuple[str, str]:
    return _("Households"), _list_url(village)


@village_permission_required(perms.VIEW_HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def manage_households(request, village):
    can_keep = request.user.has_perm(perms.KEEP_HOUSEHOLDS, village)
    if request.method == "POST":
        # The one write of this page: the commune's count set to the list's.
        if not can_keep:
            raise PermissionDenied
        village = services.village_households_from_list(village=village, by=request.user)
        messages.success(
            request, _("The village's number of households is now %(count)d.") % {"count": village.households}
        )
        return redirect(_list_url(village))
    show_moved = request.GET.get("moved") == "1"
    households = list(households_for_village(village=village, show_moved=show_moved))
    living_count = sum(1 for household in households if household.active)
    return render_village(
        request,
        "democracy/manage/household_list.html",
        village=village,
        section="households",
        title=_("Households of %(village)s") % {"village": village},
        households=households,
        living_count=living_count,
        count_differs=living_count != village.households,
        show_moved=show_moved,
        can_keep=can_keep and village.is_current,
    )


@object_permission_required(perms.KEEP_HOUSEHOLDS, _household_or_new)
def household_edit(request, village, household: Household | None = None):
    instance = copy.copy(household) if household else Household(village=village)
    form = HouseholdForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        token = "" if household else form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the household was added once."))
            return redirect(_list_url(village))
        try:
            saved = household_save(household=form.save(commit=False), by=request.user)
        except DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("Household %(number)s is saved.") % {"number": saved.number})
            return redirect(_list_url(village))
    title = _("Household %(number)s") % {"number": household.number} if household else _("Add a household")
    return render_village(
        request,
        "democracy/manage/household_form.html",
        village=village,
        section="households",
        title=title,
        crumbs=[_list_crumb(village)],
        form=form,
        household=household,
        verify_form=VerifyForm() if household and household.active else None,
        cancel_url=_list_url(village),
    )


@object_permission_required(perms.KEEP_HOUSEHOLDS, _household)
@require_POST
def household_verify(request, household):
    village = household.village
    edit_url = reverse("democracy:manage_household_update", kwargs={"pk": village.pk, "household_pk": household.pk})
    if request.POST.get("action") == "unlink":
        household_unlink(household=household, by=request.user)
        messages.success(
            request, _("The account no longer speaks for household %(number)s.") % {"number": household.number}
        )
        return redirect(edit_url)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.household_verify(household=household, email=form.cleaned_data["email"], by=request.user)
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("The account now speaks for household %(number)s.") % {"number": household.number}
            )
            return redirect(edit_url)
    return render_village(
        request,
        "democracy/manage/household_form.html",
        village=village,
        section="households",
        title=_("Household %(number)s") % {"number": household.number},
        crumbs=[_list_crumb(village)],
        form=HouseholdForm(instance=household),
        household=household,
        verify_form=form,
        cancel_url=_list_url(village),
    )


@village_permission_required(perms.KEEP_HOUSEHOLDS)
@require_http_methods(["GET", "POST"])
def households_import(request, village):
    if request.GET.get("template") == "xlsx":
        return xlsx_response(
            [Sheet(_("Households"), services.households_template_rows(), widths=(10, 24, 24, 32))],
            filename="households.xlsx",
        )
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    errors, error_message = [], None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.households_import(village=village, file=form.cleaned_data["file"], by=request.user)
        except ImportRefused as error:
            if error.errors:
                errors, error_message = error.errors, error.message
            else:
                form.add_error("file", error.message)
        else:
            messages.success(request, report.summary)
            return redirect(_list_url(village))
    labels = {column.key: column.label for column in HOUSEHOLD_COLUMNS}
    return render_village(
        request,
        "democracy/manage/household_import.html",
        village=village,
        section="households",
        title=_("Import households"),
        crumbs=[_list_crumb(village)],
        form=form,
        errors=[(error, labels.get(error.column, "")) for error in errors],
        error_message=error_message,
        columns=HOUSEHOLD_COLUMNS,
        cancel_url=_list_url(village),
        template_url=reverse("democracy:manage_households_import", kwargs={"pk": village.pk}) + "?template=xlsx",
    )
