"""One assessment's pages: the commune's assessments by year, the overview everyone who works on an
assessment reads, and a page or an action per step of the cycle (the commune fills, attaches its
dossier and submits; the district reviews; DoHA appraises, adopts newer figures and answers appeals;
the commune appeals a line of its provisional results; the district or DoHA returns it).

Who may act is checked by the decorators (scoring/rules.py); the state of the cycle by the services,
whose refusal is shown as it is and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.rules import MANAGE_COMMUNE
from core.permissions import commune_permission_required
from core.web import workspace_trail
from scoring import services
from scoring.forms.assessment import (
    AppealAnswerForm,
    AppealForm,
    AppraiseForm,
    DocumentsForm,
    ReturnForm,
    ReviewForm,
    SelfLineForm,
)
from scoring.models import Assessment, Status
from scoring.rules import (
    ANSWER_APPEAL,
    APPEAL_LINE,
    APPRAISE_ASSESSMENT,
    FILL_ASSESSMENT,
    RETURN_ASSESSMENT,
    REVIEW_ASSESSMENT,
    VIEW_ASSESSMENT,
)
from scoring.selectors.assessment import assessment_page, assessments_of_commune, document_rows, line_groups
from scoring.services.certificates.sheet import self_scoring_sheet_pdf
from scoring.views.access import appeal_permission_required, assessment_permission_required
from scoring.views.files import stored_file


def _crumbs(commune, assessment: Assessment | None = None) -> list[tuple[str, str]]:
    crumbs = [
        *workspace_trail(commune),
        (_("Friendly-government assessment"), reverse("scoring:commune_assessments", kwargs={"pk": commune.pk})),
    ]
    if assessment is not None:
        crumbs.append((_("Year %(year)s") % {"year": assessment.year}, _overview_url(assessment)))
    return crumbs


def _overview_url(assessment: Assessment) -> str:
    return reverse("scoring:assessment", kwargs={"pk": assessment.pk})


def _step_page(request, assessment: Assessment, template: str, title: str, **context):
    """A page of one step: the assessment's breadcrumbs and heading around ``template``."""
    context = {
        "page_title": title,
        "crumbs": _crumbs(assessment.commune, assessment),
        "assessment": assessment,
        "criteria_set": assessment.criteria_set,
        **context,
    }
    return render(request, template, context)


def _sections(groups, of_line) -> list[tuple]:
    """The groups for a form page: each group with its rows, each row with what ``of_line`` gives."""
    return [(group, [(row, of_line(row.line)) for row in group.rows]) for group in groups]


# --- The commune's assessments and the overview ----------------------------------------------------


@commune_permission_required(VIEW_ASSESSMENT)
def commune_assessments(request, commune):
    """The commune's assessment of every year, with its status, points and the deadlines of its set."""
    return render(
        request,
        "scoring/assessment/commune_assessments.html",
        {
            "page_title": _("Friendly-government assessment"),
            "crumbs": _crumbs(commune)[:2],
            "commune": commune,
            "section": "scoring",
            "can_manage": request.user.has_perm(MANAGE_COMMUNE, commune),
            "assessments": assessments_of_commune(commune=commune),
        },
    )


@assessment_permission_required(VIEW_ASSESSMENT)
def overview(request, assessment):
    """Everything about the assessment, for everyone who works on it; ``?line=…&file=…`` and
    ``?document=…`` serve its evidence and dossier files."""
    if {"file", "document"} & set(request.GET):
        return stored_file(assessment, request.GET)
    page = assessment_page(assessment)
    user = request.user
    return render(
        request,
        "scoring/assessment/overview.html",
        {
            "page_title": _("Assessment %(year)s") % {"year": assessment.year},
            "crumbs": _crumbs(assessment.commune),
            "assessment": assessment,
            "criteria_set": assessment.criteria_set,
            "page": page,
            "return_form": ReturnForm(initial={"back_to": "overview"}),
            "Status": Status,
            # What the page offers: the rules read the assessment's state too.
            "can_fill": user.has_perm(FILL_ASSESSMENT, assessment),
            "can_review": user.has_perm(REVIEW_ASSESSMENT, assessment),
            "can_return": user.has_perm(RETURN_ASSESSMENT, assessment),
            "can_appraise": user.has_perm(APPRAISE_ASSESSMENT, assessment),
            "can_appeal": user.has_perm(APPEAL_LINE, assessment),
            "can_answer": user.has_perm(ANSWER_APPEAL, assessment),
        },
    )


