"""What residents know (dân biết): the commune's and the village's matters, results once counted,
conventions in force; voting online; following a village by e-mail.

No page here shows a household's name, a ballot's choice or a running count: the selectors hand the
templates rows without them (democracy.selectors.public).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communes import selectors as commune_selectors
from communes.models import Commune, Village
from core.codes import normalise
from core.counters import rate_limit_exceeded
from core.files import pdf_response
from core.web import client_ip
from democracy.forms.public import BallotLookupForm, ChoiceForm, SubscribeForm
from democracy.models import Convention, ConventionVersion, Decision, DecisionStatus, Form, Matter
from democracy.selectors import public as selectors
from democracy.selectors.boards import boards_for_commune
from democracy.selectors.conferences import conferences_for_commune
from democracy.selectors.consultations import consultations_for_commune
from democracy.selectors.execution import execution_for_public_page
from democracy.services import matters as services
from democracy.services import subscriptions
from democracy.views.common import show_error

# Light enough for a person, slow for guessing: ballot codes have 32^8 values.
LOOKUPS_PER_MINUTE = 30
SUBSCRIBE_PER_HOUR = 20
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _filename(title: str) -> str:
    return (_UNSAFE_FILENAME.sub(" ", title).strip()[:150] or "document") + ".pdf"


def _commune_or_404(pk: int) -> Commune:
    try:
        return commune_selectors.commune_for_public_page(pk=pk)
    except Commune.DoesNotExist as error:
        raise Http404 from error


def _village_or_404(pk: int) -> Village:
    try:
        return selectors.village_for_public_page(pk=pk)
    except Village.DoesNotExist as error:
        raise Http404 from error


def _matter_or_404(pk: int) -> Matter:
    try:
        return selectors.matter_for_public_page(pk=pk)
    except Matter.DoesNotExist as error:
        raise Http404 from error


def _ended(commune: Commune):
    """Today's units that took an ended commune over; None while it serves (no query then)."""
    return None if commune.is_current else commune_selectors.unit_ended(commune).units_today


# --- A commune, a village ---------------------------------------------------------------------------


@require_safe
def commune_democracy(request, pk: int):
    commune = _commune_or_404(pk)
    return render(
        request,
        "democracy/public/commune_democracy.html",
        {
            "commune": commune,
            "ended": _ended(commune),
            "villages": selectors.villages_for_commune(commune=commune),
            "matters": selectors.matters_for_commune(commune=commune),
            "calendar": selectors.calendar_for_commune(commune=commune),
            "conventions": selectors.conventions_in_force(commune=commune),
            "consultations": consultations_for_commune(commune=commune),
            "conferences": conferences_for_commune(commune=commune),
            "boards": boards_for_commune(commune=commune),
        },
    )


@require_safe
def commune_calendar_ics(request, pk: int):
    commune = _commune_or_404(pk)
    body = selectors.calendar_ics_for_commune(commune=commune)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="democracy-{commune.code}.ics"'
    return response


def _village_page(request, village: Village, form: SubscribeForm | None = None, status: int = 200):
    return render(
        request,
        "democracy/public/village_detail.html",
        {
            "village": village,
            "commune": village.commune,
            "matters": selectors.matters_for_village(village=village),
            "conventions": selectors.conventions_in_force(village=village),
            "form": form if form is not None else SubscribeForm(),
        },
        status=status,
    )


@require_safe
def village_detail(request, pk: int):
    return _village_page(request, _village_or_404(pk))


# --- Following a village ----------------------------------------------------------------------------


