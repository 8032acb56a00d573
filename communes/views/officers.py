"""The back office's list of a commune's counter officers: who sits at which counter, on which days."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from communes.forms.one_stop import CounterOfficerForm
from communes.models import CounterOfficer
from communes.rules import MANAGE_COMMUNE
from communes.services import OneStopError, officer_delete, officer_save
from communes.views.manage import profile_first, render_section, shop_of, show_error
from core.permissions import commune_permission_required
from core.submissions import first_submission, forget_submission


@commune_permission_required(MANAGE_COMMUNE)
def manage_officers(request, commune):
    shop = shop_of(commune)
    if shop is None:
        return profile_first(request, commune, "officers")
    return render_section(
        request, commune, "communes/manage/officer_list.html", "officers", officers=list(shop.officers.all())
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_officer_edit(request, commune, officer_pk: int | None = None):
    officer = get_object_or_404(CounterOfficer, pk=officer_pk, shop__commune=commune) if officer_pk else None
    shop = officer.shop if officer else shop_of(commune)
    if shop is None:
        return profile_first(request, commune, "officers")
    form = CounterOfficerForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(officer) if officer else CounterOfficer(shop=shop),
    )
    if request.method == "POST" and form.is_valid():
        token = "" if officer else form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the officer was added once."))
            return redirect("communes:manage_officers", pk=commune.pk)
        values = {n: form.cleaned_data[n] for n in ("full_name", "title", "field", "photo", "duty_days", "position")}
        try:
            saved = officer_save(shop=shop, officer=officer, by=request.user, **values)
        except OneStopError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.full_name})
            return redirect("communes:manage_officers", pk=commune.pk)
    title = _("Edit %(name)s") % {"name": officer.full_name} if officer else _("Add a counter officer")
    return render_section(
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
    return render_section(
        request,
        commune,
        "communes/manage/officer_confirm_delete.html",
        "officers",
        title=_("Remove %(name)s") % {"name": officer.full_name},
        parent=True,
        officer=officer,
    )
