"""The commune's villages and residential groups in the back office: the list, typing one, importing a
spreadsheet, ending or merging one; and each village's own page for its head, its Front work committee
and the commune's officers. Also what the democracy back office's views share: the page frame and
the protection of create forms against a second sending."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from communes.models import Village
from core.permissions import commune_permission_required
from core.spreadsheets import Sheet, xlsx_response
from core.submissions import first_submission, forget_submission
from democracy import rules as perms
from democracy.forms.villages import MergeForm, SpreadsheetForm, VillageForm
from democracy.selectors.villages import village_conventions, village_counts, village_matters, villages_for_commune
from democracy.services.errors import DemocracyError
from democracy.services.villages import (
    VILLAGE_COLUMNS,
    ImportRefused,
    merge_candidates,
    village_end,
    village_merge,
    village_save,
    villages_template_rows,
)
from democracy.services.villages import (
    villages_import as import_villages,
)
from democracy.views.common import render_commune, show_error, village_permission_required


def render_village(request, template: str, *, village: Village, section: str, title: str, crumbs=(), **context):
    """A page of one village's back office (templates/democracy/manage/layout.html)."""
    return render(
        request,
        template,
        {"village": village, "section": section, "page_title": title, "crumbs": list(crumbs), **context},
    )


def _villages_crumb(commune) -> tuple[str, str]:
    return _("Villages and residential groups"), reverse("democracy:manage_villages", kwargs={"pk": commune.pk})


# --- The commune's list --------------------------------------------------------------------------------


@commune_permission_required(perms.MANAGE_VILLAGES)
def manage_villages(request, commune):
    villages = list(villages_for_commune(commune=commune))
    return render_commune(
        request,
        "democracy/manage/village_list.html",
        section="villages",
        commune=commune,
        title=_("Villages and residential groups"),
        villages=villages,
        current_count=sum(1 for village in villages if village.is_current),
    )


@commune_permission_required(perms.MANAGE_VILLAGES)
def village_create(request, commune):
    form = VillageForm(request.POST or None, instance=Village(commune=commune))
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the village was added once."))
            return redirect("democracy:manage_villages", pk=commune.pk)
        try:
            village = village_save(village=form.save(commit=False), by=request.user)
        except DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("%(village)s is saved.") % {"village": village})
            return redirect("democracy:manage_village", pk=village.pk)
    return render_commune(
        request,
        "democracy/manage/village_form.html",
        section="villages",
        commune=commune,
        title=_("Add a village or residential group"),
        crumbs=[_villages_crumb(commune)],
        form=form,
        cancel_url=reverse("democracy:manage_villages", kwargs={"pk": commune.pk}),
    )


@village_permission_required(perms.MANAGE_VILLAGES)
def village_update(request, village):
    form = VillageForm(request.POST if request.POST.get("action") == "save" else None, instance=copy.copy(village))
    merge_form = MergeForm(
        request.POST if request.POST.get("action") == "merge" else None, candidates=merge_candidates(village)
    )
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            village_save(village=form.save(commit=False), by=request.user)
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("%(village)s is saved.") % {"village": village})
            return redirect("democracy:manage_village", pk=village.pk)
    elif request.method == "POST" and merge_form.is_bound and merge_form.is_valid():
        data = merge_form.cleaned_data
        try:
            if data["into"] is None:
                village_end(village=village, on=data["on"], by=request.user)
                messages.success(request, _("%(village)s has ended.") % {"village": village})
                return redirect("democracy:manage_village", pk=village.pk)
            into = village_merge(
                villages=[village],
                into=data["into"],
                on=data["on"],
                by=request.user,
                new_kind=data["new_kind"] or None,
                new_name=data["new_name"],
            )
        except DemocracyError as error:
            merge_form.add_error(
                {"villages": "into", "new_name": "new_name", "on": "on"}.get(error.field or ""), error.message
            )
        else:
            messages.success(request, _("%(village)s merged into %(into)s.") % {"village": village, "into": into})
            return redirect("democracy:manage_village", pk=into.pk)
    return render_village(
        request,
        "democracy/manage/village_form.html",
        village=village,
        section="overview-edit",
        title=_("Edit %(village)s") % {"village": village},
        form=form,
        merge_form=merge_form if village.is_current else None,
        cancel_url=reverse("democracy:manage_village", kwargs={"pk": village.pk}),
    )


@commune_permission_required(perms.MANAGE_VILLAGES)
@require_http_methods(["GET", "POST"])
def villages_import(request, commune):
    if request.GET.get("template") == "xlsx":
        return xlsx_response(
            [Sheet(_("Villages"), villages_template_rows(), widths=(12, 24, 10, 10, 24, 24))],
            filename="villages.xlsx",
        )
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    errors, error_message = [], None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_villages(commune=commune, file=form.cleaned_data["file"], by=request.user)
        except ImportRefused as error:
            if error.errors:
                errors, error_message = error.errors, error.message
            else:
                form.add_error("file", error.message)
        else:
            messages.success(request, report.summary)
            return redirect("democracy:manage_villages", pk=commune.pk)
    labels = {column.key: column.label for column in VILLAGE_COLUMNS}
    return render_commune(
        request,
        "democracy/manage/village_import.html",
        section="villages",
        commune=commune,
        title=_("Import villages"),
        crumbs=[_villages_crumb(commune)],
        form=form,
        errors=[(error, labels.get(error.column, "")) for error in errors],
        error_message=error_message,
        columns=VILLAGE_COLUMNS,
        cancel_url=reverse("democracy:manage_villages", kwargs={"pk": commune.pk}),
        template_url=reverse("democracy:manage_villages_import", kwargs={"pk": commune.pk}) + "?template=xlsx",
    )


# --- One village ---------------------------------------------------------------------------------------


@village_permission_required(perms.FOLLOW_VILLAGE)
def manage_village(request, village):
    user = request.user
    return render_village(
        request,
        "democracy/manage/village_detail.html",
        village=village,
        section="overview",
        title=str(village),
        counts=village_counts(village=village),
        conventions=village_conventions(village=village),
        predecessors=list(village.predecessors.all()),
        successors=list(village.successors.all()),
        can_edit=user.has_perm(perms.MANAGE_VILLAGES, village),
        can_view_households=user.has_perm(perms.VIEW_HOUSEHOLDS, village),
        can_propose=user.has_perm(perms.PROPOSE_MATTER, village) and village.is_current,
        can_keep_conventions=user.has_perm(perms.KEEP_CONVENTIONS, village) and village.is_current,
        **village_matters(village=village),
    )
