"""The back office of a commune's one-stop shop: its dashboard, profile, opening hours, special days,
facilities and leaders on duty (the shared pieces are in communes.views.manage)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.forms.one_stop import (
    DutyLeadersFormSet,
    FacilitiesFormSet,
    OpeningExceptionForm,
    OpeningHoursFormSet,
    ShopProfileForm,
)
from communes.models import FacilityKind, OneStopShop, OpeningException, Weekday
from communes.rules import MANAGE_COMMUNE
from communes.selectors.one_stop import shop_status
from communes.services import (
    OneStopError,
    duty_leaders_replace,
    facilities_save,
    opening_exception_delete,
    opening_exception_save,
    opening_hours_replace,
    shop_update,
    shop_verify,
)
from communes.views.manage import profile_first, render_section, row_error, shop_of, show_error
from core import clock
from core.permissions import commune_permission_required

# --- Dashboard and profile ----------------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_home(request, commune):
    status = shop_status(commune=commune)
    return render_section(request, commune, "communes/manage/home.html", "home", status=status)


@commune_permission_required(MANAGE_COMMUNE)
def manage_profile(request, commune):
    shop = shop_of(commune)
    form = ShopProfileForm(
        request.POST or None,
        request.FILES or None,
        # The form works on a copy: the service compares against what is stored.
        instance=copy.copy(shop) if shop else OneStopShop(commune=commune),
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("address", "phone", "email", "directions", "photo")}
        try:
            shop_update(commune=commune, by=request.user, **values)
        except OneStopError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The profile of the one-stop shop is saved."))
            return redirect("communes:manage_profile", pk=commune.pk)
    return render_section(request, commune, "communes/manage/profile_form.html", "profile", form=form, shop=shop)


@commune_permission_required(MANAGE_COMMUNE)
@require_POST
def manage_verify(request, commune):
    shop = shop_of(commune)
    if shop is None:
        return profile_first(request, commune, "profile")
    shop_verify(shop=shop, by=request.user)
    messages.success(request, _("Thank you: the page is marked as checked today."))
    return redirect("communes:manage_home", pk=commune.pk)


# --- Hours and special days ---------------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_hours(request, commune):
    shop = shop_of(commune)
    if shop is None:
        return profile_first(request, commune, "hours")
    page_errors: list[str] = []
    if request.method == "POST":
        formset = OpeningHoursFormSet(request.POST, prefix="hours")
        if formset.is_valid():
            rows = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                opening_hours_replace(shop=shop, sessions=[f.cleaned_data for f in rows], by=request.user)
            except OneStopError as error:
                row_error(rows, error, page_errors)
            else:
                messages.success(request, _("The opening hours are saved."))
                return redirect("communes:manage_hours", pk=commune.pk)
    else:
        formset = OpeningHoursFormSet(
            prefix="hours",
            initial=[{"weekday": h.weekday, "opens": h.opens, "closes": h.closes} for h in shop.opening_hours.all()],
        )
    return render_section(
        request, commune, "communes/manage/hours_form.html", "hours", formset=formset, page_errors=page_errors
    )


def _edited_exception(request, shop) -> OpeningException | None:
    pk = request.GET.get("edit")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(OpeningException, pk=pk, shop=shop)


@commune_permission_required(MANAGE_COMMUNE)
def manage_exceptions(request, commune):
    shop = shop_of(commune)
    if shop is None:
        return profile_first(request, commune, "exceptions")
    if request.method == "POST" and "delete" in request.POST:
        pk = request.POST["delete"]
        exception = get_object_or_404(OpeningException, pk=pk if pk.isdigit() else None, shop=shop)
        opening_exception_delete(exception=exception, by=request.user)
        messages.success(request, _("The special day %(day)s is removed.") % {"day": _short_date(exception.date)})
        return redirect("communes:manage_exceptions", pk=commune.pk)

    edited = _edited_exception(request, shop)
    form = OpeningExceptionForm(request.POST or None, instance=copy.copy(edited) if edited else None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("date", "closed", "opens", "closes", "reason")}
        try:
            saved = opening_exception_save(shop=shop, exception=edited, by=request.user, **values)
        except OneStopError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The special day %(day)s is saved.") % {"day": _short_date(saved.date)})
            return redirect("communes:manage_exceptions", pk=commune.pk)
    today = clock.today()
    days = list(shop.opening_exceptions.all())
    return render_section(
        request,
        commune,
        "communes/manage/exceptions.html",
        "exceptions",
        form=form,
        edited=edited,
        upcoming=[day for day in days if day.date >= today],
        past=[day for day in reversed(days) if day.date < today],
    )


def _short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


# --- Facilities and leaders on duty -------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_facilities(request, commune):
    shop = shop_of(commune)
    if shop is None:
        return profile_first(request, commune, "facilities")
    existing = {f.kind: f for f in shop.facilities.all()}
    initial = [
        {"available": f.available, "note": f.note, "photo": f.photo} if (f := existing.get(kind)) else {}
        for kind in FacilityKind.values
    ]
    formset = FacilitiesFormSet(request.POST or None, request.FILES or None, prefix="facilities", initial=initial)
    page_errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        answers = {
            form.kind: {name: form.cleaned_data[name] for name in ("available", "note", "photo")}
            for form in formset.forms
        }
        try:
            facilities_save(shop=shop, facilities=answers, by=request.user)
        except OneStopError as error:
            row_error(formset.forms, error, page_errors)
        else:
            messages.success(request, _("The facilities are saved."))
            return redirect("communes:manage_facilities", pk=commune.pk)
    return render_section(
        request,
        commune,
        "communes/manage/facilities_form.html",
        "facilities",
        formset=formset,
        page_errors=page_errors,
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_duty(request, commune):
    shop = shop_of(commune)
    if shop is None:
        return profile_first(request, commune, "duty")
    existing = {d.weekday: d for d in shop.duty_leaders.all()}
    initial = [
        {"full_name": d.full_name, "title": d.title} if (d := existing.get(day)) else {} for day in Weekday.values
    ]
    formset = DutyLeadersFormSet(request.POST or None, prefix="duty", initial=initial)
    page_errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = [f for f in formset.forms if f.cleaned_data.get("full_name", "").strip()]
        leaders = [{"weekday": f.weekday, **{k: f.cleaned_data[k] for k in ("full_name", "title")}} for f in rows]
        try:
            duty_leaders_replace(shop=shop, leaders=leaders, by=request.user)
        except OneStopError as error:
            row_error(rows, error, page_errors)
        else:
            messages.success(request, _("The leaders on duty are saved."))
            return redirect("communes:manage_duty", pk=commune.pk)
    return render_section(
        request, commune, "communes/manage/duty_form.html", "duty", formset=formset, page_errors=page_errors
    )
