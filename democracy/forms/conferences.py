"""Forms of dialogue conferences (art. 32). They parse and type the input only: which step the
conference's state allows, and what each outcome needs, are democracy.services.conferences' to check."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.uploads import PdfUploadField
from democracy.forms.matters import date_input, datetime_field
from democracy.models import Outcome
from democracy.services.conferences import OUTCOMES_RECORDED, QUESTION_MAX_LENGTH


def _submission() -> forms.CharField:
    """The displayed form's token (core.submissions): sent twice, it creates once."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex)


def _text(
    label, *, rows: int = 4, required: bool = True, max_length: int | None = None, help_text=""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ConferenceForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=255)
    agenda = _text(
        capfirst(_("topics")),
        required=False,
        help_text=_("The work of the People's Committee and the residents' rights and duties to be discussed."),
    )
    starts_at = datetime_field(capfirst(_("starts at")))
    place = forms.CharField(label=capfirst(_("place")), max_length=255)
    questions_until = datetime_field(
        capfirst(_("questions received until")),
        help_text=_("Residents send their questions in advance, until this time (before the start)."),
    )
    submission = _submission()


class CancelForm(forms.Form):
    reason = _text(capfirst(_("why it is cancelled")), rows=2, max_length=255, help_text=_("Shown on the public page."))


class QuestionForm(forms.Form):
    """A resident's question on the public page."""

    text = _text(
        _("Your question"),
        rows=5,
        max_length=QUESTION_MAX_LENGTH,
        help_text=_(
            "It is published without your name once the officers have read it. Questions on one person's case"
            " are better sent as feedback."
        ),
    )
    submission = _submission()


class QuestionEntryForm(forms.Form):
    """A question received on paper, typed in by an officer."""

    text = _text(capfirst(_("question")), max_length=QUESTION_MAX_LENGTH)
    submission = _submission()


class ModerateForm(forms.Form):
    PUBLISH, REJECT = "publish", "reject"

    decision = forms.ChoiceField(
        label=_("Moderation"),
        choices=[(PUBLISH, _("Put it on the conference's list")), (REJECT, _("Do not publish it"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=capfirst(_("reason it is not published")),
        max_length=255,
        required=False,
        help_text=_("Needed when it is not published."),
    )


class HeldForm(forms.Form):
    held_on = forms.DateField(label=capfirst(_("held on")), widget=date_input())
    attendance = forms.IntegerField(
        label=capfirst(_("residents attending")), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    minutes = PdfUploadField(label=capfirst(_("minutes (PDF)")), help_text=_("Signed by the chair and the secretary."))
    summary = _text(capfirst(_("summary of the conference")), rows=5, help_text=_("Published with the answers."))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=capfirst(_("outcome")),
        choices=[(value, label) for value, label in Outcome.choices if value in OUTCOMES_RECORDED],
        widget=forms.RadioSelect,
    )
    answer = _text(
        capfirst(_("answer")),
        required=False,
        help_text=_("The answer given at the conference; for a forwarded question, what residents should know."),
    )
    answer_due_on = forms.DateField(
        label=capfirst(_("written answer due on")),
        required=False,
        widget=date_input(),
        help_text=_("To be answered in writing only: a day after the conference."),
    )
    forwarded_to = forms.CharField(
        label=capfirst(_("forwarded to")),
        max_length=255,
        required=False,
        help_text=_("Outside the commune's competence only: the body that has it."),
    )


class WrittenAnswerForm(forms.Form):
    answered_on = forms.DateField(label=capfirst(_("answered on")), widget=date_input())
    answer = _text(capfirst(_("answer")))
