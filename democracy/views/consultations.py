"""Consultations (Law 10/2022/QH15, art. 25–29): the public page where residents read the plan and the
draft, comment and, once it is closed, read the answer to every comment; and the back office where the
commune plans it, types the draft in sections, publishes it, types in the comments received elsewhere,
moderates, closes, answers and publishes the synthesis.

Every step is a POST to its own route, checked on its own object, done by
democracy.services.consultations; a refusal (DemocracyError) or a wrong input shows the page again with
the message on the form that was sent, and nothing changes.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.counters import rate_limit_exceeded
from core.files import pdf_response
from core.permissions import commune_permission_required, object_permission_required
from core.submissions import first_submission, forget_submission
from core.web import client_ip
from democracy.forms import consultations as forms
from democracy.models.consultations import Comment, Consultation, ConsultationStatus, Section
from democracy.rules import FOLLOW_DEMOCRACY, MANAGE_CONSULTATIONS
from democracy.selectors import consultations as queries
from democracy.services import consultations as services
from democracy.services.errors import DemocracyError
from democracy.views.common import render_commune, show_error

PAGE_SIZE = 30
COMMENTS_PER_HOUR = 10  # per connection: more than a resident writes, few enough to slow a flood
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _filename(title: str) -> str:
    return (_UNSAFE_FILENAME.sub(" ", title).strip()[:150] or "document") + ".pdf"


# Loaders: each name is unique in the project (tests/portal/test_post_matrix.py finds its objects by it).
def _consultation(pk: int, **kwargs):
    consultation = get_object_or_404(
        Consultation.objects.select_related("commune__province", "commune__district"), pk=pk
    )
    return consultation, {"consultation": consultation, **kwargs}


def _consultation_section(pk: int, **kwargs):
    section = get_object_or_404(
        Section.objects.select_related("consultation__commune__province", "consultation__commune__district"), pk=pk
    )
    return section, {"section": section, **kwargs}


def _consultation_comment(pk: int, **kwargs):
    comment = get_object_or_404(
        Comment.objects.select_related("consultation__commune__province", "consultation__commune__district"), pk=pk
    )
    return comment, {"comment": comment, **kwargs}


def consultation_permission_required(perm: str):
    return object_permission_required(perm, _consultation)


def section_permission_required(perm: str):
    """Checked on the section (its consultation's commune); the view receives ``section``."""
    return object_permission_required(perm, _consultation_section)


def comment_permission_required(perm: str):
    """Checked on the comment (its consultation's commune); the view receives ``comment``."""
    return object_permission_required(perm, _consultation_comment)


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


# --- Public: the consultation's page and its files ------------------------------------------------------


def _public_page(request, consultation: Consultation, form=None, status: int = 200):
    groups, counts = queries.public_discussion(consultation=consultation)
    state = queries.comment_state(consultation)
    sections = [group.section for group in groups if group.section is not None]
    if form is None and state == "open" and request.user.is_authenticated:
        form = forms.CommentForm(sections=sections, initial={"section": request.GET.get("section", "")})
    login_url = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
    return render(
        request,
        "democracy/public/consultation_detail.html",
        {
            "consultation": consultation,
            "commune": consultation.commune,
            "groups": groups,
            "counts": counts,
            "state": state,
            "answers_public": consultation.status in (ConsultationStatus.CLOSED, ConsultationStatus.SYNTHESISED),
            # Shown whole while comments are received; otherwise only its errors (it closed meanwhile).
            "form": form,
            "own": queries.own_comments(consultation=consultation, user=request.user),
            "login_url": login_url,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def consultation_detail(request, pk: int):
    try:
        consultation = queries.consultation_for_public_page(pk=pk)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    if request.method != "POST":
        return _public_page(request, consultation)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    sections = list(consultation.sections.order_by("number"))
    form = forms.CommentForm(request.POST, sections=sections)
    if not form.is_valid():
        return _public_page(request, consultation, form, status=400)
    if rate_limit_exceeded(
        scope="democracy-consultation-comment", client_ip=client_ip(request), limit=COMMENTS_PER_HOUR, seconds=3600
    ):
        form.add_error(None, _("Too many comments came from your connection. Please try again in an hour."))
        return _public_page(request, consultation, form, status=429)
    token = form.cleaned_data["submission"]
    if not first_submission(request, token):
        messages.info(request, _("This form was already sent: your comment was received once."))
        return redirect(consultation.get_absolute_url() + "#own-comments")
    try:
        services.comment_submit(
            consultation=consultation,
            user=request.user,
            text=form.cleaned_data["text"],
            section=form.cleaned_data["section"],
        )
    except DemocracyError as error:
        forget_submission(request, token)
        show_error(form, error)
        return _public_page(request, consultation, form, status=400)
    messages.success(request, _("Thank you: your comment is received. It is published after a check."))
    return redirect(consultation.get_absolute_url() + "#own-comments")


def _file(request, pk: int, which: str):
    try:
        consultation = queries.consultation_with_file(pk=pk, which=which)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    # A draft not yet published is the officers' working text: the public sees nothing of it.
    if not consultation.is_public and not request.user.has_perm(FOLLOW_DEMOCRACY, consultation):
        raise Http404
    document = consultation.draft if which == "draft" else consultation.final_document
    try:
        handle = document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return pdf_response(handle, filename=_filename(consultation.title))


@require_safe
def consultation_draft(request, pk: int):
    return _file(request, pk, "draft")


@require_safe
def consultation_final(request, pk: int):
    return _file(request, pk, "final")


# --- Back office: the commune's list and a new plan ---------------------------------------------------------


# The pages of the commune's consultations, under its back-office navigation.
_render = functools.partial(render_commune, section="consultations")


def _list_crumb(commune) -> tuple[str, str]:
    return _("Consultations"), reverse("democracy:manage_consultations", kwargs={"pk": commune.pk})


def _manage_url(consultation, anchor: str = "") -> str:
    return reverse("democracy:manage_consultation", kwargs={"pk": consultation.pk}) + anchor


def _crumbs(consultation) -> list[tuple[str, str]]:
    return [_list_crumb(consultation.commune), (consultation.title, _manage_url(consultation))]


@commune_permission_required(FOLLOW_DEMOCRACY)
def manage_consultations(request, commune):
    page = Paginator(
        queries.consultations_of_commune(commune=commune).order_by("-opens_on", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return _render(
        request,
        "democracy/manage/consultation_list.html",
        commune=commune,
        title=_("Consultations"),
        page=page,
        can_plan=request.user.has_perm(MANAGE_CONSULTATIONS, commune) and commune.is_current,
    )


@commune_permission_required(MANAGE_CONSULTATIONS)
def consultation_create(request, commune):
    form = forms.ConsultationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the consultation was planned once."))
            return redirect("democracy:manage_consultations", pk=commune.pk)
        try:
            consultation = services.consultation_plan(
                commune=commune, draft=form.cleaned_data["draft"], by=request.user, **form.plan()
            )
        except DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("The plan is recorded. Add the draft's sections, then publish it."))
            return redirect(_manage_url(consultation))
    return _render(
        request,
        "democracy/manage/consultation_form.html",
        commune=commune,
        title=_("Plan a consultation"),
        crumbs=[_list_crumb(commune)],
        form=form,
        cancel_url=reverse("democracy:manage_consultations", kwargs={"pk": commune.pk}),
        status=400 if form.errors else 200,
    )


# --- Back office: one consultation ------------------------------------------------------------------------


def _consultation_page(request, consultation: Consultation, *, failed: tuple = (), status: int = 200):
    """The consultation's page; ``failed`` is (action, comment id or None, bound form), shown with its
    errors in place of the blank form."""
    user = request.user
    can_manage = user.has_perm(MANAGE_CONSULTATIONS, consultation)
    office = queries.consultation_for_office(consultation=consultation)
    state = consultation.status
    actions = {}
    if can_manage and state == ConsultationStatus.DRAFT:
        actions["missing"] = services.opening_missing(consultation, has_sections=bool(office.sections))
    if can_manage and state == ConsultationStatus.OPEN:
        actions["close"] = forms.CloseForm(prefix="close")
    if can_manage and state == ConsultationStatus.CLOSED:
        actions["synthesis_missing"] = services.synthesis_missing(
            pending=len(office.pending), unanswered=office.unanswered
        )
    answerable = can_manage and state in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)
    answer_forms = {}
    if answerable:
        for _section, comments in office.groups:
            for comment in comments:
                initial = {"response": comment.response, "answer": comment.answer}
                answer_forms[comment.pk] = forms.AnswerForm(prefix=f"c{comment.pk}", initial=initial)
    reject_forms = {comment.pk: forms.ModerateForm(prefix=f"m{comment.pk}") for comment in office.pending}
    if failed:
        action, comment_pk, form = failed
        if action == "answer":
            answer_forms[comment_pk] = form
        elif action == "moderate":
            reject_forms[comment_pk] = form
        else:
            actions[action] = form
    groups = [
        (section, [(comment, answer_forms.get(comment.pk)) for comment in comments])
        for section, comments in office.groups
    ]
    return _render(
        request,
        "democracy/manage/consultation_detail.html",
        commune=consultation.commune,
        title=consultation.title,
        crumbs=[_list_crumb(consultation.commune)],
        status=status,
        consultation=consultation,
        can_manage=can_manage,
        # Names and e-mail addresses of residents are for the commune's officers only.
        show_authors=can_manage,
        actions=actions,
        office=office,
        groups=groups,
        pending=[(comment, reject_forms[comment.pk]) for comment in office.pending],
        moderating=can_manage and state in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED),
        typing_in=can_manage and state in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED),
        history=queries.consultation_history(consultation=consultation),
    )


@consultation_permission_required(FOLLOW_DEMOCRACY)
def manage_consultation(request, consultation):
    return _consultation_page(request, consultation)


def _act(request, consultation, action: str, do, done: str, *, form=None, comment_pk=None, anchor: str = ""):
    """Run one step: a valid form (or none) goes to ``do(data)``; its DemocracyError, or the form's own
    errors, show the page again with the sent form and nothing written."""
    if form is not None and not form.is_valid():
        return _consultation_page(request, consultation, failed=(action, comment_pk, form), status=400)
    try:
        do(form.cleaned_data if form is not None else {})
    except DemocracyError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(_manage_url(consultation, anchor))
        show_error(form, error)
        return _consultation_page(request, consultation, failed=(action, comment_pk, form), status=400)
    messages.success(request, done)
    return redirect(_manage_url(consultation, anchor))


@consultation_permission_required(MANAGE_CONSULTATIONS)
def consultation_update(request, consultation):
    if consultation.status != ConsultationStatus.DRAFT:
        messages.error(request, _("The plan and the draft change only while the consultation is being prepared."))
        return redirect(_manage_url(consultation))
    initial = {name: getattr(consultation, name) for name in forms.ConsultationForm.PLAN}
    form = forms.ConsultationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                consultation=consultation, draft=form.cleaned_data["draft"], by=request.user, **form.plan()
            )
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(_manage_url(consultation))
    return _render(
        request,
        "democracy/manage/consultation_form.html",
        commune=consultation.commune,
        title=_("Change the plan"),
        crumbs=_crumbs(consultation),
        form=form,
        consultation=consultation,
        cancel_url=_manage_url(consultation),
        status=400 if form.errors else 200,
    )


