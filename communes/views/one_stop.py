"""The officers' back office of a commune: its one-stop shop, procedures, disclosures and history.

Every view takes the commune from the URL through ``commune_permission_required``; records addressed
by id are looked up inside that commune, so changing an id in the URL never reaches another commune.
Writes are POSTs that go through communes.services and end in a redirect.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communes.forms.one_stop import (
    CommuneProceduresForm,
    CounterOfficerForm,
    DisclosureForm,
    DutyLeadersFormSet,
    FacilitiesFormSet,
    OpeningExceptionForm,
    OpeningHoursFormSet,
    ShopProfileForm,
)
from communes.models import (
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    FacilityKind,
    OneStopShop,
    OpeningException,
    Procedure,
    Weekday,
)
from communes.rules import MANAGE_COMMUNE, VIEW_COMMUNE_HISTORY
from communes.selectors.history import commune_history_page
from communes.selectors.one_stop import shop_status
from communes.services import (
    OneStopError,
    commune_procedures_set,
    disclosure_delete,
    disclosure_save,
    duty_leaders_replace,
    facilities_save,
    officer_delete,
    officer_save,
    opening_exception_delete,
    opening_exception_save,
    opening_hours_replace,
    shop_update,
    shop_verify,
)
from core import clock
from core.permissions import commune_permission_required

DISCLOSURE_PAGE_SIZE = 50
# How long a displayed create form's token is remembered: a double click, a reload, a back button.
SUBMISSION_TTL = 24 * 60 * 60

SECTION_TITLES = {
    "home": gettext_lazy("One-stop shop back office"),
    "profile": gettext_lazy("Profile"),
    "hours": gettext_lazy("Opening hours"),
    "exceptions": gettext_lazy("Special days"),
    "facilities": gettext_lazy("Facilities"),
    "duty": gettext_lazy("Leaders on duty"),
    "officers": gettext_lazy("Counter officers"),
    "procedures": gettext_lazy("Procedures"),
    "disclosures": gettext_lazy("Public disclosures"),
    "history": gettext_lazy("History of changes"),
}


# --- Shared pieces ------------------------------------------------------------------------------


def _render(request, commune, template: str, section: str, *, title=None, parent: bool = False, **context):
    """Render a back-office page with its navigation and breadcrumbs (Workspace › commune › section)."""
    section_title = SECTION_TITLES[section]
    crumbs = [
        (_("Workspace"), reverse("portal:workspace")),
        (str(commune), reverse("portal:unit_workspace", kwargs={"kind": "commune", "pk": commune.pk})),
    ]
    if parent:
        crumbs.append((section_title, reverse(f"communes:manage_{section}", kwargs={"pk": commune.pk})))
    return render(
        request,
        template,
        {
            "commune": commune,
            "section": section,
            "page_title": title or section_title,
            "crumbs": crumbs,
            "can_manage": request.user.has_perm(MANAGE_COMMUNE, commune),
            **context,
        },
    )


def _shop_of(commune) -> OneStopShop | None:
    return OneStopShop.objects.filter(commune=commune).first()


def _profile_first(request, commune, section: str):
    """The sections of the shop need the shop: they point to its profile until it is saved."""
    if request.method == "POST":
        messages.error(request, _("Fill in the one-stop shop's profile first."))
        return redirect("communes:manage_profile", pk=commune.pk)
    return _render(request, commune, "communes/manage/profile_first.html", section)


def _show_error(form, error: OneStopError) -> None:
    for name, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)


def _row_error(rows: list, error: OneStopError, page_errors: list) -> None:
    """Put a list service's error on the form of the faulty row, or above the whole form."""
    if error.row is not None and error.row < len(rows):
        _show_error(rows[error.row], error)
    else:
        page_errors.extend(str(m) for field_messages in error.errors.values() for m in field_messages)


def _submission_key(request, token: str) -> str:
    return f"communes:backoffice:submission:{request.user.pk}:{token}"


def _first_submission(request, token: str) -> bool:
    """False when this displayed form was already sent (double click, reload): the record exists."""
    # cache.add is atomic, so two requests racing with one token create one record.
    return not token or cache.add(_submission_key(request, token), True, SUBMISSION_TTL)


def _forget_submission(request, token: str) -> None:
    if token:
        cache.delete(_submission_key(request, token))


