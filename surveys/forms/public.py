"""What the citizens' survey pages read from a request: a visit code, the posted answers, the time spent.

The questionnaire is not a Django form: its items are data, and the rules that check an answer live in
``surveys.services.responses.answers_clean``, which the kiosk's JSON goes through too. A page keeps what
was posted exactly as typed, so a refused answer comes back with nothing lost.
"""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from surveys.models import COMMENT_MAX, Question

CODE_INPUT_MAX = 20
ANSWER_INPUT_MAX = 100  # a choice value or a number; only the comment is longer
STARTED_FIELD = "started"
STARTED_SALT = "surveys.questionnaire.started"
STARTED_MAX_AGE = 24 * 60 * 60  # a form left open longer than a day gives no timing, not an error


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Visit code"),
        max_length=CODE_INPUT_MAX,
        help_text=_(
            "The 8 letters and digits on the slip the officer gave you, for example ABCD-2345. "
            "Capitals, dashes and spaces do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )


def answers_posted(structure, data) -> dict:
    """The answers of a posted questionnaire by question code: a list for several choices, otherwise a
    string; empty answers left out. Unknown names are ignored, so nothing else in the form leaks in."""
    raw: dict = {}
    for question in structure.questions:
        if question.kind == Question.Kind.MULTIPLE:
            values = [value.strip()[:ANSWER_INPUT_MAX] for value in data.getlist(question.code) if value.strip()]
            if values:
                raw[question.code] = values
            continue
        limit = COMMENT_MAX + 100 if question.kind == Question.Kind.TEXT else ANSWER_INPUT_MAX
        # A comment keeps its line breaks; the service trims it and refuses one that is too long.
        value = (data.get(question.code) or "")[: limit + 1]
        if value.strip():
            raw[question.code] = value if question.kind == Question.Kind.TEXT else value.strip()
    return raw


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=STARTED_SALT)


def started_token() -> str:
    """A signed mark of when the questionnaire was shown, posted back as a hidden field."""
    return _signer().sign(str(int(time.time())))


def elapsed_seconds(token: str | None) -> float | None:
    """Seconds since the questionnaire was shown, if the posted mark is ours; 0 if it is missing or not
    ours (a client that drops or forges the mark is treated as the fastest, so it is flagged); None if the
    form was left open longer than a day.

    Only a quality signal (answers made in under 20 seconds are flagged), so no mark ever refuses an
    answer."""
    if not token:
        return 0.0
    try:
        shown_at = int(_signer().unsign(token, max_age=STARTED_MAX_AGE))
    except signing.SignatureExpired:
        return None
    except (signing.BadSignature, ValueError):
        return 0.0
    return max(0.0, time.time() - shown_at)
