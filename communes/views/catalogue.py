"""Pages of a province's Department of Home Affairs: the procedure catalogue and the code of conduct.

Every view takes the province from the URL through ``province_permission_required``; a procedure
addressed by id is looked up inside that province, so changing an id never reaches another catalogue.
Writes are POSTs that go through communes.services and end in a redirect.
"""

from __future__ import annotations

import copy
from itertools import groupby

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.forms.catalogue import PROCEDURE_FIELDS, CodeOfConductForm, ProcedureForm
from communes.models import CodeOfConduct, Procedure
from communes.rules import MANAGE_CATALOGUE
from communes.selectors.catalogue import procedure_list_for_province
from communes.services import CatalogueError, code_of_conduct_publish, procedure_save
from core import clock
from core.permissions import province_permission_required
from core.web import workspace_trail

CATALOGUE_TITLE = gettext_lazy("Procedure catalogue")


def _render(request, province, template: str, *, page_title, parent: bool = False, **context):
    """Render a page with its breadcrumbs: Workspace › province (› catalogue) › page."""
    crumbs = [
        *workspace_trail(province),
    ]
    if parent:
        crumbs.append((CATALOGUE_TITLE, reverse("communes:manage_catalogue", kwargs={"pk": province.pk})))
    return render(request, template, {"province": province, "page_title": page_title, "crumbs": crumbs, **context})


def _show_error(form, error: CatalogueError) -> None:
    for name, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)


@province_permission_required(MANAGE_CATALOGUE)
def catalogue(request, province):
    """The province's procedures grouped by field, with how many communes handle each."""
    procedures = procedure_list_for_province(province=province)
    fields = [(field, list(rows)) for field, rows in groupby(procedures, key=lambda p: p.field)]
    return _render(request, province, "communes/manage/catalogue_list.html", page_title=CATALOGUE_TITLE, fields=fields)


@province_permission_required(MANAGE_CATALOGUE)
def procedure_edit(request, province, procedure_pk: int | None = None):
    procedure = get_object_or_404(Procedure, pk=procedure_pk, province=province) if procedure_pk else None
    # The form works on a copy: the service compares against and saves the stored procedure.
    form = ProcedureForm(
        request.POST or None, instance=copy.copy(procedure) if procedure else Procedure(province=province)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = procedure_save(
                province=province,
                procedure=procedure,
                by=request.user,
                **{name: form.cleaned_data[name] for name in PROCEDURE_FIELDS},
            )
        except CatalogueError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": saved.name})
            return redirect("communes:manage_catalogue", pk=province.pk)
    return _render(
        request,
        province,
        "communes/manage/catalogue_procedure_form.html",
        page_title=_("Edit a procedure") if procedure else _("Add a procedure"),
        parent=True,
        form=form,
        procedure=procedure,
    )


@province_permission_required(MANAGE_CATALOGUE)
def code_of_conduct_manage(request, province):
    """The versions of the province's code of conduct, and a form that publishes the next one."""
    versions = list(CodeOfConduct.objects.filter(province=province).order_by("-in_force_from", "-version"))
    today = clock.today()
    in_force = next((code for code in versions if code.in_force_from <= today), None)
    latest = max(versions, key=lambda code: code.version, default=None)
    # A new version usually amends the last one: its title and text are the starting point.
    initial = {"title": latest.title, "text": latest.text} if latest else {}
    form = CodeOfConductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            code = code_of_conduct_publish(
                province=province,
                by=request.user,
                **{name: form.cleaned_data[name] for name in ("title", "decision", "in_force_from", "text")},
            )
        except CatalogueError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("Version %(version)s of the code of conduct is published.") % {"version": code.version}
            )
            return redirect("communes:manage_code_of_conduct", pk=province.pk)
    return _render(
        request,
        province,
        "communes/manage/catalogue_code_of_conduct.html",
        page_title=_("Code of conduct"),
        versions=versions,
        in_force=in_force,
        today=today,
        form=form,
    )
