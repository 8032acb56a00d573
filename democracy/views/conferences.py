"""Dialogue conferences (Law 10/2022/QH15, art. 32): the commune's back office and the residents' page.

The officers schedule a conference, moderate and type in the questions, record that it was held with
its minutes, give every question its outcome and publish them. Every step is a POST to its own route,
checked on its own object (the conference, or one question) and done by
democracy.services.conferences; a refusal shows the conference's page again with the message on the
form that was sent, and nothing changes. Residents read the conference's page and, signed in, send
their questions until the time the commune set; no public page shows who asked.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import clock
from core.counters import rate_limit_exceeded
from core.files import pdf_response
from core.permissions import commune_permission_required, object_permission_required
from core.submissions import first_submission, forget_submission
from core.web import client_ip
from democracy.forms import conferences as forms
from democracy.models import Conference, ConferenceStatus, Outcome, Question, QuestionStatus
from democracy.rules import FOLLOW_DEMOCRACY, MANAGE_CONFERENCES
from democracy.selectors import conferences as queries
from democracy.services import conferences as services
from democracy.services.errors import DemocracyError
from democracy.views.common import render_commune, show_error
from democracy.views.public import _filename

CONFERENCES_PAGE_SIZE = 30
# A resident asks a few questions; a script asking hundreds is stopped at the connection.
QUESTIONS_PER_HOUR = 10


# Each loader's name is unique in the project: the POST matrix (tests/portal/test_post_matrix.py) finds
# the scene's object for a route by its loader's name.
def _conference(pk: int, **kwargs):
    conference = get_object_or_404(Conference.objects.select_related("commune__province", "commune__district"), pk=pk)
    return conference, {"conference": conference, **kwargs}


def _conference_question(pk: int, **kwargs):
    question = get_object_or_404(
        Question.objects.select_related("conference__commune__province", "conference__commune__district"), pk=pk
    )
    return question, {"question": question, **kwargs}


def conference_permission_required(perm: str):
    """The view receives ``conference`` instead of ``pk``."""
    return object_permission_required(perm, _conference)


def question_permission_required(perm: str):
    """Checked on the question's conference's commune; the view receives ``question``."""
    return object_permission_required(perm, _conference_question)


# The pages of the commune's conferences, under its back-office navigation.
_render = functools.partial(render_commune, section="conferences")


def _list_crumb(commune) -> tuple[str, str]:
    return _("Dialogue conferences"), reverse("democracy:manage_conferences", kwargs={"pk": commune.pk})


def _manage_url(conference) -> str:
    return reverse("democracy:manage_conference", kwargs={"pk": conference.pk})


# --- The commune's list, scheduling ---------------------------------------------------------------------------


@commune_permission_required(FOLLOW_DEMOCRACY)
def manage_conferences(request, commune):
    page = Paginator(queries.conferences_of_commune(commune=commune), CONFERENCES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    year = clock.today().year
    return _render(
        request,
        "democracy/manage/conference_list.html",
        commune=commune,
        title=_("Dialogue conferences"),
        page=page,
        conferences=page.object_list,
        can_schedule=request.user.has_perm(MANAGE_CONFERENCES, commune) and commune.is_current,
        year=year,
        held_this_year=queries.conference_held_in(commune=commune, year=year),
    )


@commune_permission_required(MANAGE_CONFERENCES)
def conference_create(request, commune):
    form = forms.ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the conference was scheduled once."))
            return redirect("democracy:manage_conferences", pk=commune.pk)
        try:
            conference = services.conference_schedule(
                commune=commune,
                title=data["title"],
                agenda=data["agenda"],
                starts_at=data["starts_at"],
                place=data["place"],
                questions_until=data["questions_until"],
                by=request.user,
            )
        except DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("The conference is scheduled: residents can send their questions."))
            return redirect(_manage_url(conference))
    return _render(
        request,
        "democracy/manage/conference_form.html",
        commune=commune,
        title=_("Schedule a dialogue conference"),
        crumbs=[_list_crumb(commune)],
        status=400 if form.errors else 200,
        form=form,
        cancel_url=reverse("democracy:manage_conferences", kwargs={"pk": commune.pk}),
    )


@conference_permission_required(MANAGE_CONFERENCES)
def conference_update(request, conference):
    if conference.status != ConferenceStatus.PLANNED:
        messages.error(request, _("Only a planned conference can be changed."))
        return redirect(_manage_url(conference))
    initial = {name: getattr(conference, name) for name in ("title", "agenda", "starts_at", "place", "questions_until")}
    form = forms.ConferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conference_update(
                conference=conference,
                title=data["title"],
                agenda=data["agenda"],
                starts_at=data["starts_at"],
                place=data["place"],
                questions_until=data["questions_until"],
                by=request.user,
            )
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The conference's plan is changed."))
            return redirect(_manage_url(conference))
    return _render(
        request,
        "democracy/manage/conference_form.html",
        commune=conference.commune,
        title=_("Change the conference's plan"),
        crumbs=[_list_crumb(conference.commune), (conference.title, _manage_url(conference))],
        status=400 if form.errors else 200,
        form=form,
        conference=conference,
        cancel_url=_manage_url(conference),
    )


# --- The conference's page ------------------------------------------------------------------------------------


def _conference_actions(conference, can_manage: bool) -> dict:
    if not can_manage:
        return {}
    actions = {}
    if conference.status == ConferenceStatus.PLANNED:
        actions["held"] = forms.HeldForm(prefix="held")
        actions["cancel"] = forms.CancelForm(prefix="cancel")
    if conference.status in (ConferenceStatus.PLANNED, ConferenceStatus.HELD):
        actions["enter"] = forms.QuestionEntryForm(prefix="enter")
    if conference.status == ConferenceStatus.HELD:
        actions["publish"] = True
    return actions


def _question_actions(conference, question, can_manage: bool) -> dict:
    if not can_manage:
        return {}
    prefix = f"q{question.pk}"
    actions = {}
    open_steps = conference.status in (ConferenceStatus.PLANNED, ConferenceStatus.HELD)
    if open_steps and not question.outcome:
        actions["moderate"] = forms.ModerateForm(prefix=f"{prefix}-moderate")
    if conference.status == ConferenceStatus.HELD and question.status == QuestionStatus.PUBLISHED:
        initial = {
            "outcome": question.outcome if question.outcome in services.OUTCOMES_RECORDED else None,
            "answer": question.answer,
            "answer_due_on": question.answer_due_on,
            "forwarded_to": question.forwarded_to,
        }
        actions["outcome"] = forms.OutcomeForm(prefix=f"{prefix}-outcome", initial=initial)
    if question.outcome == Outcome.IN_WRITING and conference.status in (
        ConferenceStatus.HELD,
        ConferenceStatus.PUBLISHED,
    ):
        actions["written"] = forms.WrittenAnswerForm(prefix=f"{prefix}-written")
    return actions


def _conference_page(request, conference, *, failed: tuple = (), status: int = 200):
    """The conference, its questions with the steps their state allows, the history. ``failed``: (action,
    question id or None, bound form) shown instead of the blank form, with its errors."""
    can_manage = request.user.has_perm(MANAGE_CONFERENCES, conference)
    questions = queries.questions_of_conference(conference=conference)
    numbers = {question.pk: number for number, question in enumerate(questions, start=1)}
    panels = []
    for question in questions:
        actions = _question_actions(conference, question, can_manage)
        if failed and failed[1] == question.pk:
            actions[failed[0]] = failed[2]
        panels.append({"question": question, "number": numbers[question.pk], "actions": actions})
    actions = _conference_actions(conference, can_manage)
    if failed and failed[1] is None:
        actions[failed[0]] = failed[2]
    pending = sum(question.status == QuestionStatus.PENDING for question in questions)
    without = sum(question.status == QuestionStatus.PUBLISHED and not question.outcome for question in questions)
    history = queries.conference_history(conference=conference, numbers=numbers)
    return _render(
        request,
        "democracy/manage/conference_detail.html",
        commune=conference.commune,
        title=conference.title,
        crumbs=[_list_crumb(conference.commune)],
        status=status,
        conference=conference,
        panels=panels,
        actions=actions,
        can_manage=can_manage,
        # Who asked is personal data: only the officers who answer see it.
        show_authors=can_manage,
        questions_open=services.questions_open(conference),
        pending=pending,
        without_outcome=without,
        overdue=sum(question.overdue for question in questions),
        history=[(entry, queries.REASONS.get(entry.reason, entry.reason)) for entry in history],
    )


@conference_permission_required(FOLLOW_DEMOCRACY)
def manage_conference(request, conference):
    return _conference_page(request, conference)


def _act(request, conference, action: str, question, form, do, done: str):
    """Run one step: a valid form goes to ``do(data)``; its DemocracyError, or the form's own errors,
    show the conference's page again with the sent form, and nothing written."""
    failed = (action, question.pk if question else None, form)
    if form is not None and not form.is_valid():
        return _conference_page(request, conference, failed=failed, status=400)
    try:
        do(form.cleaned_data if form is not None else {})
    except DemocracyError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(_manage_url(conference))
        show_error(form, error)
        return _conference_page(request, conference, failed=failed, status=400)
    messages.success(request, done)
    anchor = f"#question-{question.pk}" if question is not None else ""
    return redirect(_manage_url(conference) + anchor)


