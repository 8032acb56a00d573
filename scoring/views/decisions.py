"""The recognition decision's pages: DoHA drafts it from the year's final results, the provincial
leader approves it, which locks it and every assessment in it.

Every view loads its object from the URL and checks a permission on it before running; writes are
POSTs that call scoring.services and end in a redirect (or show the form again with the refusal).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.permissions import province_permission_required
from core.web import workspace_trail
from scoring import services
from scoring.forms.decisions import DecisionForm, signer_title_for
from scoring.models import Assessment, Decision, Status
from scoring.rules import APPROVE_DECISION, DRAFT_DECISION, VIEW_DECISION
from scoring.services import ScoringError
from scoring.views.access import decision_permission_required

# --- Reads --------------------------------------------------------------------------------------


def _recognisable(province):
    """The province's final results with at least one star: the communes a decision may recognise."""
    return Assessment.objects.filter(
        criteria_set__province=province, status=Status.FINAL, stars__gte=1, locked_at__isnull=True
    )


def _candidates(province, year: int, decision: Decision | None = None) -> list[Assessment]:
    """The year's recognisable results in no decision yet (or in ``decision``), best first."""
    free = Q(decision_entry__isnull=True)
    if decision is not None:
        free |= Q(decision_entry__decision=decision)
    return list(
        _recognisable(province)
        .filter(free, year=year)
        .select_related("commune", "criteria_set", "decision_entry__decision")
        .order_by("-stars", "-total", "unit_name")
    )


def _years_to_decide(province) -> list[dict]:
    """Each year with final results not yet in a decision, and how many."""
    return list(
        _recognisable(province)
        .filter(decision_entry__isnull=True)
        .values("year")
        .order_by("-year")
        .annotate(communes=Count("pk"))
    )


# --- Shared pieces ------------------------------------------------------------------------------


def _chosen(form: DecisionForm, candidates: list[Assessment]) -> list[Assessment]:
    """The ticked candidates, as loaded for the page (with what the service checks on them)."""
    ticked = {a.pk for a in form.cleaned_data["assessments"]}
    return [a for a in candidates if a.pk in ticked]


def _crumbs(province, *, to_list: bool = True) -> list[tuple[str, str]]:
    """The way back: the workspace, the province's, and (below it) the province's decisions."""
    crumbs = [
        *workspace_trail(province),
    ]
    if to_list:
        crumbs.append((_("Recognition decisions"), reverse("scoring:decisions", kwargs={"pk": province.pk})))
    return crumbs


# --- Pages --------------------------------------------------------------------------------------


@province_permission_required(VIEW_DECISION)
def decisions(request, province):
    """The province's decisions, and for DoHA the years it can draft one for; ``?status=`` keeps the
    decisions in one status (the workspace's "to approve" links here)."""
    rows = (
        Decision.objects.filter(province=province)
        .select_related("approved_by")
        .annotate(communes=Count("entries"))
        .order_by("-year", "-signed_on", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Decision.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    can_draft = request.user.has_perm(DRAFT_DECISION, province)
    return render(
        request,
        "scoring/decisions/decision_list.html",
        {
            "page_title": _("Recognition decisions"),
            "crumbs": _crumbs(province, to_list=False),
            "province": province,
            "decisions": rows,
            "status_label": Decision.Status(status).label if status else "",
            "years": _years_to_decide(province) if can_draft else [],
            "can_draft": can_draft,
            "predecessors": province.predecessors.order_by("code"),
        },
    )


@province_permission_required(DRAFT_DECISION)
def decision_create(request, province, year):
    """DoHA's draft: number, date, signer, and the year's final results with stars, all ticked."""
    candidates = _candidates(province, year)
    initial = {
        "signed_on": clock.today(),
        "signer_title": signer_title_for(province),
        "assessments": [a.pk for a in candidates],
    }
    form = DecisionForm(request.POST or None, initial=initial, province=province, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_draft(
                province=province,
                year=year,
                assessments=_chosen(form, candidates),
                by=request.user,
                **form.fields_for_service(),
            )
        except ScoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Decision %(number)s is drafted. The provincial leader can now approve it.")
                % {"number": decision.number},
            )
            return redirect("scoring:decision", pk=decision.pk)
    return render(
        request,
        "scoring/decisions/decision_form.html",
        {
            "page_title": _("Draft the recognition decision of %(year)s") % {"year": year},
            "crumbs": _crumbs(province),
            "province": province,
            "year": year,
            "form": form,
        },
    )


@decision_permission_required(VIEW_DECISION)
def decision(request, decision):
    """The decision and its annex; DoHA changes or deletes a draft here, the leader approves it."""
    can_draft = request.user.has_perm(DRAFT_DECISION, decision)
    form = None
    if can_draft:
        candidates = _candidates(decision.province, decision.year, decision)
        initial = {
            "number": decision.number,
            "signed_on": decision.signed_on,
            "signer_name": decision.signer_name,
            "signer_title": decision.signer_title,
            "assessments": [a.pk for a in candidates if hasattr(a, "decision_entry")],
        }
        form = DecisionForm(
            request.POST or None, initial=initial, province=decision.province, candidates=candidates, decision=decision
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.decision_update(
                    decision=decision,
                    by=request.user,
                    assessments=_chosen(form, candidates),
                    **form.fields_for_service(),
                )
            except ScoringError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The draft decision is saved."))
                return redirect("scoring:decision", pk=decision.pk)
    entries = decision.entries.select_related("assessment").order_by("position", "pk")
    return render(
        request,
        "scoring/decisions/decision_detail.html",
        {
            "page_title": _("Decision %(number)s") % {"number": decision.number},
            "crumbs": _crumbs(decision.province),
            "province": decision.province,
            "decision": decision,
            "entries": entries,
            "form": form,
            "can_draft": can_draft,
            "can_approve": request.user.has_perm(APPROVE_DECISION, decision),
        },
    )


@decision_permission_required(APPROVE_DECISION)
@require_POST
def decision_approve(request, decision):
    try:
        services.decision_approve(decision=decision, by=request.user)
    except ScoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Decision %(number)s is approved: it and the results it recognises are locked.")
            % {"number": decision.number},
        )
    return redirect("scoring:decision", pk=decision.pk)


@decision_permission_required(DRAFT_DECISION)
@require_POST
def decision_delete(request, decision):
    try:
        services.decision_delete(decision=decision, by=request.user)
    except ScoringError as error:
        messages.error(request, str(error))
        return redirect("scoring:decision", pk=decision.pk)
    messages.success(request, _("The draft decision %(number)s is deleted.") % {"number": decision.number})
    return redirect("scoring:decisions", pk=decision.province_id)
