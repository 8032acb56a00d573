"""The matters back office (Law 10/2022/QH15, art. 15–21): proposing, opening the deciding, each
village's meeting or ballots, counting, co-signing, sending, and the commune's recognition.

Every step is a POST to its own route, checked on its own object (the matter, or one village's
decision), done by democracy.services.matters; a refusal (DemocracyError) or a wrong input shows the
matter's page again with the message on the form that was sent, and nothing changes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from communes.rules import MANAGE_COMMUNE
from core.permissions import commune_permission_required
from core.qr import qr_svg
from core.submissions import first_submission, forget_submission
from core.web import absolute_url
from democracy.forms import matters as forms
from democracy.models import DecisionStatus, Form, MatterStatus
from democracy.rules import COSIGN_DECISION, FOLLOW_MATTER, PROPOSE_MATTER, RECOGNISE_MATTER, RUN_DECISION
from democracy.selectors import matters as queries
from democracy.services import matters as services
from democracy.services import thresholds
from democracy.views.common import (
    decision_permission_required,
    matter_permission_required,
    show_error,
    village_permission_required,
)

MATTERS_PAGE_SIZE = 30
BALLOT_QR_SCALE = 3


# --- Lists and proposals ------------------------------------------------------------------------------


@commune_permission_required(PROPOSE_MATTER)
def manage_matters(request, commune):
    page = Paginator(queries.matters_of_commune(commune=commune), MATTERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "democracy/manage/matter_list.html",
        {
            "commune": commune,
            "section": "democracy",
            "page_title": _("Matters residents decide"),
            "crumbs": [],
            "can_manage": request.user.has_perm(MANAGE_COMMUNE, commune),
            "page": page,
            "rows": queries.matter_rows(page.object_list),
        },
    )


def _matter_create(request, commune, village):
    form = forms.MatterForm(request.POST or None, request.FILES or None, commune=commune, village=village)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the matter was proposed once."))
            if village is not None:
                return redirect("democracy:manage_village", pk=village.pk)
            return redirect("democracy:manage_matters", pk=commune.pk)
        names = ("title", "summary", "category", "form", "proposer", "secret", "document")
        names += ("initiative_households", "initiative_collected_on", "front_endorsed")
        try:
            matter = services.matter_propose(
                commune=commune,
                village=village if village is not None else data["village"],
                by=request.user,
                **{name: data[name] for name in names},
            )
        except services.DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is proposed.") % {"title": matter.title})
            return redirect("democracy:manage_matter", pk=matter.pk)
    context = {"form": form, "commune": commune, "page_title": _("Propose a matter residents decide")}
    if village is not None:
        context |= {"village": village, "section": "matters", "crumbs": []}
    else:
        context |= {
            "section": "democracy",
            "can_manage": request.user.has_perm(MANAGE_COMMUNE, commune),
            "crumbs": [(_("Matters residents decide"), reverse("democracy:manage_matters", kwargs={"pk": commune.pk}))],
        }
    return render(request, "democracy/manage/matter_form.html", context)


@commune_permission_required(PROPOSE_MATTER)
def commune_matter_create(request, commune):
    return _matter_create(request, commune, None)


@village_permission_required(PROPOSE_MATTER)
def village_matter_create(request, village):
    return _matter_create(request, village.commune, village)


# --- The matter's page --------------------------------------------------------------------------------


def _matter_page(request, matter, decisions=None, *, failed: tuple = (), status: int = 200):
    """The matter, one panel per village decision, the history. ``failed``: (action, decision id or None,
    bound form) shown instead of the blank form, with its errors."""
    decisions = queries.decisions_of_matter(matter=matter) if decisions is None else decisions
    user = request.user
    frozen = matter.is_frozen
    panels = []
    for decision in decisions:
        can_run, can_cosign = user.has_perm(RUN_DECISION, decision), user.has_perm(COSIGN_DECISION, decision)
        actions = forms.decision_actions(decision, can_run=can_run, can_cosign=can_cosign, frozen=frozen)
        if failed and failed[1] == decision.pk:
            actions[failed[0]] = failed[2]
        households = decision.households_total or decision.village.households
        panels.append(
            {
                "decision": decision,
                "actions": actions,
                "rule": thresholds.rule_for(matter.category, households) if households else None,
                "overdue": queries.send_overdue(decision),
            }
        )
    matter_actions = {}
    if not frozen and matter.status == MatterStatus.DRAFT and user.has_perm(RUN_DECISION, matter):
        matter_actions["open"] = forms.OpenForm(prefix="open")
    if matter.status == MatterStatus.DECIDED and user.has_perm(RECOGNISE_MATTER, matter):
        matter_actions["recognise"] = forms.RecogniseForm(prefix="recognise")
        matter_actions["refuse"] = forms.RefuseForm(prefix="refuse")
    if failed and failed[1] is None:
        matter_actions[failed[0]] = failed[2]
    context = {
        "matter": matter,
        "panels": panels,
        "matter_actions": matter_actions,
        "commune_rule": thresholds.commune_rule(len(decisions)) if matter.is_commune_wide and decisions else None,
        "history": [
            (entry, queries.REASONS.get(entry.reason, entry.reason)) for entry in queries.matter_history(matter=matter)
        ],
        "page_title": matter.title,
        "commune": matter.commune,
    }
    village = matter.village
    if village is None and not user.has_perm(PROPOSE_MATTER, matter.commune):
        # A village's head or Front on a commune-wide matter: their own village's navigation.
        village = next(
            (d.village for d in decisions if user.has_perm(RUN_DECISION, d) or user.has_perm(COSIGN_DECISION, d)),
            None,
        )
    if village is not None:
        context |= {"village": village, "section": "matters", "crumbs": []}
    else:
        context |= {
            "section": "democracy",
            "can_manage": user.has_perm(MANAGE_COMMUNE, matter.commune),
            "crumbs": [
                (_("Matters residents decide"), reverse("democracy:manage_matters", kwargs={"pk": matter.commune_id}))
            ],
        }
    return render(request, "democracy/manage/matter_detail.html", context, status=status)


@matter_permission_required(FOLLOW_MATTER)
def manage_matter(request, matter):
    return _matter_page(request, matter)


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _act(request, matter, action: str, decision, form, do, done: str):
    """Run one step: a valid form goes to ``do(data)``; its DemocracyError, or the form's own errors,
    show the matter's page again with the sent form and nothing written."""
    if form is not None and not form.is_valid():
        return _matter_page(request, matter, failed=(action, decision.pk if decision else None, form), status=400)
    try:
        result = do(form.cleaned_data if form is not None else {})
    except services.DemocracyError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect("democracy:manage_matter", pk=matter.pk)
        show_error(form, error)
        return _matter_page(request, matter, failed=(action, decision.pk if decision else None, form), status=400)
    messages.success(request, done(result) if callable(done) else done)
    return redirect("democracy:manage_matter", pk=matter.pk)


