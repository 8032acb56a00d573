"""Taking a response through any of the three channels, exactly once.

Every channel ends in ``_store``: the answers are checked against the questionnaire version, the factor
scores and quality signals computed, and the row inserted inside a savepoint so that the database's
unique constraints, not the pages, decide whether it is a duplicate.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune
from core import clock
from core.counters import keyed_hash, window_count
from surveys.models import (
    CODE_VALID_DAYS,
    COMMENT_MAX,
    NOT_APPLICABLE,
    Campaign,
    Channel,
    Flag,
    Kiosk,
    Question,
    Response,
    VisitCode,
    score_field,
)
from surveys.selectors import campaign_commune_ids, questionnaire_structure
from surveys.services.common import AlreadyReceived, Conflict, SurveyError

FAST_SECONDS = 20  # survey-draft.yaml: "reject responses completed in under 20 seconds" (we flag them)
STRAIGHT_MIN_ITEMS = 5
BURST_WINDOW_SECONDS = 10 * 60
BURST_LIMIT = 8  # more than this many answers from one kiosk or address within 10 minutes
OFFLINE_DAYS = 7  # a kiosk may send answers it kept this many days


@dataclass(frozen=True)
class Source:
    """Where a response came from, for burst detection only; never stored."""

    kind: str  # "kiosk" or "address"
    value: str


# --- Reading the answers -------------------------------------------------------------------------


def _as_int(value, question: Question, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as error:
        message = _("“%(question)s”: please choose one of the answers.") % {"question": question.text}
        raise SurveyError(message) from error
    if not low <= number <= high:
        raise SurveyError(_("“%(question)s”: the answer is out of range.") % {"question": question.text})
    return number


def answers_clean(questionnaire, raw: dict) -> tuple[dict, str]:
    """The answers a respondent gave, checked item by item: (answers by question code, comment).

    ``raw`` maps question codes to strings or lists (a form) or to numbers (a kiosk's JSON). Items the
    questionnaire hides (their condition is not met) and unknown codes are dropped."""
    structure = questionnaire_structure(questionnaire)
    answers: dict = {}
    comment = ""
    for question in structure.questions:
        value = raw.get(question.code)
        if isinstance(value, list) and question.kind != Question.Kind.MULTIPLE:
            value = value[0] if value else None
        if value in (None, "", []):
            continue
        if question.kind == Question.Kind.SCALE:
            number = _as_int(value, question, 0 if question.allows_na else 1, 5)
            answers[question.code] = number
        elif question.kind == Question.Kind.NUMBER:
            answers[question.code] = _as_int(value, question, 0, 99)
        elif question.kind == Question.Kind.SINGLE:
            allowed = {str(option["value"]) for option in question.options}
            if str(value) not in allowed:
                raise SurveyError(_("“%(question)s”: please choose one of the answers.") % {"question": question.text})
            answers[question.code] = str(value)
        elif question.kind == Question.Kind.MULTIPLE:
            chosen = [str(item) for item in (value if isinstance(value, list) else [value])]
            allowed = {str(option["value"]) for option in question.options}
            if not set(chosen) <= allowed:
                raise SurveyError(_("“%(question)s”: please choose one of the answers.") % {"question": question.text})
            if question.max_choices and len(set(chosen)) > question.max_choices:
                raise SurveyError(
                    _("“%(question)s”: choose at most %(count)d.")
                    % {"question": question.text, "count": question.max_choices}
                )
            answers[question.code] = sorted(set(chosen))
        else:  # free text: the comment, kept apart from the answers (only DoHA reads it unredacted)
            text = str(value).strip()
            if len(text) > COMMENT_MAX:
                raise SurveyError(_("The comment is too long (at most %(limit)d characters).") % {"limit": COMMENT_MAX})
            comment = text
    # Drop what a condition hides: e.g. the feedback items when the respondent gave no feedback.
    for question in structure.questions:
        if not question.shown_given(answers):
            answers.pop(question.code, None)
    for question in structure.questions:
        if question.required and question.shown_given(answers) and question.code not in answers:
            raise SurveyError(_("Please answer “%(question)s”.") % {"question": question.text})
    if not any(answers.get(question.code, NOT_APPLICABLE) for question in structure.scale_questions):
        raise SurveyError(_("Please answer at least one question before sending."))
    return answers, comment


def scores_of(questionnaire, answers: dict) -> dict[str, int | None]:
    """Each factor's score in hundredths: its headline item's answer, or the mean of its answered items."""
    structure = questionnaire_structure(questionnaire)
    scores = {}
    for factor in structure.factors:
        items = structure.items_by_factor.get(factor.slot, [])
        headline = next((item for item in items if item.headline), None)
        values = [answers.get(item.code) for item in ([headline] if headline else items)]
        values = [value for value in values if isinstance(value, int) and value != NOT_APPLICABLE]
        scores[score_field(factor.slot)] = round(100 * sum(values) / len(values)) if values else None
    return scores


def content_hash(answers: dict, comment: str) -> str:
    canonical = json.dumps({"answers": answers, "comment": comment}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def answer_flags(questionnaire, answers: dict, elapsed_seconds: float | None) -> list[str]:
    structure = questionnaire_structure(questionnaire)
    values = [answers[q.code] for q in structure.scale_questions if answers.get(q.code, NOT_APPLICABLE)]
    flags = []
    if len(values) >= STRAIGHT_MIN_ITEMS and len(set(values)) == 1:
        flags.append(Flag.STRAIGHT)
    if elapsed_seconds is not None and 0 <= elapsed_seconds < FAST_SECONDS:
        flags.append(Flag.FAST)
    return flags


# --- Campaign and commune checks -----------------------------------------------------------------


def campaign_accepting(campaign: Campaign, commune: Commune, day: datetime.date) -> None:
    if campaign.status != Campaign.Status.OPEN or not campaign.starts_on <= day <= campaign.ends_on:
        raise SurveyError(_("This survey is not open at the moment. Thank you all the same."))
    if commune.pk not in campaign_commune_ids(campaign):
        raise SurveyError(_("This survey does not cover %(commune)s.") % {"commune": commune})


def campaign_current(commune: Commune, day: datetime.date | None = None) -> Campaign | None:
    """The open campaign that covers the commune today (the latest started, if several)."""
    day = day or clock.today()
    return (
        Campaign.objects.filter(status=Campaign.Status.OPEN, communes=commune, starts_on__lte=day, ends_on__gte=day)
        .select_related("questionnaire")
        .order_by("-starts_on", "-pk")
        .first()
    )


# --- Storing -------------------------------------------------------------------------------------


def _store(
    *,
    campaign: Campaign,
    commune: Commune,
    channel: str,
    raw: dict,
    day: datetime.date,
    language: str,
    source: Source | None,
    elapsed_seconds: float | None,
    **unique_key,
) -> Response:
    answers, comment = answers_clean(campaign.questionnaire, raw)
    response = Response(
        campaign=campaign,
        commune=commune,
        channel=channel,
        submitted_on=day,
        language=(language or "vi")[:8],
        answers=answers,
        comment=comment,
        content_hash=content_hash(answers, comment),
        flags=",".join(answer_flags(campaign.questionnaire, answers, elapsed_seconds)),
        **scores_of(campaign.questionnaire, answers),
        **unique_key,
    )
    base, count = _burst_count(source) if source else ("", 0)
    if count > BURST_LIMIT:
        response.flags = ",".join(filter(None, [response.flags, Flag.BURST.value]))
        response.burst = keyed_hash("burst-group", base, 16)
    if connection.in_atomic_block:
        with transaction.atomic():  # a savepoint: an IntegrityError leaves the caller's transaction usable
            response.save()
    else:
        response.save()  # one INSERT is atomic by itself; BEGIN and COMMIT would be two more round trips
    if 0 < count <= BURST_LIMIT:
        cache.set(f"{base}:{count}", response.pk, timeout=BURST_WINDOW_SECONDS * 2)
    elif count == BURST_LIMIT + 1:  # the burst starts now: flag the answers of the window before it too
        earlier = cache.get_many([f"{base}:{n}" for n in range(1, count)]).values()
        _burst_flag(list(earlier), response.burst)
    return response


def _burst_count(source: Source) -> tuple[str, int]:
    """Count one more response from the source in its 10-minute window (in the cache, never stored):
    past BURST_LIMIT the response is flagged, and so are the ones of the window before it. Only the
    flagged ones keep a (keyed, timeless) link to each other."""
    window = int(timezone.now().timestamp()) // BURST_WINDOW_SECONDS
    base = "surveys:burst:" + keyed_hash("burst", f"{source.kind}:{source.value}:{window}")
    return base, window_count(base, BURST_WINDOW_SECONDS * 2)


def _burst_flag(ids: list[int], group: str) -> None:
    burst = Flag.BURST.value
    Response.objects.filter(pk__in=ids).exclude(flags__contains=burst).update(
        flags=Case(When(flags="", then=Value(burst)), default=Concat(F("flags"), Value("," + burst))), burst=group
    )


def normalise_code(text: str) -> str:
    return "".join(character for character in (text or "").upper() if character.isalnum())


def visit_code_find(text: str) -> VisitCode:
    """The code a citizen typed or scanned, if it can still be answered."""
    code = (
        VisitCode.objects.filter(code=normalise_code(text))
        .select_related("batch__commune", "batch__campaign__questionnaire")
        .first()
    )
    today = clock.today()
    if code is None:
        raise SurveyError(_("We do not know this code. Please check it against your slip."))
    if code.used_on:
        raise SurveyError(_("This code has already been used: each code gives one answer. Thank you!"))
    if today > code.batch.issued_on + datetime.timedelta(days=CODE_VALID_DAYS):
        raise SurveyError(
            _("This code has expired: codes can be used for %(days)d days after the visit.") % {"days": CODE_VALID_DAYS}
        )
    return code


def response_by_code(
    *, code: str, raw: dict, language: str = "vi", client_ip: str | None = None, elapsed_seconds: float | None = None
) -> Response:
    """One code, one response: the code row is locked and marked used in the same transaction, and the
    response's one-to-one link to it is the database's guarantee."""
    today = clock.today()
    with transaction.atomic():
        found = visit_code_find(code)
        visit_code = VisitCode.objects.select_for_update().get(pk=found.pk)
        if visit_code.used_on:
            raise SurveyError(_("This code has already been used: each code gives one answer. Thank you!"))
        batch = found.batch
        campaign_accepting(batch.campaign, batch.commune, today)
        try:
            response = _store(
                campaign=batch.campaign,
                commune=batch.commune,
                channel=Channel.CODE,
                raw=raw,
                day=today,
                language=language,
                source=Source("address", client_ip) if client_ip else None,
                elapsed_seconds=elapsed_seconds,
                visit_code=visit_code,
            )
        except IntegrityError as error:
            raise SurveyError(_("This code has already been used: each code gives one answer. Thank you!")) from error
        VisitCode.objects.filter(pk=visit_code.pk).update(used_on=today)
    return response


def response_by_kiosk(
    *,
    kiosk: Kiosk,
    campaign: Campaign,
    client_id,
    raw: dict,
    answered_on=None,
    language: str = "vi",
    elapsed_seconds: float | None = None,
) -> Response:
    """An answer made on a tablet, with the id the tablet gave it. A resend of the same answer raises
    AlreadyReceived (the caller answers as a success); the same id with other answers raises Conflict."""
    try:
        client_id = uuid.UUID(str(client_id))
    except ValueError as error:
        raise SurveyError(_("The tablet sent an answer without a valid id.")) from error
    if not kiosk.active:
        raise SurveyError(_("This kiosk has been retired; ask an officer to register the tablet again."))
    day = _answered_on(answered_on, clock.today())
    # Insert first: a resend is rare, so the unique index, not a SELECT before every answer, finds it.
    try:
        # The day it was answered counts: an answer kept offline on the campaign's last day still goes
        # in the next morning, unless DoHA has closed the campaign since.
        campaign_accepting(campaign, kiosk.commune, day)
        return _store(
            campaign=campaign,
            commune=kiosk.commune,
            channel=Channel.KIOSK,
            raw=raw,
            day=day,
            language=language,
            source=Source("kiosk", str(kiosk.pk)),
            elapsed_seconds=elapsed_seconds,
            kiosk=kiosk,
            client_id=client_id,
        )
    except IntegrityError:
        pass  # this id is stored already: compare below
    except SurveyError:
        if not Response.objects.filter(client_id=client_id).exists():
            raise  # a new answer that cannot be taken; a resend after closing is still "received"
    existing = (
        Response.objects.select_related("campaign__questionnaire")
        .only("kiosk_id", "content_hash", "campaign__questionnaire")
        .get(client_id=client_id)
    )
    answers, comment = answers_clean(existing.campaign.questionnaire, raw)
    if existing.kiosk_id == kiosk.pk and existing.content_hash == content_hash(answers, comment):
        raise AlreadyReceived(_("This answer had already been received."))
    raise Conflict(_("Another answer with this id was already received; this one was not stored."))


def _answered_on(value, today: datetime.date) -> datetime.date:
    """The day the tablet says the answer was made, if it is believable; otherwise today."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return today
    return day if today - datetime.timedelta(days=OFFLINE_DAYS) <= day <= today else today


def device_key(cookie_value: str) -> str:
    return keyed_hash("device", cookie_value)


def response_by_link(
    *,
    campaign: Campaign,
    commune: Commune,
    device_cookie: str,
    raw: dict,
    language: str = "vi",
    client_ip: str | None = None,
    elapsed_seconds: float | None = None,
) -> Response:
    """One response per device per campaign (the device is a random cookie, stored only as a keyed
    hash); lower assurance, counted apart."""
    if not device_cookie:
        raise SurveyError(_("Please allow cookies for this site to answer the survey."))
    today = clock.today()
    campaign_accepting(campaign, commune, today)
    try:
        return _store(
            campaign=campaign,
            commune=commune,
            channel=Channel.LINK,
            raw=raw,
            day=today,
            language=language,
            source=Source("address", client_ip) if client_ip else None,
            elapsed_seconds=elapsed_seconds,
            device=device_key(device_cookie),
        )
    except IntegrityError as error:
        raise SurveyError(_("You have already answered this survey from this device. Thank you!")) from error


def link_answered(campaign: Campaign, device_cookie: str) -> bool:
    return bool(device_cookie) and Response.objects.filter(campaign=campaign, device=device_key(device_cookie)).exists()