@consultation_permission_required(MANAGE_CONSULTATIONS)
def consultation_open(request, consultation):
    if refused := _post_only(request):
        return refused

    def do(data):
        services.consultation_open(consultation=consultation, by=request.user)

    return _act(request, consultation, "open", do, _("The consultation is published: residents can read it."))


@consultation_permission_required(MANAGE_CONSULTATIONS)
def consultation_close(request, consultation):
    if refused := _post_only(request):
        return refused
    form = forms.CloseForm(request.POST, prefix="close")

    def do(data):
        services.consultation_close(consultation=consultation, reason=data["reason"], by=request.user)

    done = _("The consultation is closed. Answer every comment, then publish the synthesis.")
    return _act(request, consultation, "close", do, done, form=form)


@consultation_permission_required(MANAGE_CONSULTATIONS)
def consultation_synthesis(request, consultation):
    if consultation.status != ConsultationStatus.CLOSED:
        messages.error(request, _("The synthesis is published once the consultation is closed, once."))
        return redirect(_manage_url(consultation))
    form = forms.SynthesisForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_synthesise(
                consultation=consultation,
                synthesis=data["synthesis"],
                changes=data["changes"],
                final_document=data["final_document"],
                by=request.user,
            )
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The synthesis is published."))
            return redirect(_manage_url(consultation))
    office = queries.consultation_for_office(consultation=consultation)
    return _render(
        request,
        "democracy/manage/consultation_synthesis.html",
        commune=consultation.commune,
        title=_("Publish the synthesis"),
        crumbs=_crumbs(consultation),
        consultation=consultation,
        form=form,
        missing=services.synthesis_missing(pending=len(office.pending), unanswered=office.unanswered),
        cancel_url=_manage_url(consultation),
        status=400 if form.errors else 200,
    )