@conference_permission_required(MANAGE_CONFERENCES)
@require_POST
def conference_cancel(request, conference):
    form = forms.CancelForm(request.POST, prefix="cancel")

    def do(data):
        services.conference_cancel(conference=conference, reason=data["reason"], by=request.user)

    return _act(request, conference, "cancel", None, form, do, _("The conference is cancelled."))


@conference_permission_required(MANAGE_CONFERENCES)
@require_POST
def conference_question_enter(request, conference):
    form = forms.QuestionEntryForm(request.POST, prefix="enter")
    if form.is_valid() and not first_submission(request, form.cleaned_data["submission"]):
        messages.info(request, _("This form was already sent: the question was added once."))
        return redirect(_manage_url(conference))

    def do(data):
        try:
            services.question_enter(conference=conference, text=data["text"], by=request.user)
        except DemocracyError:
            forget_submission(request, data["submission"])
            raise

    return _act(request, conference, "enter", None, form, do, _("The question is added to the list."))


@conference_permission_required(MANAGE_CONFERENCES)
@require_POST
def conference_held(request, conference):
    form = forms.HeldForm(request.POST, request.FILES, prefix="held")

    def do(data):
        services.conference_record_held(
            conference=conference,
            held_on=data["held_on"],
            attendance=data["attendance"],
            minutes=data["minutes"],
            summary=data["summary"],
            by=request.user,
        )

    done = _("The conference is recorded as held. Record each question's outcome, then publish them.")
    return _act(request, conference, "held", None, form, do, done)


