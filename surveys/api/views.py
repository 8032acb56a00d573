"""The surveys app's API: a commune's published satisfaction figures, and answering the questionnaire
with the visit code printed on the slip at the counter.

Public, as the pages are. A visit code is looked up under the same limit per address as the web page
(the budget is shared: a guesser gains nothing by switching from the page to the API), and an answer
goes through the page's service, response_by_code, which takes one answer per code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from communes import selectors as commune_selectors
from communes.models import Commune
from core import clock
from core.api.errors import ApiError
from core.api.idempotency import IdempotentMixin
from core.web import client_ip
from surveys.api.serializers import SurveyFiguresOut, VisitOut, VisitResponseIn, VisitResponseOut
from surveys.forms.public import elapsed_seconds, started_token
from surveys.models import CODE_VALID_DAYS, Campaign, VisitCode
from surveys.selectors import Structure, questionnaire_structure, results_panel_for_commune
from surveys.services import SurveyError, response_by_code, visit_code_find
from surveys.services.responses import campaign_accepting, normalise_code
from surveys.views.public import TOO_MANY_LOOKUPS, code_lookup_limited

# A code that can no longer be answered: 410, with a code a program can branch on and the service's
# message for the person holding the slip.
CODE_USED, CODE_EXPIRED, SURVEY_CLOSED = "visit-code-used", "visit-code-expired", "survey-not-open"
GONE = OpenApiResponse(
    response={"$ref": "#/components/schemas/Error"},
    description=(
        f"The code can no longer be answered: `{CODE_USED}` (each code gives one answer), "
        f"`{CODE_EXPIRED}` (codes are valid {CODE_VALID_DAYS} days after the visit) or `{SURVEY_CLOSED}` "
        "(the survey is closed, or does not cover the commune)."
    ),
)


class CommuneSurveyFigures(APIView):
    """The commune page's survey panel: the figures of the commune's latest campaign with published
    figures (verified answers; the open link's counted apart), with n and the 95% Wilson interval. A
    figure below the campaign's minimum of answers gives its n only, as the page does."""

    @extend_schema(responses=SurveyFiguresOut)
    def get(self, request, pk: int):
        try:
            commune = commune_selectors.commune_for_public_page(pk=pk)
        except Commune.DoesNotExist as error:
            raise Http404 from error
        return Response(SurveyFiguresOut(results_panel_for_commune(commune=commune)).data)


# --- Visit codes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    code: str
    commune: Commune
    campaign: Campaign
    visit_day: datetime.date
    valid_until: datetime.date
    structure: Structure
    started: str


def _normalised(code: str) -> str:
    normalised = normalise_code(code)
    if not normalised:
        raise Http404
    return normalised


def _limit_lookups(request) -> None:
    # Every look-up counts, posts too, against the web page's budget for the address.
    if code_lookup_limited(request):
        raise ApiError("rate-limited", TOO_MANY_LOOKUPS, status_code=status.HTTP_429_TOO_MANY_REQUESTS)


def _answerable(code: str) -> VisitCode:
    """The visit code, if its questionnaire can be answered today; the page's two checks, each refusal
    as an error with its own code."""
    try:
        visit_code = visit_code_find(code)
    except SurveyError as error:
        found = VisitCode.objects.filter(code=code).only("used_on").first()
        if found is None:
            raise ApiError("not-found", error, status_code=status.HTTP_404_NOT_FOUND) from error
        reason = CODE_USED if found.used_on else CODE_EXPIRED
        raise ApiError(reason, error, status_code=status.HTTP_410_GONE) from error
    batch = visit_code.batch
    try:
        campaign_accepting(batch.campaign, batch.commune, clock.today())
    except SurveyError as error:
        raise ApiError(SURVEY_CLOSED, error, status_code=status.HTTP_410_GONE) from error
    return visit_code


class VisitDetail(APIView):
    """The questionnaire a visit code opens (as the web survey page and the kiosk ask it: questions,
    choices, conditions, screens), with the commune and day of the visit."""

    @extend_schema(responses={200: VisitOut, 410: GONE})
    def get(self, request, code: str):
        code = _normalised(code)
        _limit_lookups(request)
        visit_code = _answerable(code)
        batch = visit_code.batch
        questionnaire = batch.campaign.questionnaire
        visit = Visit(
            code=visit_code.code,
            commune=batch.commune,
            campaign=batch.campaign,
            visit_day=batch.issued_on,
            valid_until=batch.issued_on + datetime.timedelta(days=CODE_VALID_DAYS),
            structure=questionnaire_structure(questionnaire),
            started=started_token(),
        )
        return Response(VisitOut(visit, context={"questionnaire": questionnaire}).data)


class VisitResponseCreate(IdempotentMixin, APIView):
    """Answer the questionnaire of a visit code, once: the answers by question code, as the web form
    posts them and the kiosk sends them, checked by the same service. A second answer to the same code
    is refused (410 `visit-code-used`); sent again with the same Idempotency-Key, the first answer's
    reply comes back."""

    parser_classes = [JSONParser]

    @extend_schema(request=VisitResponseIn, responses={201: VisitResponseOut, 410: GONE})
    def post(self, request, code: str):
        code = _normalised(code)
        _limit_lookups(request)
        visit_code = _answerable(code)
        data = VisitResponseIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            response = response_by_code(
                code=code,
                raw=data.validated_data["answers"],
                language=get_language() or settings.LANGUAGE_CODE,
                client_ip=client_ip(request),
                elapsed_seconds=elapsed_seconds(data.validated_data.get("started")),
            )
        except SurveyError:
            _answerable(code)  # used meanwhile (two sends racing): said as the look-up says it
            raise
        body = {"received": True, "commune": visit_code.batch.commune, "submitted_on": response.submitted_on}
        return Response(VisitResponseOut(body).data, status=status.HTTP_201_CREATED)
