"""The citizens' survey pages: the open link of a commune (QR poster, commune page), a visit code typed
or scanned, and the thank-you page.

No login. Nothing here ties an answer to a person: the open link's device is a random cookie the
service stores only as a keyed hash, a visit code is bound to a commune and a day, and neither is
logged or put in a page title. What the services refuse comes back with every answer kept.

Where scripts run, the questionnaire goes one screen at a time and the browser keeps the answers not
yet sent (static/js/survey-screens.js) under the page's ``draft_key``: a keyed hash of its address, so
the visit code is not written in the browser's storage in clear.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from communes import selectors as commune_selectors
from communes.models import Commune
from core import clock, pagecache
from core.counters import rate_limit_exceeded
from core.web import client_ip
from surveys.forms.public import CODE_INPUT_MAX, STARTED_FIELD, CodeForm, answers_posted, elapsed_seconds, started_token
from surveys.models import CODE_VALID_DAYS
from surveys.selectors import questionnaire_structure
from surveys.services import (
    SurveyError,
    campaign_current,
    link_answered,
    response_by_code,
    response_by_link,
    visit_code_find,
)
from surveys.services.responses import campaign_accepting, normalise_code

DEVICE_COOKIE = "survey_device"
DEVICE_COOKIE_DAYS = 400  # the longest a browser keeps a cookie; a campaign lasts months
DEVICE_COOKIE_SALT = "surveys.open_link.device"
# Open-link answers from one address: a family or an office behind one address stays well below this.
LINK_ANSWERS = 20
LINK_ANSWERS_SECONDS = 60 * 60
# Code lookups from one address (typing a code, opening or posting a code's page): light enough for a
# person, slow for guessing among 32⁸ codes.
CODE_LOOKUPS = 30
CODE_LOOKUPS_SECONDS = 10 * 60

TOO_MANY_ANSWERS = _("Too many answers were sent from your connection. Please wait an hour and try again.")
TOO_MANY_LOOKUPS = _("Too many codes were tried from your connection. Please wait ten minutes and try again.")
ALREADY_ANSWERED = _("You have already answered this survey from this device. Thank you!")
DRAFT_SALT = "surveys.public.draft"
# A draft kept in the browser is forgotten after this many days: a visit code is valid as long.
DRAFT_DAYS = CODE_VALID_DAYS


# --- Helpers ----------------------------------------------------------------------------------------


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _commune_or_404(pk: int) -> Commune:
    try:
        return commune_selectors.commune_for_public_page(pk=pk)
    except Commune.DoesNotExist as error:
        raise Http404 from error


def _moved_context(commune: Commune) -> dict:
    """A unit that has ended has no counter to rate: its page leads to the units of today that took it
    over, one tap each (from the QR poster still on a wall, or an old link)."""
    gone = commune_selectors.unit_ended(commune)
    return {"commune": commune, "name_then": gone.name_then, "ended_on": gone.ended_on, "successors": gone.units_today}


def _thanks_url(commune: Commune) -> str:
    return f"{reverse('surveys:thanks')}?{urlencode({'commune': commune.pk})}"


def _draft_key(url_name: str, **kwargs) -> str:
    """Where the browser keeps the answers to a page not yet sent: a keyed hash of the page's address in
    the default language (a change of language keeps them), which never gives the visit code back."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(url_name, kwargs=kwargs)
    return salted_hmac(DRAFT_SALT, path, algorithm="sha256").hexdigest()[:32]


def _questionnaire_context(context: dict, *, raw: dict | None = None, error: str = "", started: str) -> dict:
    questionnaire = context["campaign"].questionnaire
    return {
        **context,
        "questionnaire": questionnaire,
        "structure": questionnaire_structure(questionnaire),
        "answers": raw or {},
        "error": str(error),
        "started": started,
        "started_field": STARTED_FIELD,
        "draft_days": DRAFT_DAYS,
    }


def _questionnaire_page(request, context: dict, *, raw: dict | None = None, error: str = "", status: int = 200):
    """The questionnaire of ``context['campaign']``, with the answers so far and the refusal, if any."""
    started = request.POST.get(STARTED_FIELD) or started_token()
    context = _questionnaire_context(context, raw=raw, error=error, started=started)
    return render(request, "surveys/public/survey_form.html", context, status=status)


# Where a cached blank questionnaire carries its start time; each answer gets a fresh signed one.
STARTED_PLACEHOLDER = "started-placeholder-8e2b51c07d"


def _open_link_page(request, pk: int):
    """The open link's empty questionnaire (or the page saying no survey is open), the same for every
    visitor but its start time: from the page cache while the commune and its campaigns are unchanged."""

    def build():
        commune = _commune_or_404(pk)
        if not commune.is_current:
            return pagecache.Page(_moved_context(commune), template="surveys/public/survey_moved.html")
        campaign = campaign_current(commune)
        if campaign is None:
            return pagecache.Page({"commune": commune}, template="surveys/public/survey_closed.html")
        return _questionnaire_context(_link_context(commune, campaign), started=STARTED_PLACEHOLDER)

    return pagecache.cached_page(
        request,
        "surveys/public/survey_form.html",
        build,
        scopes=["site"],
        fills={STARTED_PLACEHOLDER: started_token},
        finish=_with_device_cookie,  # every answer gives a browser without one its device id
    )


def _device(request) -> str:
    """The device id this portal gave the browser, or "" if it has none or sent one the portal did not
    sign: a client choosing its own ids could answer once per made-up id."""
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_COOKIE_SALT) or ""