@conference_permission_required(MANAGE_CONFERENCES)
@require_POST
def conference_publish(request, conference):
    def do(_data):
        services.conference_publish(conference=conference, by=request.user)

    done = _("The minutes and the answers are published.")
    return _act(request, conference, "publish", None, None, do, done)


@question_permission_required(MANAGE_CONFERENCES)
@require_POST
def question_moderate(request, question):
    form = forms.ModerateForm(request.POST, prefix=f"q{question.pk}-moderate")

    def do(data):
        services.question_moderate(
            question=question,
            publish=data["decision"] == forms.ModerateForm.PUBLISH,
            reason=data["reason"],
            by=request.user,
        )

    return _act(request, question.conference, "moderate", question, form, do, _("The moderation is recorded."))


@question_permission_required(MANAGE_CONFERENCES)
@require_POST
def question_outcome(request, question):
    form = forms.OutcomeForm(request.POST, prefix=f"q{question.pk}-outcome")

    def do(data):
        services.question_outcome_record(
            question=question,
            outcome=data["outcome"],
            answer=data["answer"],
            answer_due_on=data["answer_due_on"],
            forwarded_to=data["forwarded_to"],
            by=request.user,
        )

    return _act(request, question.conference, "outcome", question, form, do, _("The outcome is recorded."))