@require_POST
def village_subscribe(request, pk: int):
    village = _village_or_404(pk)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _village_page(request, village, form, status=400)
    if not form.is_robot():
        if rate_limit_exceeded(
            scope="democracy-subscribe", client_ip=client_ip(request), limit=SUBSCRIBE_PER_HOUR, seconds=3600
        ):
            form.add_error(None, _("Too many requests came from your connection. Please try again in an hour."))
            return _village_page(request, village, form, status=429)
        try:
            subscriptions.subscription_request(
                village=village, email=form.cleaned_data["email"], language=get_language()
            )
        except subscriptions.SubscriptionError as error:
            form.add_error(None, error.message)
            return _village_page(request, village, form, status=400)
    # The same answer whether the address was new, waiting or already following.
    return render(
        request,
        "democracy/public/subscription_sent.html",
        {"village": village, "commune": village.commune, "valid_days": subscriptions.CONFIRM_VALID_DAYS},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subscription_confirm(request, token: str):
    """GET shows a button, POST confirms: a mail scanner that opens links does not confirm for the owner."""
    subscription = subscriptions.subscription_for_token(token=token)
    context = {"token": token, "village": subscription.village if subscription else None, "error": None}
    if request.method == "POST":
        try:
            subscription = subscriptions.subscription_confirm(token=token)
        except subscriptions.SubscriptionError as error:
            context["error"] = error.message
        else:
            messages.success(request, _("Thank you: you now follow %(village)s.") % {"village": subscription.village})
            return redirect(subscription.village.get_absolute_url())
    elif subscription is None:
        context["error"] = _(
            "This link has expired or is not valid. Ask again on the village's page to receive a new one."
        )
    response = render(
        request, "democracy/public/subscription_confirm.html", context, status=404 if context["error"] else 200
    )
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # the link's token is the secret; mail programs post to it themselves (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def subscription_cancel(request, token: str):
    done = request.method == "POST"
    village = subscriptions.subscription_cancel(token=token) if done else None
    if not done:
        subscription = subscriptions.subscription_for_token(token=token)
        village = subscription.village if subscription else None
    response = render(
        request,
        "democracy/public/subscription_cancel.html",
        {"token": token, "village": village, "done": done, "unknown": village is None and not done},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- A matter ---------------------------------------------------------------------------------------


@require_safe
def matter_detail(request, pk: int):
    matter = _matter_or_404(pk)
    return render(
        request,
        "democracy/public/matter_detail.html",
        {
            "matter": matter,
            "commune": matter.commune,
            "rows": matter.rows,
            "commune_rule": selectors.commune_result(matter),
            "votes_online": any(row.form != Form.MEETING and row.status == DecisionStatus.OPEN for row in matter.rows),
            "execution": execution_for_public_page(matter=matter),
        },
    )


@require_safe
def matter_document(request, pk: int):
    matter = _matter_or_404(pk)
    try:
        handle = matter.document.open("rb")
    except (FileNotFoundError, ValueError) as error:  # ValueError: no file attached
        raise Http404 from error
    return pdf_response(handle, filename=_filename(matter.title))


@require_safe
def decision_minutes(request, pk: int):
    try:
        decision = selectors.minutes_of(pk=pk)
        handle = decision.minutes.open("rb")
    except (Decision.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=_filename(f"{decision.matter.title} - {decision.village}"))


# --- Voting online ------------------------------------------------------------------------------------


def _vote_state(decision: Decision | None) -> str:
    if decision is None:
        return "none"
    if decision.form == Form.MEETING:
        return "meeting"
    now = timezone.now()
    if decision.status != DecisionStatus.OPEN or (decision.ends_at and now >= decision.ends_at):
        return "closed"
    if now < decision.starts_at:
        return "not_yet"
    return "open"


@require_http_methods(["GET", "HEAD", "POST"])
def matter_vote(request, pk: int):
    matter = _matter_or_404(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    household = selectors.household_represented_by(user=request.user)
    decision = selectors.decision_for_household(matter=matter, household=household) if household else None
    context = {"matter": matter, "commune": matter.commune, "household": household, "decision": decision}
    if decision is None:
        # Not (yet) a verified representative, or of a household of another village.
        return render(request, "democracy/public/vote_not_representative.html", context, status=403)
    form = ChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_online(decision=decision, user=request.user, choice=form.cleaned_data["choice"])
        except services.DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your household's vote has been recorded. Thank you."))
            return redirect("democracy:matter_vote", pk=matter.pk)
    ballot = decision.ballots.filter(household=household).first()
    context |= {
        "form": form,
        "ballot": ballot,
        "state": _vote_state(decision),
        "row": selectors.decision_row(decision, matter.category),
    }
    return render(request, "democracy/public/matter_vote.html", context, status=400 if form.errors else 200)


def _lookup_allowed(request) -> bool:
    return not rate_limit_exceeded(
        scope="democracy-ballot", client_ip=client_ip(request), limit=LOOKUPS_PER_MINUTE, seconds=60
    )


TOO_MANY_LOOKUPS = gettext_lazy(
    "Too many codes were looked up from your connection. Please wait a minute and try again."
)
NOT_FOUND = gettext_lazy("No ballot has this code. Check the code printed on your household's ballot.")


@require_safe
def ballot_lookup(request):
    if "code" not in request.GET:
        return render(request, "democracy/public/ballot_lookup.html", {"form": BallotLookupForm()})
    form = BallotLookupForm(request.GET)
    status = 200
    if form.is_valid():
        code = normalise(form.cleaned_data["code"])
        if not _lookup_allowed(request):
            form.add_error(None, TOO_MANY_LOOKUPS)
            status = 429
        elif code and services.ballot_by_code(code) is not None:
            return redirect("democracy:ballot", code=code)
        else:
            form.add_error("code", NOT_FOUND)
            status = 404
    return render(request, "democracy/public/ballot_lookup.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def ballot(request, code: str):
    normalised = normalise(code)
    if normalised != code:
        if not normalised:
            raise Http404
        return redirect("democracy:ballot", code=normalised)
    if not _lookup_allowed(request):
        form = BallotLookupForm({"code": code})
        form.is_valid()
        form.add_error(None, TOO_MANY_LOOKUPS)
        return render(request, "democracy/public/ballot_lookup.html", {"form": form}, status=429)
    found = services.ballot_by_code(code)
    if found is None:
        form = BallotLookupForm({"code": code})
        form.is_valid()
        form.add_error(None, NOT_FOUND)
        return render(request, "democracy/public/ballot_lookup.html", {"form": form}, status=404)
    decision = found.decision
    form = ChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_answer_online(ballot=found, choice=form.cleaned_data["choice"])
        except services.DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your household's ballot has been recorded. Thank you."))
            return redirect("democracy:ballot", code=code)
        found.refresh_from_db(fields=["cast_on"])
    response = render(
        request,
        "democracy/public/ballot.html",
        {
            "matter": decision.matter,
            "village": decision.village,
            "returned_on": found.cast_on,  # never the household, never the choice
            "state": _vote_state(decision),
            "row": selectors.decision_row(decision, decision.matter.category),
            "form": form,
            "code": code,
            "code_display": f"{code[:4]}-{code[4:]}",
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Conventions ------------------------------------------------------------------------------------


@require_safe
def convention_detail(request, pk: int):
    try:
        convention, in_force, others = selectors.convention_for_public_page(pk=pk)
    except Convention.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "democracy/public/convention_detail.html",
        {
            "convention": convention,
            "village": convention.village,
            "commune": convention.village.commune,
            "in_force": in_force,
            "others": others,
        },
    )


@require_safe
def convention_document(request, pk: int):
    try:
        version = selectors.version_for_download(pk=pk)
        handle = version.document.open("rb")
    except (ConventionVersion.DoesNotExist, FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return pdf_response(handle, filename=_filename(f"{version.convention.title} ({version.number})"))
