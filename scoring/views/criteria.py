"""DoHA's criteria-set pages: a province's sets by year and version, one set (edited on the page while
it is a draft, read-only once published), publishing and revising, and the set as a workbook out
and in.

A published set is frozen: every write checks it again under a lock, and the refusal (FrozenSet or
ScoringError) becomes a message, never an error page.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.permissions import province_permission_required
from core.web import workspace_trail
from scoring.forms.criteria import CriteriaSetEditor, ImportForm, NewSetForm, plain
from scoring.models import CriteriaSet, FrozenSet
from scoring.models.criteria import FROZEN_MESSAGE
from scoring.resources.criteria import CriteriaImportError, criteria_set_import, criteria_set_workbook
from scoring.rules import MANAGE_CRITERIA
from scoring.services import (
    ScoringError,
    criteria_set_load,
    criteria_set_problems,
    criteria_set_publish,
    criteria_set_revise,
)
from scoring.services.computation.metrics import METRICS
from scoring.views.access import criteria_set_permission_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _crumbs(province, criteria_set: CriteriaSet | None = None) -> list[tuple[str, str]]:
    crumbs = [
        *workspace_trail(province),
    ]
    if criteria_set is not None:
        crumbs.append((_("Criteria sets"), reverse("scoring:criteria_sets", kwargs={"pk": province.pk})))
    return crumbs


# --- The province's sets ----------------------------------------------------------------------------


@province_permission_required(MANAGE_CRITERIA)
def criteria_sets(request, province):
    """The sets by year and version, and a new draft of a year from the project's criteria file."""
    form = NewSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            criteria_set = criteria_set_load(province=province, year=year, by=request.user)
        except (ScoringError, IntegrityError):
            messages.error(request, _("Someone made a set of this year meanwhile; nothing was made. Try again."))
            return redirect("scoring:criteria_sets", pk=province.pk)
        messages.success(
            request,
            _(
                "Version %(version)d of %(year)d is a draft made from the project's criteria set: "
                "check it, then publish it."
            )
            % {"version": criteria_set.version, "year": year},
        )
        return redirect("scoring:criteria_set", pk=criteria_set.pk)
    this_year = clock.today().year
    return render(
        request,
        "scoring/criteria/criteria_sets.html",
        {
            "page_title": _("Criteria sets"),
            "crumbs": _crumbs(province),
            "province": province,
            "sets": CriteriaSet.objects.filter(province=province)
            .select_related("published_by", "created_by")
            .order_by("-year", "-version"),
            "years": [this_year, this_year + 1],
            "form": form,
        },
    )


# --- One set ----------------------------------------------------------------------------------------


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else plain(share * 100)


def _groups_with_criteria(criteria_set: CriteriaSet) -> list:
    """The groups with their criteria (two queries), each criterion with its metric's label and its
    thresholds as percentages."""
    groups = list(criteria_set.groups.prefetch_related("criteria").order_by("position", "code"))
    for group in groups:
        for criterion in group.criteria.all():
            metric = METRICS.get(criterion.metric)
            criterion.metric_label = metric.label if metric else criterion.metric
            criterion.floor_percent, criterion.target_percent = _percent(criterion.floor), _percent(criterion.target)
    return groups