@question_permission_required(MANAGE_CONFERENCES)
@require_POST
def question_written_answer(request, question):
    form = forms.WrittenAnswerForm(request.POST, prefix=f"q{question.pk}-written")

    def do(data):
        services.question_written_answer(
            question=question, answered_on=data["answered_on"], answer=data["answer"], by=request.user
        )

    return _act(request, question.conference, "written", question, form, do, _("The written answer is recorded."))


@conference_permission_required(FOLLOW_DEMOCRACY)
@require_safe
def manage_conference_minutes(request, conference):
    """The minutes as uploaded, before they are published too."""
    try:
        handle = queries.minutes_of_conference(pk=conference.pk, published_only=False).minutes.open("rb")
    except (Conference.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=_filename(conference.title))


# --- The residents' page --------------------------------------------------------------------------------------


def _public_page(request, conference, form=None, *, status: int = 200):
    user = request.user
    questions_open = services.questions_open(conference)
    if form is None and questions_open and user.is_authenticated:
        form = forms.QuestionForm()
    return render(
        request,
        "democracy/public/conference_detail.html",
        {
            "conference": conference,
            "commune": conference.commune,
            "questions": queries.questions_for_public_page(conference=conference),
            "questions_open": questions_open,
            "published": conference.status == ConferenceStatus.PUBLISHED,
            "form": form,
            "login_url": f"{reverse('account_login')}?{urlencode({'next': conference.get_absolute_url() + '#ask'})}",
        },
        status=status,
    )


def _public_conference(pk: int) -> Conference:
    try:
        return queries.conference_for_public_page(pk=pk)
    except Conference.DoesNotExist as error:
        raise Http404 from error


@require_safe
def conference_detail(request, pk: int):
    return _public_page(request, _public_conference(pk))


@require_POST
def conference_question(request, pk: int):
    """A resident's question, signed in: at most a few an hour from one connection, each form once."""
    conference = _public_conference(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(conference.get_absolute_url() + "#ask")
    form = forms.QuestionForm(request.POST)
    if not form.is_valid():
        return _public_page(request, conference, form, status=400)
    token = form.cleaned_data["submission"]
    if not first_submission(request, token):
        messages.info(request, _("Your question was already received."))
        return redirect(conference.get_absolute_url() + "#ask")
    if rate_limit_exceeded(
        scope="democracy-question", client_ip=client_ip(request), limit=QUESTIONS_PER_HOUR, seconds=3600
    ):
        forget_submission(request, token)
        form.add_error(None, _("Too many requests came from your connection. Please try again in an hour."))
        return _public_page(request, conference, form, status=429)
    try:
        services.question_send(conference=conference, text=form.cleaned_data["text"], author=request.user)
    except DemocracyError as error:
        forget_submission(request, token)
        show_error(form, error)
        return _public_page(request, conference, form, status=400)
    messages.success(
        request, _("Thank you: your question is received. It appears on the list once the officers have read it.")
    )
    return redirect(conference.get_absolute_url() + "#ask")


@require_safe
def conference_minutes(request, pk: int):
    try:
        conference = queries.minutes_of_conference(pk=pk)
        handle = conference.minutes.open("rb")
    except (Conference.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=_filename(conference.title))
