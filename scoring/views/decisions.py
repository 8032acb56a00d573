"""The recognition decision's pages: DoHA drafts it from the year's final results (and exports the
draft to Word or PDF), the records office numbers and dates it, the provincial leader approves it, which
locks it and every assessment in it; the copy signed in the e-office system is uploaded back and is the
published decision (``decision_document``, public).

Every view loads its object from the URL and checks a permission on it before running; writes are
POSTs that call scoring.services and end in a redirect (or show the form again with the refusal).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.files import pdf_response
from core.permissions import province_permission_required
from core.web import workspace_trail
from scoring import services
from scoring.forms.decisions import DecisionForm, IssueForm, SignedDecisionForm
from scoring.models import Assessment, Certificate, Decision, Status
from scoring.rules import (
    APPROVE_DECISION,
    DRAFT_DECISION,
    ISSUE_DECISION,
    UPLOAD_SIGNED_DECISION,
    VIEW_DECISION,
)
from scoring.services import ScoringError
from scoring.services.certificates.documents import render_pdf
from scoring.services.decisions import decision_defaults, decision_issue, decision_signed_upload
from scoring.services.decisions.document import decision_text
from scoring.services.decisions.docx import decision_docx
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
    """DoHA's draft: signer, proposal, grounds, recipients, and the year's final results with stars, all
    ticked. No number and no date: the records office gives them at issue."""
    candidates = _candidates(province, year)
    defaults = decision_defaults(province)
    initial = {
        "signer_role": defaults["signer_role"],
        "signer_name": defaults["signer_name"],
        "grounds": "\n".join(defaults["grounds"]),
        "recipients": "\n".join(defaults["recipients"]),
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
                _(
                    "The decision is drafted. Export it to finish it in Word; the records office then gives it "
                    "its number and date."
                ),
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
            "signer_role": decision.signer_role,
            "signer_name": decision.signer_name,
            "proposal_number": decision.proposal_number,
            "proposal_date": decision.proposal_date,
            "grounds": "\n".join(g.text for g in decision.grounds.all()),
            "recipients": decision.recipients,
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
    return _detail(request, decision, form=form, can_draft=can_draft)


def _detail(request, decision, *, form=None, can_draft=False, issue_form=None, upload_form=None, status=200):
    entries = decision.entries.select_related("assessment").order_by("position", "pk")
    can_issue = request.user.has_perm(ISSUE_DECISION, decision)
    can_upload = request.user.has_perm(UPLOAD_SIGNED_DECISION, decision)
    if can_issue and issue_form is None:
        issue_form = IssueForm(initial={"signed_on": decision.signed_on or clock.today()})
    if can_upload and upload_form is None:
        upload_form = SignedDecisionForm()
    sealed = decision.certificates.filter(kind=Certificate.Kind.DECISION, status=Certificate.Status.VALID).first()
    return render(
        request,
        "scoring/decisions/decision_detail.html",
        {
            "page_title": _title(decision),
            "crumbs": _crumbs(decision.province),
            "province": decision.province,
            "decision": decision,
            "entries": entries,
            "grounds": decision.grounds.all(),
            "form": form,
            "can_draft": can_draft,
            "can_issue": can_issue,
            "issue_form": issue_form if can_issue else None,
            "can_approve": request.user.has_perm(APPROVE_DECISION, decision),
            "can_upload": can_upload,
            "upload_form": upload_form if can_upload else None,
            "sealed": sealed,
            "published": decision.is_approved and (decision.has_signed_copy or sealed is not None),
        },
        status=status,
    )


def _title(decision) -> str:
    if decision.number:
        return _("Decision %(number)s") % {"number": decision.number}
    return _("Draft decision of %(year)s") % {"year": decision.year}


@decision_permission_required(ISSUE_DECISION)
@require_POST
def decision_issue_view(request, decision):
    """The records office numbers and dates the decision: the register's next number, or the e-office's."""
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            decision = decision_issue(
                decision=decision,
                signed_on=form.cleaned_data["signed_on"],
                number=form.number_for_service(),
                by=request.user,
            )
        except ScoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Decision %(number)s of %(day)s is issued. The provincial leader can now approve it.")
                % {"number": decision.number, "day": decision.signed_on.strftime("%d/%m/%Y")},
            )
            return redirect("scoring:decision", pk=decision.pk)
    return _detail(request, decision, issue_form=form, status=400)


@decision_permission_required(UPLOAD_SIGNED_DECISION)
@require_POST
def decision_signed(request, decision):
    """The decision signed in the e-office system: its signatures checked, then kept and published."""
    form = SignedDecisionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            decision, report = decision_signed_upload(decision=decision, data=form.data_bytes(), by=request.user)
        except ScoringError as error:
            form.add_error("document", str(error))
        else:
            messages.success(
                request,
                _("The signed decision is kept: signed by %(signer)s.") % {"signer": report.last_signer},
            )
            return redirect("scoring:decision", pk=decision.pk)
    return _detail(request, decision, upload_form=form, status=400)


def _file_name(decision, extension: str) -> str:
    number = decision.number.split("/")[0] if decision.number else "du-thao"
    return f"quyet-dinh-{decision.year}-{number}.{extension}"


@decision_permission_required(VIEW_DECISION)
def decision_export(request, decision, kind):
    """The decision as Word (to finish it there) or as a PDF preview: a draft with blanks for the number
    and the date, an issued one with them. Not sealed: the sealed copy comes with the certificates."""
    text = decision_text(decision)
    if kind == "docx":
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        response = HttpResponse(decision_docx(text), content_type=content_type)
    elif kind == "pdf":
        response = HttpResponse(render_pdf("scoring/pdf/decision.html", {"text": text}), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{_file_name(decision, kind)}"'
    return response


def decision_document(request, pk):
    """The published decision, for anyone: the copy signed in the e-office system when it was uploaded,
    else the copy the portal generated and sealed. Nothing before the leader's approval."""
    decision = get_object_or_404(Decision, pk=pk, status=Decision.Status.APPROVED)
    if decision.signed_file:
        file = decision.signed_file
    else:
        sealed = decision.certificates.filter(kind=Certificate.Kind.DECISION, status=Certificate.Status.VALID).first()
        if sealed is None or not sealed.file:
            raise Http404
        file = sealed.file
    return pdf_response(file.open("rb"), filename=_file_name(decision, "pdf"))


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
    messages.success(request, _("The draft decision is deleted."))
    return redirect("scoring:decisions", pk=decision.province_id)