@criteria_set_permission_required(MANAGE_CRITERIA)
def criteria_set(request, criteria_set):
    """The set; a draft is edited here (all its parts saved together), a published set is read-only."""
    editor = None
    if not criteria_set.is_frozen:
        editor = CriteriaSetEditor(criteria_set, data=request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if editor.is_valid():
                try:
                    editor.save(by=request.user)
                except FrozenSet as error:
                    messages.error(request, str(error))
                except IntegrityError:
                    messages.error(request, _("The set changed meanwhile; nothing was saved. Please try again."))
                else:
                    messages.success(request, _("The draft is saved."))
                return redirect("scoring:criteria_set", pk=criteria_set.pk)
            messages.error(request, _("The draft was not saved: please correct what is marked below."))
    elif request.method == "POST":
        messages.error(request, str(FROZEN_MESSAGE))
        return redirect("scoring:criteria_set", pk=criteria_set.pk)
    province = criteria_set.province
    return render(
        request,
        "scoring/criteria/criteria_set.html",
        {
            "page_title": str(criteria_set),
            "crumbs": _crumbs(province, criteria_set),
            "province": province,
            "criteria_set": criteria_set,
            "editor": editor,
            "groups": None if editor else _groups_with_criteria(criteria_set),
            "group_share_percent": _percent(criteria_set.knockout_group_share),
            "bands": criteria_set.bands.order_by("-min_points"),
            "documents": criteria_set.documents.order_by("position", "code"),
            "problems": criteria_set_problems(criteria_set) if editor else [],
            "versions": CriteriaSet.objects.filter(province=province, year=criteria_set.year)
            .exclude(pk=criteria_set.pk)
            .order_by("-version"),
        },
    )


ACTIONS = {"publish": criteria_set_publish, "revise": criteria_set_revise}


@criteria_set_permission_required(MANAGE_CRITERIA)
@require_POST
def criteria_act(request, criteria_set, action: str):
    """Publish a draft (it replaces the year's published version) or make a new draft version."""
    if action not in ACTIONS:
        raise Http404
    try:
        result = ACTIONS[action](criteria_set=criteria_set, by=request.user)
    except (ScoringError, FrozenSet) as error:
        messages.error(request, str(error))
        return redirect("scoring:criteria_set", pk=criteria_set.pk)
    if action == "publish":
        messages.success(
            request,
            _(
                "Version %(version)d of %(year)d is published and can no longer change. It replaces any earlier "
                "version of the year; draft assessments now use it."
            )
            % {"version": result.version, "year": result.year},
        )
    else:
        messages.success(
            request,
            _("Version %(version)d of %(year)d is a new draft copied from version %(from)d.")
            % {"version": result.version, "year": result.year, "from": criteria_set.version},
        )
    return redirect("scoring:criteria_set", pk=result.pk)


# --- Workbook ---------------------------------------------------------------------------------------


@criteria_set_permission_required(MANAGE_CRITERIA)
def criteria_export(request, criteria_set):
    """The set as an Excel workbook: criteria, groups, star bands and dossier documents."""
    name = f"criteria-{criteria_set.province.code}-{criteria_set.year}-v{criteria_set.version}.xlsx"
    response = HttpResponse(criteria_set_workbook(criteria_set), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@criteria_set_permission_required(MANAGE_CRITERIA)
def criteria_import(request, criteria_set):
    """Upload a workbook into a draft: every problem listed and nothing changed, or all replaced."""
    if criteria_set.is_frozen:
        messages.error(request, _("A published criteria set cannot be replaced by a workbook; make a new version."))
        return redirect("scoring:criteria_set", pk=criteria_set.pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, error_message = [], None
    if request.method == "POST" and form.is_valid():
        try:
            report = criteria_set_import(criteria_set=criteria_set, file=form.cleaned_data["file"], by=request.user)
        except CriteriaImportError as error:
            if error.errors:
                errors, error_message = error.errors, error.message
            else:
                form.add_error("file", error.message)
        except FrozenSet as error:
            messages.error(request, str(error))
            return redirect("scoring:criteria_set", pk=criteria_set.pk)
        else:
            messages.success(request, _import_summary(report))
            return redirect("scoring:criteria_set", pk=criteria_set.pk)
    return render(
        request,
        "scoring/criteria/criteria_import.html",
        {
            "page_title": _("Import a workbook"),
            "crumbs": [
                *_crumbs(criteria_set.province, criteria_set),
                (str(criteria_set), reverse("scoring:criteria_set", kwargs={"pk": criteria_set.pk})),
            ],
            "province": criteria_set.province,
            "criteria_set": criteria_set,
            "form": form,
            "errors": [(error, "") for error in errors],  # no column label: the workbook's are its fields
            "error_message": error_message,
        },
    )


def _import_summary(report) -> str:
    text = _("The workbook is imported: %(groups)d groups and %(criteria)d criteria.") % {
        "groups": report.groups,
        "criteria": report.criteria,
    }
    if report.bands is not None:
        text += " " + _("Star bands replaced: %(count)d.") % {"count": report.bands}
    if report.documents is not None:
        text += " " + _("Dossier documents replaced: %(count)d.") % {"count": report.documents}
    return text
