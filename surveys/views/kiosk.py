"""The tablet at a commune's counter: one full-screen page that asks the questionnaire again and again,
and the endpoint its answers are posted to.

The page is opened by one of the commune's officers; the answers are not sent with the officer's
session but with the kiosk's own token, so that answers kept on the tablet while the network was down
still go in after the session has ended. Each answer carries an id made on the tablet: a resend is
answered as already received, the same id with other answers as a conflict (see response_by_kiosk).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core.json_input import JsonBodyError, json_body
from core.permissions import object_permission_required
from surveys.models import Campaign, Kiosk, Question
from surveys.rules import MANAGE_KIOSKS
from surveys.selectors import (
    campaign_for_submission,
    kiosk_for_submission,
    questionnaire_screens,
    questionnaire_structure,
)
from surveys.services import AlreadyReceived, Conflict, SurveyError, campaign_current, response_by_kiosk

# A full answer is about 2 KB (the comment at most 2,000 characters); anything far larger is not ours.
BODY_MAX = 64 * 1024
# {answers: {question: [choices]}}: three levels; a little room for what a newer kiosk may send.
BODY_DEPTH = 8
TOKEN_HEADER = "X-Kiosk-Token"  # noqa: S105 (a header name, not a secret)

BAD_TOKEN = _("This tablet is not registered for this kiosk. Ask an officer to open the kiosk page again.")
RETIRED = _("This kiosk has been retired; ask an officer to register the tablet again.")
UNREADABLE = _("The tablet sent an answer the portal could not read.")
UNKNOWN_CAMPAIGN = _("This survey is not open at the moment. Thank you all the same.")
TOO_LARGE = _("The answer is too large.")

STEP = _("Step %(step)s of %(total)s")
REQUIRED = _("Please answer this question before going on.")
AT_LEAST_ONE = _("Please answer at least one question before sending.")


def load_kiosk(pk: int, **kwargs) -> tuple[Kiosk, dict]:
    kiosk = get_object_or_404(Kiosk.objects.select_related("commune__province"), pk=pk)
    return kiosk, {"kiosk": kiosk, **kwargs}


# --- The page -------------------------------------------------------------------------------------


def _question_payload(question: Question, factor_names: dict[int, str]) -> dict:
    return {
        "code": question.code,
        "kind": question.kind,
        "scale": question.scale,
        "text": question.text,
        "choices": [{"value": value, "label": label} for value, label in question.choices()],
        # The condition as data: static/js/kiosk.js applies Condition.met to it, and knows no question.
        "shown_if": question.condition.as_data() if question.condition else None,
        "max_choices": question.max_choices,
        "required": question.required,
        "factor": factor_names.get(question.factor_id, ""),
        "hint": (
            ngettext("Choose at most %(count)d.", "Choose at most %(count)d.", question.max_choices)
            % {"count": question.max_choices}
            if question.max_choices
            else ""
        ),
    }


def _questionnaire_payload(campaign: Campaign) -> dict:
    """What the tablet needs to ask the campaign's questionnaire, in the active language."""
    structure = questionnaire_structure(campaign.questionnaire)
    factor_names = {factor.pk: factor.name for factor in structure.factors}
    return {
        "campaign": campaign.pk,
        "questions": [_question_payload(question, factor_names) for question in structure.questions],
        "screens": [screen.as_data() for screen in questionnaire_screens(structure)],
    }


def _messages() -> dict:
    # The text the script puts together with numbers; the rest of the page's text is in the template.
    return {
        "waiting_one": ngettext("%(count)s answer waiting to be sent", "%(count)s answers waiting to be sent", 1),
        "waiting_other": ngettext("%(count)s answer waiting to be sent", "%(count)s answers waiting to be sent", 2),
        "step": str(STEP),
        "required": str(REQUIRED),
        "at_least_one": str(AT_LEAST_ONE),
    }


@object_permission_required(MANAGE_KIOSKS, load_kiosk)
@require_safe
@never_cache  # the page holds the kiosk's token
def kiosk(request, kiosk: Kiosk):
    if not kiosk.active:
        return render(request, "surveys/kiosk/retired.html", {"kiosk": kiosk, "commune": kiosk.commune})
    campaign = campaign_current(kiosk.commune)
    context = {
        "kiosk": kiosk,
        "commune": kiosk.commune,
        "campaign": campaign,
        "questionnaire": campaign.questionnaire if campaign else None,
        "kiosk_data": _questionnaire_payload(campaign) if campaign else None,
        "kiosk_messages": _messages(),
    }
    return render(request, "surveys/kiosk/kiosk.html", context)


# --- The answers ----------------------------------------------------------------------------------


def _reply(status: str, http_status: int, message=None) -> JsonResponse:
    body = {"status": status}
    if message is not None:
        body["message"] = str(message)
    return JsonResponse(body, status=http_status)


def _language(value) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return value if value in codes else settings.LANGUAGE_CODE


def _elapsed(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


# The tablet authenticates with the kiosk's token in a header, never with a cookie, so no other site
# can make a browser send an answer on its behalf: CSRF protection has nothing to protect here, and
# it would refuse the queued answers once the officer's session (and its CSRF cookie) has gone.
@csrf_exempt
@require_POST
def submit(request, pk: int):
    kiosk = kiosk_for_submission(pk)
    if kiosk is None:
        raise Http404
    if not constant_time_compare(request.headers.get(TOKEN_HEADER, ""), kiosk.token):
        return _reply("forbidden", 403, BAD_TOKEN)
    if not kiosk.active:
        return _reply("retired", 403, RETIRED)
    try:
        data = json_body(request, max_bytes=BODY_MAX, max_depth=BODY_DEPTH)
    except JsonBodyError as error:
        if error.status == 413:
            return _reply("too-large", 413, TOO_LARGE)
        return _reply("invalid", 400, UNREADABLE)
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return _reply("invalid", 400, UNREADABLE)
    campaign_id = data.get("campaign")
    campaign = (
        campaign_for_submission(campaign_id)
        if isinstance(campaign_id, int) and not isinstance(campaign_id, bool)
        else None
    )
    if campaign is None:
        return _reply("invalid", 400, UNKNOWN_CAMPAIGN)
    try:
        response_by_kiosk(
            kiosk=kiosk,
            campaign=campaign,
            client_id=data.get("client_id"),
            raw=data["answers"],
            answered_on=data.get("answered_on"),
            language=_language(data.get("language") or get_language()),
            elapsed_seconds=_elapsed(data.get("elapsed")),
        )
    except AlreadyReceived:
        return _reply("already-received", 200)
    except Conflict as error:
        return _reply("conflict", 409, error)
    except SurveyError as error:
        return _reply("invalid", 400, error)
    return _reply("stored", 201)
