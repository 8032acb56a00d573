"""Residents oversee what they decided (Law 10/2022/QH15, art. 30–31, 38).

- The back office records each step of carrying a recognised matter out (money collected and spent,
  works done); the public matter page shows them with their totals (democracy.views.public).
- A signed-in resident reports a discrepancy on a matter, or anything on the People's Inspection
  Board's page; the report goes to the board, never to a public page, and its author follows it on
  "my reports".
- The board (its members with an account, and the commune Front committee) works its queue.
- The commune Front committee files supervision notes and reads its commune's overview.

Views parse, check the permission (core.permissions), call democracy.services.execution and render;
a refusal (DemocracyError) shows the form again with its message and nothing written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from communes.rules import MANAGE_COMMUNE
from core import clock
from core.counters import rate_limit_exceeded, window_count
from core.files import pdf_response
from core.permissions import commune_permission_required, object_permission_required
from core.submissions import first_submission, forget_submission
from core.web import client_ip
from democracy.forms import execution as forms
from democracy.models import (
    Board,
    BoardKind,
    ConferenceStatus,
    ConsultationStatus,
    Execution,
    Matter,
    MatterStatus,
    RecommendationStatus,
    Report,
    ReportStatus,
    SupervisionNote,
)
from democracy.rules import FILE_SUPERVISION_NOTE, FOLLOW_DEMOCRACY, RECORD_EXECUTION, WORK_AS_BOARD
from democracy.selectors import execution as queries
from democracy.selectors.public import matter_for_public_page
from democracy.services import execution as services
from democracy.services.errors import DemocracyError
from democracy.views.common import show_error

# A resident reports what they saw, not a stream: these limits stop a script, never a person.
REPORTS_PER_USER_PER_DAY = 10
REPORTS_PER_ADDRESS_PER_HOUR = 30
TOO_MANY_REPORTS = gettext_lazy(
    "You have sent many reports today. The board reads each of them; please send more tomorrow."
)

# The history's reasons are written in English by the services; readers see them in their language.
REASONS = {
    "recorded": gettext_lazy("recorded"),
    "corrected": gettext_lazy("corrected"),
    **dict(ReportStatus.choices),  # a report's history says which status it was given
}


# A recommendation's states as the Front reads them (the model's labels are the boards' pages' words).
RECOMMENDATION_STATES = {
    RecommendationStatus.AWAITING: gettext_lazy("awaiting the commune's answer"),
    RecommendationStatus.ANSWERED: gettext_lazy("answered by the commune"),
}


# --- Loaders (their names are unique in the project: the POST matrix finds scenes by them) -------------


def _executed_matter(pk: int, **kwargs):
    matter = get_object_or_404(Matter.objects.select_related("commune__province", "village"), pk=pk)
    return matter, {"matter": matter, **kwargs}


def _execution_step(pk: int, **kwargs):
    step = get_object_or_404(
        Execution.objects.select_related("matter__commune__province", "matter__village", "created_by"), pk=pk
    )
    return step, {"step": step, **kwargs}


def _board_report(pk: int, **kwargs):
    try:
        report = queries.report_for_board_page(pk=pk)
    except Report.DoesNotExist as error:
        raise Http404 from error
    return report, {"report": report, **kwargs}


def _supervision_note(pk: int, **kwargs):
    note = get_object_or_404(SupervisionNote.objects.select_related("commune__province"), pk=pk)
    return note, {"note": note, **kwargs}


def _sent(request) -> tuple:
    """The form's data and files: bound on every POST, even an empty one, so it answers with its errors."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _link(name: str, pk: int) -> str:
    return reverse(f"democracy:{name}", kwargs={"pk": pk})


# --- Public: a step's document ------------------------------------------------------------------------


@require_safe
def execution_document(request, pk: int):
    try:
        step = queries.step_for_download(pk=pk)
        handle = step.document.open("rb")
    except (Execution.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=f"execution-{step.matter_id}-{step.pk}.pdf")


# --- Public: residents' reports -----------------------------------------------------------------------


def _rate_limited(request) -> bool:
    per_user = window_count(f"rate:democracy-report:user:{request.user.pk}", 24 * 3600) > REPORTS_PER_USER_PER_DAY
    per_address = rate_limit_exceeded(
        scope="democracy-report", client_ip=client_ip(request), limit=REPORTS_PER_ADDRESS_PER_HOUR, seconds=3600
    )
    return per_user or per_address