def _with_device_cookie(request, response):
    """Give the browser a fresh random device id, signed, if it has no valid one: the open link takes one
    answer per device."""
    if not _device(request):
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            salt=DEVICE_COOKIE_SALT,
            max_age=DEVICE_COOKIE_DAYS * 24 * 60 * 60,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def code_lookup_limited(request) -> bool:
    """One more visit code tried from the request's address; True once past the limit (the code page
    and the API count together, so a guesser gains nothing by switching)."""
    return rate_limit_exceeded(
        scope="survey-code", client_ip=client_ip(request), limit=CODE_LOOKUPS, seconds=CODE_LOOKUPS_SECONDS
    )


def _code_page(request, *, code: str = "", error: str = "", status: int = 200):
    """The page to type a code, saying why the given one (if any) cannot be answered."""
    if not code:
        context = {"form": CodeForm(), "error": str(error)}
    else:
        form = CodeForm({"code": code[:CODE_INPUT_MAX]})
        form.is_valid()
        form.add_error("code", str(error))
        context = {"form": form}
    return render(request, "surveys/public/code_entry.html", context, status=status)


# --- The open link --------------------------------------------------------------------------------


def _link_context(commune: Commune, campaign) -> dict:
    return {
        "commune": commune,
        "campaign": campaign,
        "action": reverse("surveys:commune_survey", kwargs={"pk": commune.pk}),
        "draft_key": _draft_key("surveys:commune_survey", pk=commune.pk),
        "open_link": True,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def commune_survey(request, pk: int):
    device = _device(request)
    if request.method != "POST" and not device:
        # A first visit: nothing was answered from this browser, so the page is everyone's, from the cache.
        return _open_link_page(request, pk)
    commune = _commune_or_404(pk)
    if not commune.is_current:
        return render(request, "surveys/public/survey_moved.html", _moved_context(commune))
    campaign = campaign_current(commune)
    if campaign is None:
        return render(request, "surveys/public/survey_closed.html", {"commune": commune})
    context = _link_context(commune, campaign)
    if link_answered(campaign, device):
        return render(request, "surveys/public/survey_answered.html", {**context, "message": ALREADY_ANSWERED})
    if request.method != "POST":
        return _open_link_page(request, pk)

    raw = answers_posted(questionnaire_structure(campaign.questionnaire), request.POST)
    address = client_ip(request)
    if rate_limit_exceeded(scope="survey-link", client_ip=address, limit=LINK_ANSWERS, seconds=LINK_ANSWERS_SECONDS):
        response = _questionnaire_page(request, context, raw=raw, error=TOO_MANY_ANSWERS, status=429)
        return _with_device_cookie(request, response)
    try:
        response_by_link(
            campaign=campaign,
            commune=commune,
            device_cookie=device,
            raw=raw,
            language=_language(),
            client_ip=address,
            elapsed_seconds=elapsed_seconds(request.POST.get(STARTED_FIELD)),
        )
    except SurveyError as error:
        if link_answered(campaign, device):  # a double click: the first one went in
            return render(request, "surveys/public/survey_answered.html", {**context, "message": ALREADY_ANSWERED})
        return _with_device_cookie(request, _questionnaire_page(request, context, raw=raw, error=error))
    return redirect(_thanks_url(commune))


# --- Visit codes ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def code_entry(request):
    if request.method != "POST":
        return render(request, "surveys/public/code_entry.html", {"form": CodeForm()})
    form = CodeForm(request.POST)
    status = 200
    if form.is_valid():
        if code_lookup_limited(request):
            form.add_error(None, TOO_MANY_LOOKUPS)
            status = 429
        else:
            try:
                visit_code = visit_code_find(form.cleaned_data["code"])
            except SurveyError as error:
                form.add_error("code", str(error))
            else:
                return redirect("surveys:code_survey", code=visit_code.code)
    return render(request, "surveys/public/code_entry.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def code_survey(request, code: str):
    normalised = normalise_code(code)
    if not normalised:
        raise Http404
    if normalised != code:  # 'abcd-2345' as printed or typed: one address per code
        return redirect("surveys:code_survey", code=normalised)
    # Every look-up counts, posts too: a post to an unknown code would tell a guesser as much as a visit.
    if code_lookup_limited(request):
        return _code_page(request, error=TOO_MANY_LOOKUPS, status=429)
    try:
        visit_code = visit_code_find(code)
        batch = visit_code.batch
        campaign_accepting(batch.campaign, batch.commune, clock.today())
    except SurveyError as error:
        # Unknown, used (also a second click on "send"), expired or out of campaign: nothing to answer.
        return _code_page(request, code=code, error=error)
    context = {
        "commune": batch.commune,
        "campaign": batch.campaign,
        "visit_day": batch.issued_on,
        "action": reverse("surveys:code_survey", kwargs={"code": code}),
        "draft_key": _draft_key("surveys:code_survey", code=code),
    }
    if request.method != "POST":
        return _questionnaire_page(request, context)

    raw = answers_posted(questionnaire_structure(batch.campaign.questionnaire), request.POST)
    try:
        response_by_code(
            code=code,
            raw=raw,
            language=_language(),
            client_ip=client_ip(request),
            elapsed_seconds=elapsed_seconds(request.POST.get(STARTED_FIELD)),
        )
    except SurveyError as error:
        try:
            visit_code_find(code)
        except SurveyError as refused:  # used meanwhile (two clicks racing): the first answer stands
            return _code_page(request, code=code, error=refused)
        return _questionnaire_page(request, context, raw=raw, error=error)
    return redirect(_thanks_url(batch.commune))


# --- Thanks -----------------------------------------------------------------------------------------


@require_safe
def thanks(request):
    commune = None
    pk = request.GET.get("commune", "")
    if pk.isdigit():
        try:
            commune = commune_selectors.commune_for_public_page(pk=int(pk))
        except Commune.DoesNotExist:
            commune = None
    return render(request, "surveys/public/thanks.html", {"commune": commune})