# --- The matter's steps -------------------------------------------------------------------------------


@matter_permission_required(RUN_DECISION)
def matter_open(request, matter):
    if refused := _post_only(request):
        return refused
    form = forms.OpenForm(request.POST, prefix="open")

    def do(data):
        services.matter_open(
            matter=matter, starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"], by=request.user
        )

    return _act(request, matter, "open", None, form, do, _("The deciding is open."))


@matter_permission_required(RECOGNISE_MATTER)
def matter_recognise(request, matter):
    if refused := _post_only(request):
        return refused
    form = forms.RecogniseForm(request.POST, prefix="recognise")

    def do(data):
        services.matter_recognise(matter=matter, number=data["number"], on=data["on"], by=request.user)

    return _act(request, matter, "recognise", None, form, do, _("The result is recognised."))


@matter_permission_required(RECOGNISE_MATTER)
def matter_refuse(request, matter):
    if refused := _post_only(request):
        return refused
    form = forms.RefuseForm(request.POST, prefix="refuse")

    def do(data):
        services.matter_refuse(matter=matter, reason=data["reason"], on=data["on"], by=request.user)

    return _act(request, matter, "refuse", None, form, do, _("The refusal is recorded."))


# --- A village's steps --------------------------------------------------------------------------------


@decision_permission_required(RUN_DECISION)
def meeting_record(request, decision):
    if refused := _post_only(request):
        return refused
    form = forms.MeetingForm(request.POST, request.FILES, prefix=f"d{decision.pk}-record")

    def do(data):
        return services.meeting_record(
            decision=decision,
            present=data["present"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstain=data["votes_abstain"],
            minutes=data["minutes"],
            by=request.user,
        )

    def done(recorded):
        if recorded.quorum_met:
            return _("The meeting is recorded.")
        return _(
            "Half of the households or fewer were represented: the meeting decided nothing. Call it again or"
            " issue household ballots (art. 19(1))."
        )

    return _act(request, decision.matter, "record", decision, form, do, done)


@decision_permission_required(RUN_DECISION)
def meeting_reschedule(request, decision):
    if refused := _post_only(request):
        return refused
    form = forms.RescheduleForm(request.POST, prefix=f"d{decision.pk}-reschedule")

    def do(data):
        services.meeting_reschedule(
            decision=decision, starts_at=data["starts_at"], place=data["place"], by=request.user
        )

    return _act(request, decision.matter, "reschedule", decision, form, do, _("The meeting is called again."))


@decision_permission_required(RUN_DECISION)
def switch_to_ballots(request, decision):
    if refused := _post_only(request):
        return refused
    form = forms.SwitchForm(request.POST, prefix=f"d{decision.pk}-switch")

    def do(data):
        services.decision_switch_to_ballots(decision=decision, ends_at=data["ends_at"], by=request.user)

    done = _("Ballots are issued, one per household: print them.")
    return _act(request, decision.matter, "switch", decision, form, do, done)


@decision_permission_required(RUN_DECISION)
def ballots_print(request, decision):
    """One ballot per household, two to an A4 page: the question, three boxes, the code and its QR.
    The paper goes to the household, so its number and head's name are printed; no page shows them."""
    ballots = list(queries.ballots_to_print(decision=decision))
    if not ballots:
        messages.error(request, _("This village has no ballots: it decides at a meeting."))
        return redirect("democracy:manage_matter", pk=decision.matter_id)
    with translation.override(settings.LANGUAGE_CODE):  # the ballot's links open in Vietnamese
        lookup_url = absolute_url(reverse("democracy:ballot_lookup"))
        sheets = []
        for ballot in ballots:
            url = absolute_url(reverse("democracy:ballot", kwargs={"code": ballot.code}))
            # segno's own markup of our own address: nothing a user typed goes into it.
            qr = mark_safe(qr_svg(url, scale=BALLOT_QR_SCALE))  # noqa: S308
            sheets.append({"ballot": ballot, "url": url, "qr": qr})
    return render(
        request,
        "democracy/manage/ballots_print.html",
        {"decision": decision, "matter": decision.matter, "sheets": sheets, "lookup_url": lookup_url},
    )


@decision_permission_required(RUN_DECISION)
def ballot_enter(request, decision):
    """Paper ballots typed in one by one: the page shows how many came back, never how they voted."""
    matter = decision.matter
    form = forms.BallotEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ballot = services.ballot_by_code(form.cleaned_data["code"])
        if ballot is None or ballot.decision_id != decision.pk:
            form.add_error("code", _("No ballot of this village has this code. Check it on the paper."))
        else:
            try:
                services.ballot_enter(ballot=ballot, choice=form.cleaned_data["choice"], by=request.user)
            except services.DemocracyError as error:
                show_error(form, error, "code")
            else:
                messages.success(request, _("Ballot %(code)s is entered.") % {"code": ballot})
                return redirect("democracy:manage_ballot_enter", pk=decision.pk)
    returned, issued = queries.ballots_returned(decision=decision)
    return render(
        request,
        "democracy/manage/matter_ballot_enter.html",
        {
            "decision": decision,
            "matter": matter,
            "village": decision.village,
            "commune": decision.village.commune,
            "section": "matters",
            "page_title": _("Enter paper ballots"),
            "crumbs": [(matter.title, reverse("democracy:manage_matter", kwargs={"pk": matter.pk}))],
            "form": form,
            "returned": returned,
            "issued": issued,
            "closed": decision.status != DecisionStatus.OPEN or decision.form == Form.MEETING,
        },
        status=400 if form.errors else 200,
    )


@decision_permission_required(RUN_DECISION)
def decision_count(request, decision):
    if refused := _post_only(request):
        return refused

    def do(_data):
        services.decision_count(decision=decision, by=request.user)

    return _act(request, decision.matter, "count", decision, None, do, _("The ballots are counted."))


@decision_permission_required(COSIGN_DECISION)
def decision_cosign(request, decision):
    if refused := _post_only(request):
        return refused

    def do(_data):
        services.decision_cosign(decision=decision, by=request.user)

    return _act(request, decision.matter, "cosign", decision, None, do, _("The result is co-signed."))


@decision_permission_required(RUN_DECISION)
def decision_send(request, decision):
    if refused := _post_only(request):
        return refused
    form = forms.SendForm(request.POST, request.FILES, prefix=f"d{decision.pk}-send")

    def do(data):
        services.decision_send(decision=decision, minutes=data["minutes"], by=request.user)

    return _act(request, decision.matter, "send", decision, form, do, _("The result is sent to the commune."))