def _report_form_page(request, *, form, context: dict, submit):
    """GET shows the form; a valid POST goes to ``submit(data)`` once per displayed form."""
    status = 200
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission"]
        if _rate_limited(request):
            form.add_error(None, TOO_MANY_REPORTS)
            status = 429
        elif not first_submission(request, token):
            messages.info(request, _("This report was already sent: the board received it once."))
            return redirect("democracy:my_reports")
        else:
            try:
                submit(form.cleaned_data)
            except DemocracyError as error:
                forget_submission(request, token)
                show_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your report was sent to the People's Inspection Board. You can follow it here."),
                )
                return redirect("democracy:my_reports")
    if form.errors and status == 200:
        status = 400
    return render(request, "democracy/public/report_form.html", {"form": form, **context}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def matter_report_create(request, pk: int):
    """A discrepancy in how a recognised matter is carried out, optionally on one of its steps."""
    try:
        matter = matter_for_public_page(pk=pk)
    except Matter.DoesNotExist as error:
        raise Http404 from error
    if matter.status != MatterStatus.RECOGNISED:
        raise Http404  # nothing is carried out before the commune recognises the decision
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    board = queries.inspection_board_in_office(commune=matter.commune)
    form = forms.ReportForm(_sent(request)[0], matter=matter)
    context = {"matter": matter, "commune": matter.commune, "board": board, "no_board": board is None}

    def submit(data):
        services.report_submit(author=request.user, text=data["text"], matter=matter, execution=data["execution"])

    return _report_form_page(request, form=form, context=context, submit=submit)


@require_http_methods(["GET", "HEAD", "POST"])
def board_report_create(request, pk: int):
    """Anything a resident wants the People's Inspection Board to know, from the board's page."""
    board = get_object_or_404(Board.objects.select_related("commune__province", "commune__district"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = forms.ReportForm(_sent(request)[0])
    # An investment supervision board, or a board whose term is over, sends the resident to the board in office.
    receives = board.kind == BoardKind.INSPECTION and queries.board_in_office(board)
    context = {
        "board": board,
        "commune": board.commune,
        "no_board": not receives,
        "board_in_office": None if receives else queries.inspection_board_in_office(commune=board.commune),
    }

    def submit(data):
        services.report_submit(author=request.user, text=data["text"], board=board)

    return _report_form_page(request, form=form, context=context, submit=submit)


def my_reports(request):
    """The reports the signed-in resident sent, with their status and the board's note. Only theirs."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = render(
        request, "democracy/public/report_list.html", {"reports": queries.reports_of_author(user=request.user)}
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Back office: recording the execution ------------------------------------------------------------------


def _matter_frame(request, matter) -> dict:
    """The back office's frame around a matter: its village's navigation, or the commune's."""
    crumbs = [(matter.title, reverse("democracy:manage_matter", kwargs={"pk": matter.pk}))]
    if matter.village_id:
        return {"village": matter.village, "commune": matter.commune, "section": "matters", "crumbs": crumbs}
    return {
        "commune": matter.commune,
        "section": "democracy",
        "can_manage": request.user.has_perm(MANAGE_COMMUNE, matter.commune),
        "crumbs": [
            (_("Matters residents decide"), reverse("democracy:manage_matters", kwargs={"pk": matter.commune_id})),
            *crumbs,
        ],
    }


def _history_rows(versions):
    return [(version, REASONS.get(version.reason, version.reason)) for version in versions]


@object_permission_required(RECORD_EXECUTION, _executed_matter)
@require_http_methods(["GET", "HEAD", "POST"])
def manage_execution(request, matter):
    """The matter's steps, their totals and history, and the form to record the next one."""
    recognised = matter.status == MatterStatus.RECOGNISED
    form = forms.StepForm(*_sent(request))
    if request.method == "POST":
        if not recognised:
            form.is_valid()  # add_error needs the cleaned form
            form.add_error(None, services.NOT_RECOGNISED)
        elif form.is_valid():
            data = form.cleaned_data
            token = data["submission"]
            if not first_submission(request, token):
                messages.info(request, _("This form was already sent: the step was recorded once."))
                return redirect("democracy:manage_execution", pk=matter.pk)
            try:
                services.execution_record(
                    matter=matter,
                    kind=data["kind"],
                    on=data["on"],
                    amount=data["amount"],
                    description=data["description"],
                    document=data["document"],
                    by=request.user,
                )
            except DemocracyError as error:
                forget_submission(request, token)
                show_error(form, error)
            else:
                messages.success(request, _("The step is recorded and published on the matter's page."))
                return redirect("democracy:manage_execution", pk=matter.pk)
    steps = queries.steps_for_back_office(matter=matter)
    context = {
        "matter": matter,
        "steps": steps,
        "totals": queries.totals_of(steps),
        "history": _history_rows(queries.step_history(matter=matter)),
        "form": form if recognised else None,
        "recognised": recognised,
        "page_title": _("Carrying the decision out"),
        **_matter_frame(request, matter),
    }
    return render(request, "democracy/manage/execution_list.html", context, status=400 if form.errors else 200)


@object_permission_required(RECORD_EXECUTION, _execution_step)
@require_http_methods(["GET", "HEAD", "POST"])
def manage_execution_update(request, step):
    """Its recorder corrects a step; everyone who records sees its versions."""
    matter = step.matter
    is_recorder = step.created_by_id == request.user.pk
    form = forms.StepForm.for_step(step, *_sent(request))
    if request.method == "POST":
        if not is_recorder:
            form.is_valid()  # add_error needs the cleaned form
            form.add_error(None, services.NOT_THE_RECORDER)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.execution_correct(
                    execution=step,
                    kind=data["kind"],
                    on=data["on"],
                    amount=data["amount"],
                    description=data["description"],
                    document=data["document"],
                    by=request.user,
                )
            except DemocracyError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The step is corrected; its first version stays in its history."))
                return redirect("democracy:manage_execution", pk=matter.pk)
    frame = _matter_frame(request, matter)
    frame["crumbs"] = [
        *frame["crumbs"],
        (_("Carrying the decision out"), reverse("democracy:manage_execution", kwargs={"pk": matter.pk})),
    ]
    context = {
        "matter": matter,
        "step": step,
        "form": form if is_recorder else None,
        "history": _history_rows(queries.step_history(step=step)),
        "page_title": _("Correct a step"),
        **frame,
    }
    return render(request, "democracy/manage/execution_form.html", context, status=400 if form.errors else 200)


# --- Back office: the board's reports -------------------------------------------------------------------


@object_permission_required(WORK_AS_BOARD, _board_report)
@require_http_methods(["GET", "HEAD", "POST"])
def manage_report(request, report):
    """One report: what the resident saw, who they are (for the board only), the board's status and note."""
    form = forms.ReportHandleForm(_sent(request)[0], initial={"status": report.status, "board_note": report.board_note})
    closed = report.status == ReportStatus.CLOSED
    if request.method == "POST":
        if closed:
            form.is_valid()  # add_error needs the cleaned form
            form.add_error(None, services.REPORT_CLOSED)
        elif form.is_valid():
            try:
                services.report_update(
                    report=report,
                    status=form.cleaned_data["status"],
                    board_note=form.cleaned_data["board_note"],
                    by=request.user,
                )
            except DemocracyError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The report is updated; its author sees the new status."))
                return redirect("democracy:manage_report", pk=report.pk)
    board = report.board
    queue_url = _link("manage_board_queue", board.pk)
    context = {
        "report": report,
        "board": board,
        "commune": board.commune,
        "form": None if closed else form,
        "history": [
            (entry, REASONS.get(entry.history_change_reason or "", ""))
            for entry in queries.report_history(report=report)
        ],
        "page_title": _("Report to the board"),
        "crumbs": [(str(board), queue_url)],
        "front_nav": request.user.has_perm(FOLLOW_DEMOCRACY, board.commune),
    }
    response = render(request, "democracy/manage/report_detail.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Back office: the Front committee's supervision ---------------------------------------------------------


def _front_frame(request, commune, page_title: str, *crumbs) -> dict:
    return {
        "commune": commune,
        "page_title": page_title,
        "crumbs": list(crumbs),
        "can_file": request.user.has_perm(FILE_SUPERVISION_NOTE, commune),
    }


def _overview_crumb(commune) -> tuple[str, str]:
    return _("Supervision overview"), reverse("democracy:manage_front_overview", kwargs={"pk": commune.pk})


@commune_permission_required(FOLLOW_DEMOCRACY)
@require_safe
def manage_supervision_notes(request, commune):
    return render(
        request,
        "democracy/manage/supervision_list.html",
        {
            "notes": queries.notes_of_commune(commune=commune),
            "section": "notes",
            **_front_frame(request, commune, _("Front supervision notes"), _overview_crumb(commune)),
        },
    )


@commune_permission_required(FILE_SUPERVISION_NOTE)
@require_http_methods(["GET", "HEAD", "POST"])
def manage_supervision_note_create(request, commune):
    form = forms.NoteForm(*_sent(request), commune=commune)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the note was filed once."))
            return redirect("democracy:manage_supervision_notes", pk=commune.pk)
        try:
            services.supervision_note_file(
                commune=commune,
                title=data["title"],
                text=data["text"],
                consultation=data["consultation"],
                matter=data["matter"],
                recommendation=data["recommendation"],
                document=data["document"],
                by=request.user,
            )
        except DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("The note is filed."))
            return redirect("democracy:manage_supervision_notes", pk=commune.pk)
    notes_crumb = (
        _("Front supervision notes"),
        reverse("democracy:manage_supervision_notes", kwargs={"pk": commune.pk}),
    )
    return render(
        request,
        "democracy/manage/supervision_form.html",
        {
            "form": form,
            "section": "notes",
            **_front_frame(request, commune, _("File a supervision note"), _overview_crumb(commune), notes_crumb),
        },
        status=400 if form.errors else 200,
    )


@object_permission_required(FOLLOW_DEMOCRACY, _supervision_note)
@require_safe
def manage_supervision_note_document(request, note):
    try:
        handle = queries.note_for_download(pk=note.pk).document.open("rb")
    except (SupervisionNote.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=f"supervision-note-{note.pk}.pdf")


@dataclass(frozen=True)
class OverviewRow:
    label: str
    url: str | None
    status: str
    day: datetime.date | None
    flag: str = ""  # why the row needs the Front's eye ("awaiting", "overdue"), for the badge and the tests


@dataclass(frozen=True)
class OverviewSection:
    key: str
    title: str
    figures: list[tuple[str, str, int]]  # (key, label, count)
    rows: list[OverviewRow]


def _figures(counts: dict[str, int], choices, **extra) -> list[tuple[str, str, int]]:
    return [
        ("total", _("in all"), counts["total"]),
        *((value, label, counts[value]) for value, label in choices),
        *((key, label, counts[key]) for key, label in extra.items()),
    ]


def _recommendation_url(recommendation, today) -> str:
    """An answered recommendation is public; one still awaiting is read in the commune's list of them."""
    if recommendation.status == RecommendationStatus.ANSWERED:
        return recommendation.get_absolute_url()
    state = "overdue" if recommendation.is_overdue(today) else "awaiting"
    return f"{_link('manage_recommendations', recommendation.board.commune_id)}?state={state}"


def _overview_sections(overview) -> list[OverviewSection]:
    today = overview.today
    return [
        OverviewSection(
            "consultations",
            _("Consultations"),
            _figures(overview.consultations, ConsultationStatus.choices),
            [
                OverviewRow(c.title, _link("manage_consultation", c.pk), c.get_status_display(), c.opens_on)
                for c in overview.consultation_rows
            ],
        ),
        OverviewSection(
            "matters",
            _("Matters residents decide"),
            _figures(overview.matters, MatterStatus.choices),
            [
                OverviewRow(
                    m.title,
                    reverse("democracy:manage_matter", kwargs={"pk": m.pk}),
                    m.get_status_display(),
                    clock.date_of(m.created_at),
                    "awaiting" if m.status == MatterStatus.DECIDED else "",
                )
                for m in overview.matter_rows
            ],
        ),
        OverviewSection(
            "conferences",
            _("Dialogue conferences"),
            _figures(overview.conferences, ConferenceStatus.choices),
            [
                OverviewRow(
                    c.title,
                    _link("manage_conference", c.pk),
                    c.get_status_display(),
                    clock.date_of(c.starts_at),
                )
                for c in overview.conference_rows
            ],
        ),
        OverviewSection(
            "recommendations",
            _("Recommendations of the People's Inspection Board"),
            _figures(overview.recommendations, RECOMMENDATION_STATES.items(), overdue=_("not answered within 15 days")),
            [
                OverviewRow(
                    r.title,
                    _recommendation_url(r, today),
                    RECOMMENDATION_STATES[r.status],
                    r.received_on,
                    "overdue"
                    if r.is_overdue(today)
                    else ("awaiting" if r.status == RecommendationStatus.AWAITING else ""),
                )
                for r in overview.recommendation_rows
            ],
        ),
    ]


@commune_permission_required(FOLLOW_DEMOCRACY)
@require_safe
def manage_front_overview(request, commune):
    """Everything of the commune's grassroots democracy the Front committee supervises, on one page: each
    kind of record counted by state, its newest rows linked to their pages, the board's reports counted
    (never shown: they are the board's), and the Front's notes."""
    overview = queries.front_overview(commune=commune)
    board = overview.board
    return render(
        request,
        "democracy/manage/supervision_overview.html",
        {
            "overview": overview,
            "sections": _overview_sections(overview),
            "report_figures": _figures(overview.reports, ReportStatus.choices),
            "board": board,
            "board_url": _board_url(request, board) if board else None,
            "rows_shown": queries.OVERVIEW_ROWS,
            "section": "overview",
            **_front_frame(request, commune, _("Supervision overview")),
        },
    )


def _board_url(request, board) -> str:
    """The board's queue for who works in it (its members, the Front committee), else its public page."""
    if request.user.has_perm(WORK_AS_BOARD, board):
        return _link("manage_board_queue", board.pk)
    return board.get_absolute_url()