# --- Back office: the draft's sections ------------------------------------------------------------------------


def _section_page(request, consultation, form, *, title: str, section=None):
    return _render(
        request,
        "democracy/manage/consultation_section_form.html",
        commune=consultation.commune,
        title=title,
        crumbs=_crumbs(consultation),
        consultation=consultation,
        section_row=section,
        form=form,
        cancel_url=_manage_url(consultation, "#sections"),
        status=400 if form.errors else 200,
    )


@consultation_permission_required(MANAGE_CONSULTATIONS)
def section_create(request, consultation):
    if consultation.status != ConsultationStatus.DRAFT:
        messages.error(request, _("The plan and the draft change only while the consultation is being prepared."))
        return redirect(_manage_url(consultation))
    last = consultation.sections.order_by("-number").values_list("number", flat=True).first() or 0
    form = forms.SectionForm(request.POST or None, initial={"number": last + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not first_submission(request, data["submission"]):
            messages.info(request, _("This form was already sent: the section was added once."))
            return redirect(_manage_url(consultation, "#sections"))
        try:
            services.section_save(
                consultation=consultation,
                number=data["number"],
                heading=data["heading"],
                text=data["text"],
                by=request.user,
            )
        except DemocracyError as error:
            forget_submission(request, data["submission"])
            show_error(form, error)
        else:
            messages.success(request, _("The section is added."))
            return redirect(_manage_url(consultation, "#sections"))
    return _section_page(request, consultation, form, title=_("Add a section of the draft"))


@section_permission_required(MANAGE_CONSULTATIONS)
def section_update(request, section):
    consultation = section.consultation
    if consultation.status != ConsultationStatus.DRAFT:
        messages.error(request, _("The plan and the draft change only while the consultation is being prepared."))
        return redirect(_manage_url(consultation))
    initial = {"number": section.number, "heading": section.heading, "text": section.text}
    form = forms.SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.section_save(
                consultation=consultation,
                section=section,
                number=data["number"],
                heading=data["heading"],
                text=data["text"],
                by=request.user,
            )
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The section is saved."))
            return redirect(_manage_url(consultation, "#sections"))
    return _section_page(request, consultation, form, title=_("Change a section of the draft"), section=section)


@section_permission_required(MANAGE_CONSULTATIONS)
def section_delete(request, section):
    if refused := _post_only(request):
        return refused
    consultation = section.consultation
    try:
        services.section_delete(section=section, by=request.user)
    except DemocracyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The section is deleted."))
    return redirect(_manage_url(consultation, "#sections"))


@consultation_permission_required(MANAGE_CONSULTATIONS)
def sections_paste(request, consultation):
    if consultation.status != ConsultationStatus.DRAFT:
        messages.error(request, _("The plan and the draft change only while the consultation is being prepared."))
        return redirect(_manage_url(consultation))
    form = forms.SectionsPasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sections = services.sections_paste(
                consultation=consultation, text=form.cleaned_data["text"], by=request.user
            )
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The draft is in %(count)d sections.") % {"count": len(sections)})
            return redirect(_manage_url(consultation, "#sections"))
    return _render(
        request,
        "democracy/manage/consultation_sections_paste.html",
        commune=consultation.commune,
        title=_("Paste the draft's text"),
        crumbs=_crumbs(consultation),
        consultation=consultation,
        form=form,
        has_sections=consultation.sections.exists(),
        cancel_url=_manage_url(consultation, "#sections"),
        status=400 if form.errors else 200,
    )


# --- Back office: comments ---------------------------------------------------------------------------------------


@consultation_permission_required(MANAGE_CONSULTATIONS)
def comment_create(request, consultation):
    if consultation.status not in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED):
        messages.error(
            request, _("Comments are typed in once the consultation is open, until its synthesis is published.")
        )
        return redirect(_manage_url(consultation))
    sections = list(consultation.sections.order_by("number"))
    form = forms.OfficerCommentForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not first_submission(request, data["submission"]):
            messages.info(request, _("This form was already sent: the comment was typed in once."))
            return redirect(_manage_url(consultation, "#comments"))
        try:
            services.comment_enter(
                consultation=consultation,
                section=data["section"],
                channel=data["channel"],
                source=data["source"],
                text=data["text"],
                by=request.user,
            )
        except DemocracyError as error:
            forget_submission(request, data["submission"])
            show_error(form, error)
        else:
            messages.success(request, _("The comment is typed in and published."))
            if "another" in request.POST:
                return redirect("democracy:manage_consultation_comment_create", pk=consultation.pk)
            return redirect(_manage_url(consultation, "#comments"))
    return _render(
        request,
        "democracy/manage/consultation_comment_form.html",
        commune=consultation.commune,
        title=_("Type in a comment received"),
        crumbs=_crumbs(consultation),
        consultation=consultation,
        form=form,
        cancel_url=_manage_url(consultation, "#comments"),
        status=400 if form.errors else 200,
    )


@comment_permission_required(MANAGE_CONSULTATIONS)
def comment_moderate(request, comment):
    if refused := _post_only(request):
        return refused
    consultation = comment.consultation
    form = forms.ModerateForm(request.POST, prefix=f"m{comment.pk}")

    def do(data):
        services.comment_moderate(comment=comment, publish=data["publish"], reason=data["reason_text"], by=request.user)

    publishing = request.POST.get(f"m{comment.pk}-publish") == "1"
    done = _("The comment is published.") if publishing else _("The comment is not published; its author sees why.")
    return _act(request, consultation, "moderate", do, done, form=form, comment_pk=comment.pk, anchor="#moderation")


@comment_permission_required(MANAGE_CONSULTATIONS)
def comment_answer(request, comment):
    if refused := _post_only(request):
        return refused
    consultation = comment.consultation
    form = forms.AnswerForm(request.POST, prefix=f"c{comment.pk}")

    def do(data):
        services.comment_answer(comment=comment, response=data["response"], answer=data["answer"], by=request.user)

    return _act(
        request,
        consultation,
        "answer",
        do,
        _("The answer is saved."),
        form=form,
        comment_pk=comment.pk,
        anchor=f"#comment-{comment.pk}",
    )
