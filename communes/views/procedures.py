"""The back office's choice of the procedures a commune handles, from its province's catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from communes.forms.one_stop import CommuneProceduresForm
from communes.models import CommuneProcedure, Procedure
from communes.rules import MANAGE_COMMUNE
from communes.services import OneStopError, commune_procedures_set
from communes.views.manage import render_section, show_error
from core.permissions import commune_permission_required


@commune_permission_required(MANAGE_COMMUNE)
def manage_procedures(request, commune):
    catalogue = list(Procedure.objects.filter(province_id=commune.province_id).only("pk", "code", "name", "field"))
    handled = dict(CommuneProcedure.objects.filter(commune=commune).values_list("procedure_id", "local_notes"))
    form = CommuneProceduresForm(request.POST or None, catalogue=catalogue, handled=handled)
    if request.method == "POST" and form.is_valid():
        try:
            commune_procedures_set(commune=commune, procedures=form.selection(), by=request.user)
        except OneStopError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The procedures handled by the commune are saved."))
            return redirect("communes:manage_procedures", pk=commune.pk)
    return render_section(
        request,
        commune,
        "communes/manage/procedures_form.html",
        "procedures",
        form=form,
        handled_count=len(handled),
    )