# --- The commune -----------------------------------------------------------------------------------


@assessment_permission_required(FILL_ASSESSMENT)
def fill(request, assessment):
    """The officer's self-assessment: a score, an explanation and evidence for every self-assessed
    line; computed lines are shown with their figures. Nothing is saved while any field is wrong."""
    groups = line_groups(assessment)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    forms = {
        row.line.pk: SelfLineForm(*data, line=row.line)
        for group in groups
        for row in group.rows
        if not row.criterion.is_computed
    }
    page_errors = []
    if request.method == "POST":
        valid = [form.is_valid() for form in forms.values()]  # every form checked, so every error shows
        if all(valid):
            entries = {pk: entry for pk, form in forms.items() if (entry := form.entry())}
            try:
                services.assessment_self_save(assessment=assessment, by=request.user, entries=entries)
            except services.ScoringError as error:
                page_errors.append(str(error))
            else:
                for form in forms.values():
                    form.discard_kept()
                messages.success(request, _("The self-assessment is saved."))
                return redirect("scoring:assessment_fill", pk=assessment.pk)
        else:
            page_errors.append(_("Nothing was saved. Please correct the errors below."))
        # Nothing accepted is lost: the files that passed their check wait for the corrected form.
        for form in forms.values():
            form.keep_uploads()
        if any(form.kept for form in forms.values()):
            page_errors.append(_("The files you chose are kept and shown as attached: you need not send them again."))
    return _step_page(
        request,
        assessment,
        "scoring/assessment/fill.html",
        _("Self-assessment"),
        sections=_sections(groups, lambda line: forms.get(line.pk)),
        page_errors=page_errors,
    )


@assessment_permission_required(FILL_ASSESSMENT)
def documents(request, assessment):
    """The dossier documents: the commune sends HS1, HS2, HS4, HS5 as PDFs; the portal prints HS3."""
    rows = document_rows(assessment)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = DocumentsForm(*data, documents=[row.document for row in rows], assessment_pk=assessment.pk)
    page_errors = []
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():  # every document or none
                    for document, upload in form.uploads():
                        services.document_attach(assessment=assessment, document=document, file=upload, by=request.user)
            except services.ScoringError as error:
                page_errors.append(str(error))
            else:
                form.discard_kept()
                messages.success(request, _("The documents are saved."))
                return redirect("scoring:assessment_documents", pk=assessment.pk)
        form.keep_uploads()  # the files that passed their check are not asked for again
    fields = {name: (form[name], form.kept.get(name)) for name in form.documents}
    return _step_page(
        request,
        assessment,
        "scoring/assessment/documents.html",
        _("Dossier documents"),
        rows=[(row, *fields.get(f"document_{row.document.pk}", (None, None))) for row in rows],
        form=form,
        page_errors=page_errors,
    )


