"""Forms of consultations (art. 25–29), for the officers and for residents. They parse and type the
input only: the law's rules (the 20 days, what opening needs, who comments when) are the services'."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.uploads import PdfUploadField
from democracy.forms.matters import date_input
from democracy.models.consultations import (
    CommentResponse,
    ConsultationChannel,
    ModerationReason,
    Section,
    Topic,
)
from democracy.services.consultations import MAX_COMMENT_LENGTH

OTHER_REASON = "other"
WHOLE_DRAFT = ""


def submission_field() -> forms.CharField:
    """The double-submit token (core.submissions): a form displayed once creates its record once."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex)


class ConsultationForm(forms.Form):
    """The plan of art. 28 and the draft (PDF)."""

    topic = forms.TypedChoiceField(label=capfirst(_("kind of content (art. 25)")), choices=Topic.choices, coerce=int)
    title = forms.CharField(label=capfirst(_("title")), max_length=255)
    summary = forms.CharField(
        label=capfirst(_("what residents are consulted on")), widget=forms.Textarea(attrs={"rows": 5})
    )
    channels = forms.MultipleChoiceField(
        label=capfirst(_("forms of consultation (art. 26)")),
        choices=ConsultationChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Residents comment on this portal only if “the commune's portal” is among them."),
        error_messages={"required": _("Choose at least one form of consultation (art. 26).")},
    )
    opens_on = forms.DateField(label=capfirst(_("opens on")), widget=date_input())
    closes_on = forms.DateField(
        label=capfirst(_("closes on")),
        widget=date_input(),
        help_text=_("The last day residents comment: at least 20 days after it opens (art. 28)."),
    )
    organiser = forms.CharField(
        label=capfirst(_("organised by")),
        max_length=255,
        help_text=_("For example: the commune People's Committee, with the commune Fatherland Front committee."),
    )
    sent_to_council_on = forms.DateField(
        label=capfirst(_("plan sent to the commune People's Council on")), required=False, widget=date_input()
    )
    sent_to_front_on = forms.DateField(
        label=capfirst(_("plan sent to the commune Front committee on")), required=False, widget=date_input()
    )
    draft = PdfUploadField(
        label=capfirst(_("draft (PDF)")),
        required=False,
        help_text=_("The draft residents comment on. Empty on a change: the draft already attached is kept."),
    )
    submission = submission_field()

    PLAN = (
        "topic",
        "title",
        "summary",
        "channels",
        "opens_on",
        "closes_on",
        "organiser",
        "sent_to_council_on",
        "sent_to_front_on",
    )

    def plan(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PLAN}


class SectionForm(forms.Form):
    number = forms.IntegerField(label=capfirst(_("number")), min_value=1, max_value=9999)
    heading = forms.CharField(label=capfirst(_("heading")), max_length=255)
    text = forms.CharField(label=capfirst(_("text")), widget=forms.Textarea(attrs={"rows": 8}))
    submission = submission_field()


class SectionsPasteForm(forms.Form):
    text = forms.CharField(
        label=_("The draft's text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Each article starts on its own line with “Điều 1.”, “Điều 2.”…: each becomes one section. The title,"
            " the preamble and chapter headings are left out. The sections typed before are replaced."
        ),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it closes before the planned date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only before the planned last day; residents read it on the consultation's page."),
    )


class SynthesisForm(forms.Form):
    synthesis = forms.CharField(
        label=capfirst(_("synthesis of the comments")), widget=forms.Textarea(attrs={"rows": 8})
    )
    changes = forms.CharField(
        label=capfirst(_("changes made to the final text")),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was changed in the text after the comments, or that nothing was."),
    )
    final_document = PdfUploadField(label=capfirst(_("final text (PDF)")), required=False)


def _section_choices(sections) -> list[tuple[str, str]]:
    return [(WHOLE_DRAFT, _("The draft as a whole")), *((str(s.pk), str(s)) for s in sections)]


class _SectionChoiceMixin:
    """A ``section`` field offering the draft as a whole and each of its sections."""

    def _set_sections(self, sections) -> None:
        self._sections = {str(section.pk): section for section in sections}
        self.fields["section"].choices = _section_choices(sections)

    def clean_section(self) -> Section | None:
        value = self.cleaned_data.get("section") or WHOLE_DRAFT
        return self._sections.get(value)


class CommentForm(_SectionChoiceMixin, forms.Form):
    """A resident's comment, signed in, on the public page."""

    section = forms.ChoiceField(label=_("On"), required=False)
    text = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "It is published after a check, without your name. Do not write anyone's personal data (name,"
            " phone, address): such a comment is not published."
        ),
    )
    submission = submission_field()

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_sections(sections)


class OfficerCommentForm(_SectionChoiceMixin, forms.Form):
    """A comment received through another channel of art. 26, typed in by an officer."""

    channel = forms.ChoiceField(
        label=capfirst(_("received through")),
        choices=[(value, label) for value, label in ConsultationChannel.choices if value != ConsultationChannel.PORTAL],
    )
    source = forms.CharField(
        label=capfirst(_("source")),
        max_length=255,
        help_text=_("For example: “Ban công tác Mặt trận thôn Vân Cốc 1”, “hòm thư góp ý ngày 12/5”."),
    )
    section = forms.ChoiceField(label=_("On"), required=False)
    text = forms.CharField(
        label=capfirst(_("comment")),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published at once, with its channel and source: leave out any personal data."),
    )
    submission = submission_field()

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_sections(sections)


class ModerateForm(forms.Form):
    """Publish a resident's comment, or not with the reason its author will read."""

    publish = forms.TypedChoiceField(
        choices=[("1", _("publish")), ("0", _("do not publish"))], coerce=lambda value: value == "1"
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=[("", "—"), *ModerationReason.choices, (OTHER_REASON, _("another reason"))],
    )
    note = forms.CharField(label=_("Other reason"), required=False, max_length=255)

    def clean(self):
        data = super().clean()
        reason = data.get("reason") or ""
        data["reason_text"] = ""
        if data.get("publish") is False:
            if not reason:
                self.add_error("reason", _("Say why the comment is not published."))
            elif reason == OTHER_REASON:
                if not (data.get("note") or "").strip():
                    self.add_error("note", _("Say why the comment is not published."))
                data["reason_text"] = (data.get("note") or "").strip()
            else:
                data["reason_text"] = reason
        return data


class AnswerForm(forms.Form):
    response = forms.ChoiceField(label=capfirst(_("answer")), choices=CommentResponse.choices, widget=forms.RadioSelect)
    answer = forms.CharField(
        label=capfirst(_("how it was taken in or why not")), widget=forms.Textarea(attrs={"rows": 4})
    )