# --- Dashboard and profile ----------------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_home(request, commune):
    status = shop_status(commune=commune)
    return _render(request, commune, "communes/manage/home.html", "home", status=status)


@commune_permission_required(MANAGE_COMMUNE)
def manage_profile(request, commune):
    shop = _shop_of(commune)
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
            _show_error(form, error)
        else:
            messages.success(request, _("The profile of the one-stop shop is saved."))
            return redirect("communes:manage_profile", pk=commune.pk)
    return _render(request, commune, "communes/manage/profile_form.html", "profile", form=form, shop=shop)


@commune_permission_required(MANAGE_COMMUNE)
@require_POST
def manage_verify(request, commune):
    shop = _shop_of(commune)
    if shop is None:
        return _profile_first(request, commune, "profile")
    shop_verify(shop=shop, by=request.user)
    messages.success(request, _("Thank you: the page is marked as checked today."))
    return redirect("communes:manage_home", pk=commune.pk)


# --- Hours and special days ---------------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_hours(request, commune):
    shop = _shop_of(commune)
    if shop is None:
        return _profile_first(request, commune, "hours")
    page_errors: list[str] = []
    if request.method == "POST":
        formset = OpeningHoursFormSet(request.POST, prefix="hours")
        if formset.is_valid():
            rows = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                opening_hours_replace(shop=shop, sessions=[f.cleaned_data for f in rows], by=request.user)
            except OneStopError as error:
                _row_error(rows, error, page_errors)
            else:
                messages.success(request, _("The opening hours are saved."))
                return redirect("communes:manage_hours", pk=commune.pk)
    else:
        formset = OpeningHoursFormSet(
            prefix="hours",
            initial=[{"weekday": h.weekday, "opens": h.opens, "closes": h.closes} for h in shop.opening_hours.all()],
        )
    return _render(
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
    shop = _shop_of(commune)
    if shop is None:
        return _profile_first(request, commune, "exceptions")
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
            _show_error(form, error)
        else:
            messages.success(request, _("The special day %(day)s is saved.") % {"day": _short_date(saved.date)})
            return redirect("communes:manage_exceptions", pk=commune.pk)
    today = clock.today()
    days = list(shop.opening_exceptions.all())
    return _render(
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
    shop = _shop_of(commune)
    if shop is None:
        return _profile_first(request, commune, "facilities")
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
            _row_error(formset.forms, error, page_errors)
        else:
            messages.success(request, _("The facilities are saved."))
            return redirect("communes:manage_facilities", pk=commune.pk)
    return _render(
        request,
        commune,
        "communes/manage/facilities_form.html",
        "facilities",
        formset=formset,
        page_errors=page_errors,
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_duty(request, commune):
    shop = _shop_of(commune)
    if shop is None:
        return _profile_first(request, commune, "duty")
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
            _row_error(rows, error, page_errors)
        else:
            messages.success(request, _("The leaders on duty are saved."))
            return redirect("communes:manage_duty", pk=commune.pk)
    return _render(request, commune, "communes/manage/duty_form.html", "duty", formset=formset, page_errors=page_errors)


# --- Counter officers ---------------------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_officers(request, commune):
    shop = _shop_of(commune)
    if shop is None:
        return _profile_first(request, commune, "officers")
    return _render(
        request, commune, "communes/manage/officer_list.html", "officers", officers=list(shop.officers.all())
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_officer_edit(request, commune, officer_pk: int | None = None):
    officer = get_object_or_404(CounterOfficer, pk=officer_pk, shop__commune=commune) if officer_pk else None
    shop = officer.shop if officer else _shop_of(commune)
    if shop is None:
        return _profile_first(request, commune, "officers")
    form = CounterOfficerForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(officer) if officer else CounterOfficer(shop=shop),
    )
    if request.method == "POST" and form.is_valid():
        token = "" if officer else form.cleaned_data["submission"]
        if not _first_submission(request, token):
            messages.info(request, _("This form was already sent: the officer was added once."))
            return redirect("communes:manage_officers", pk=commune.pk)
        values = {n: form.cleaned_data[n] for n in ("full_name", "title", "field", "photo", "duty_days", "position")}
        try:
            saved = officer_save(shop=shop, officer=officer, by=request.user, **values)
        except OneStopError as error:
            _forget_submission(request, token)
            _show_error(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.full_name})
            return redirect("communes:manage_officers", pk=commune.pk)
    title = _("Edit %(name)s") % {"name": officer.full_name} if officer else _("Add a counter officer")
    return _render(
        request,
        commune,
        "communes/manage/officer_form.html",
        "officers",
        title=title,
        parent=True,
        form=form,
        officer=officer,
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_officer_delete(request, commune, officer_pk: int):
    officer = get_object_or_404(CounterOfficer, pk=officer_pk, shop__commune=commune)
    if request.method == "POST":
        officer_delete(officer=officer, by=request.user)
        messages.success(request, _("%(name)s is removed from the list.") % {"name": officer.full_name})
        return redirect("communes:manage_officers", pk=commune.pk)
    return _render(
        request,
        commune,
        "communes/manage/officer_confirm_delete.html",
        "officers",
        title=_("Remove %(name)s") % {"name": officer.full_name},
        parent=True,
        officer=officer,
    )


# --- Procedures ---------------------------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_procedures(request, commune):
    catalogue = list(Procedure.objects.filter(province_id=commune.province_id).only("pk", "code", "name", "field"))
    handled = dict(CommuneProcedure.objects.filter(commune=commune).values_list("procedure_id", "local_notes"))
    form = CommuneProceduresForm(request.POST or None, catalogue=catalogue, handled=handled)
    if request.method == "POST" and form.is_valid():
        try:
            commune_procedures_set(commune=commune, procedures=form.selection(), by=request.user)
        except OneStopError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The procedures handled by the commune are saved."))
            return redirect("communes:manage_procedures", pk=commune.pk)
    return _render(
        request,
        commune,
        "communes/manage/procedures_form.html",
        "procedures",
        form=form,
        handled_count=len(handled),
    )


# --- Disclosures --------------------------------------------------------------------------------


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosures(request, commune):
    page = Paginator(Disclosure.objects.filter(commune=commune), DISCLOSURE_PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, commune, "communes/manage/disclosure_list.html", "disclosures", page=page)


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosure_edit(request, commune, disclosure_pk: int | None = None):
    disclosure = get_object_or_404(Disclosure, pk=disclosure_pk, commune=commune) if disclosure_pk else None
    form = DisclosureForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(disclosure) if disclosure else Disclosure(commune=commune),
    )
    if request.method == "POST" and form.is_valid():
        token = "" if disclosure else form.cleaned_data["submission"]
        if not _first_submission(request, token):
            messages.info(request, _("This form was already sent: the disclosure was published once."))
            return redirect("communes:manage_disclosures", pk=commune.pk)
        names = ("title", "category", "decision_date", "published_on", "posted_until", "document")
        try:
            saved = disclosure_save(
                commune=commune, disclosure=disclosure, by=request.user, **{n: form.cleaned_data[n] for n in names}
            )
        except OneStopError as error:
            _forget_submission(request, token)
            _show_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("communes:manage_disclosures", pk=commune.pk)
    title = _("Edit a disclosure") if disclosure else _("Publish a disclosure")
    return _render(
        request,
        commune,
        "communes/manage/disclosure_form.html",
        "disclosures",
        title=title,
        parent=True,
        form=form,
        disclosure=disclosure,
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosure_delete(request, commune, disclosure_pk: int):
    disclosure = get_object_or_404(Disclosure, pk=disclosure_pk, commune=commune)
    if request.method == "POST":
        disclosure_delete(disclosure=disclosure, by=request.user)
        messages.success(request, _("“%(title)s” is withdrawn.") % {"title": disclosure.title})
        return redirect("communes:manage_disclosures", pk=commune.pk)
    return _render(
        request,
        commune,
        "communes/manage/disclosure_confirm_delete.html",
        "disclosures",
        title=_("Withdraw a disclosure"),
        parent=True,
        disclosure=disclosure,
    )


# --- History ------------------------------------------------------------------------------------


@commune_permission_required(VIEW_COMMUNE_HISTORY)
def commune_history(request, commune):
    page, entries = commune_history_page(commune=commune, page_number=request.GET.get("page"))
    return _render(request, commune, "communes/manage/history.html", "history", page=page, entries=entries)