@assessment_permission_required(VIEW_ASSESSMENT)
def sheet(request, assessment):
    """The self-scoring sheet (HS3) as a PDF to print, sign and seal."""
    response = HttpResponse(self_scoring_sheet_pdf(assessment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bang-tu-cham-diem-{assessment.year}.pdf"'
    response["Cache-Control"] = "private, no-cache"
    return response


@assessment_permission_required(FILL_ASSESSMENT)
@require_POST
def submit(request, assessment):
    try:
        services.assessment_submit(assessment=assessment, by=request.user)
    except services.ScoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The self-assessment is submitted."))
    return redirect(_overview_url(assessment))


# --- The district and DoHA -------------------------------------------------------------------------


@assessment_permission_required(REVIEW_ASSESSMENT)
def review(request, assessment):
    """The district's review: a note per line where it has one, and an overall note."""
    groups = line_groups(assessment)
    lines = [row.line for group in groups for row in group.rows]
    form = ReviewForm(request.POST or None, lines=lines)
    page_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_review(
                assessment=assessment, by=request.user, notes=form.notes(), note=form.cleaned_data["overall"]
            )
        except services.ScoringError as error:
            page_errors.append(str(error))
        else:
            messages.success(request, _("The review is recorded and the assessment goes to the appraisal."))
            return redirect(_overview_url(assessment))
    return _step_page(
        request,
        assessment,
        "scoring/assessment/review.html",
        _("District review"),
        sections=_sections(groups, form.line_fields),
        form=form,
        return_form=ReturnForm(initial={"back_to": "review"}),
        can_return=request.user.has_perm(RETURN_ASSESSMENT, assessment),
        page_errors=page_errors,
    )


@assessment_permission_required(RETURN_ASSESSMENT)
@require_POST
def send_back(request, assessment):
    """Return a submitted assessment to the commune, saying why."""
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_return(assessment=assessment, by=request.user, reason=form.cleaned_data["reason"])
        except services.ScoringError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The assessment is returned to the commune."))
            return redirect(_overview_url(assessment))
    else:
        messages.error(request, _("Say why the assessment goes back to the commune."))
    back_to = form.cleaned_data.get("back_to", "overview")
    if back_to == "overview":
        return redirect(_overview_url(assessment))
    return redirect(f"scoring:assessment_{back_to}", pk=assessment.pk)


@assessment_permission_required(APPRAISE_ASSESSMENT)
def appraise(request, assessment):
    """DoHA's appraisal, line by line: each score prefilled with the commune's, a reason where it differs."""
    page = assessment_page(assessment)
    form = AppraiseForm(
        request.POST or None,
        lines=page.lines,
        initial={"discipline_case": assessment.discipline_case, "discipline_note": assessment.discipline_note},
    )
    page_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_appraise(
                assessment=assessment,
                by=request.user,
                scores=form.scores(),
                discipline_case=form.cleaned_data["discipline_case"],
                discipline_note=form.cleaned_data["discipline_note"],
                note=form.cleaned_data["overall"],
            )
        except services.ScoringError as error:
            page_errors.append(str(error))
        else:
            messages.success(request, _("The appraisal is recorded."))
            return redirect(_overview_url(assessment))
    return _step_page(
        request,
        assessment,
        "scoring/assessment/appraise.html",
        _("Appraisal"),
        page=page,
        sections=_sections(page.groups, form.line_fields),
        form=form,
        return_form=ReturnForm(initial={"back_to": "appraise"}),
        can_return=request.user.has_perm(RETURN_ASSESSMENT, assessment),
        page_errors=page_errors,
    )


@assessment_permission_required(APPRAISE_ASSESSMENT)
@require_POST
def adopt(request, assessment):
    """Take the newest computed figures into the assessment under appraisal."""
    try:
        snapshot = services.snapshot_adopt(assessment=assessment, by=request.user)
    except services.ScoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Figures #%(number)s are now used.") % {"number": snapshot.number})
    return redirect(_overview_url(assessment))


# --- Appeals ---------------------------------------------------------------------------------------


@assessment_permission_required(APPEAL_LINE)
def appeal(request, assessment):
    """The commune contests one line of its provisional results, while comments are open."""
    lines = list(
        assessment.lines.select_related("criterion").order_by("criterion__group__position", "criterion__position")
    )
    form = AppealForm(request.POST or None, lines=lines, initial={"line": request.GET.get("line")})
    page_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(line=form.cleaned_data["line"], by=request.user, text=form.cleaned_data["text"])
        except services.ScoringError as error:
            page_errors.append(str(error))
        else:
            messages.success(request, _("The appeal is sent to the Department of Home Affairs."))
            return redirect(_overview_url(assessment))
    return _step_page(
        request, assessment, "scoring/assessment/appeal.html", _("Appeal"), form=form, page_errors=page_errors
    )


@appeal_permission_required(ANSWER_APPEAL)
def appeal_answer(request, appeal):
    """DoHA accepts an appeal with a new score of the line, or rejects it; either way with an answer."""
    assessment = appeal.assessment
    form = AppealAnswerForm(request.POST or None, appeal=appeal)
    page_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_answer(
                appeal=appeal,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
                score=form.cleaned_data["score"],
            )
        except services.ScoringError as error:
            page_errors.append(str(error))
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect(_overview_url(assessment))
    return _step_page(
        request,
        assessment,
        "scoring/assessment/appeal_answer.html",
        _("Answer to an appeal"),
        appeal=appeal,
        line=appeal.line,
        form=form,
        page_errors=page_errors,
    )
