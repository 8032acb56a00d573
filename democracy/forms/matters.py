"""Forms of the matters back office. They parse and type the input only: the law's rules (which form a
kind of matter may take, who proposes, the initiative's support) are the services' to check."""

from __future__ import annotations

import json
import uuid

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Village
from core.uploads import PdfUploadField
from democracy.models import Category, Choice, DecisionStatus, Form, Proposer
from democracy.services import thresholds

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_field(label, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    """A local date and time (the browser's picker), read in the portal's time zone, Vietnam's."""
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def count_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


def forms_by_category() -> str:
    """For democracy-manage.js: the forms the law allows for each kind of matter (art. 17(2))."""
    return json.dumps({str(category): list(thresholds.forms_allowed(category)) for category in Category.values})


class MatterForm(forms.Form):
    """A matter proposed on a village's page (no ``village`` field) or on the commune's."""

    village = forms.ModelChoiceField(
        label=capfirst(_("village")),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("The whole commune, village by village"),
        help_text=_("Only contributions and community funds (items 1–2 of art. 15) are decided commune-wide."),
    )
    title = forms.CharField(label=capfirst(_("title")), max_length=255)
    summary = forms.CharField(label=capfirst(_("what residents decide")), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.TypedChoiceField(
        label=capfirst(_("kind of matter (art. 15)")), choices=Category.choices, coerce=int
    )
    form = forms.ChoiceField(
        label=capfirst(_("how residents decide")),
        choices=Form.choices,
        help_text=_(
            "Items 3–5 are decided at a community meeting; an online vote only for other self-managed work"
            " (art. 17(2))."
        ),
    )
    proposer = forms.ChoiceField(label=capfirst(_("proposed by")), choices=Proposer.choices)
    initiative_households = forms.IntegerField(
        label=capfirst(_("households supporting the initiative")),
        min_value=1,
        required=False,
        help_text=_("Residents' initiative only: at least a tenth of the households, or the Front's endorsement."),
    )
    initiative_collected_on = forms.DateField(
        label=capfirst(_("support collected on")),
        required=False,
        widget=date_input(),
        help_text=_("Households' support is valid for 3 months (art. 16(3))."),
    )
    front_endorsed = forms.BooleanField(
        label=capfirst(_("endorsed by the village Front work committee")),
        required=False,
        help_text=_("An initiative that fewer than one household in ten supports may still go ahead (art. 16(3))."),
    )
    secret = forms.BooleanField(
        label=capfirst(_("secret vote")),
        required=False,
        initial=True,
        help_text=_("Ballots and online votes do not record how a household voted."),
    )
    document = PdfUploadField(label=capfirst(_("document (PDF)")), required=False)
    submission = forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex)

    def __init__(self, *args, commune: Commune, village: Village | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["data-forms-allowed"] = forms_by_category()
        if village is not None:
            del self.fields["village"]
            # On a village's page the head proposes, with the Front or from the residents' initiative;
            # the chairman's proposals are typed on the commune's page.
            self.fields["proposer"].choices = [
                (value, label) for value, label in Proposer.choices if value != Proposer.CHAIRMAN
            ]
        else:
            self.fields["village"].queryset = Village.objects.current().filter(commune=commune).order_by("name")


class OpenForm(forms.Form):
    starts_at = datetime_field(
        capfirst(_("starts at")), help_text=_("The meeting's time, or when ballots and votes open.")
    )
    ends_at = datetime_field(
        capfirst(_("ends at")), required=False, help_text=_("When ballots must be returned or the online vote closes.")
    )
    place = forms.CharField(
        label=capfirst(_("place")), max_length=255, required=False, help_text=_("Where the meeting is held.")
    )


class MeetingForm(forms.Form):
    present = count_field(capfirst(_("households represented")))
    votes_for = count_field(capfirst(_("for")))
    votes_against = count_field(capfirst(_("against")))
    votes_abstain = count_field(capfirst(_("abstaining")))
    minutes = PdfUploadField(
        label=capfirst(_("minutes (PDF)")),
        required=False,
        help_text=_("Signed by the chair and the secretary; needed when the quorum is met (art. 20(2))."),
    )


class RescheduleForm(forms.Form):
    starts_at = datetime_field(capfirst(_("new time of the meeting")))
    place = forms.CharField(
        label=capfirst(_("place")), max_length=255, required=False, help_text=_("Empty: the same place.")
    )


class SwitchForm(forms.Form):
    ends_at = datetime_field(capfirst(_("ballots returned by")))


class BallotEntryForm(forms.Form):
    code = forms.CharField(
        label=capfirst(_("ballot code")),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    choice = forms.ChoiceField(
        label=capfirst(_("the household's choice")), choices=Choice.choices, widget=forms.RadioSelect
    )


class SendForm(forms.Form):
    minutes = PdfUploadField(
        label=capfirst(_("minutes (PDF)")),
        required=False,
        help_text=_("The signed minutes of the count, if not attached yet."),
    )


class RecogniseForm(forms.Form):
    number = forms.CharField(label=capfirst(_("number of the commune's decision")), max_length=50)
    on = forms.DateField(label=capfirst(_("signed on")), widget=date_input())


class RefuseForm(forms.Form):
    reason = forms.CharField(label=capfirst(_("reasons")), widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label=capfirst(_("signed on")), widget=date_input())


def decision_actions(decision, *, can_run: bool, can_cosign: bool, frozen: bool) -> dict:
    """The steps a village decision's state allows the user: an unbound form, or True for a step without input."""
    if frozen:
        return {}
    prefix = f"d{decision.pk}"
    actions = {}
    if decision.status == DecisionStatus.OPEN and can_run:
        if decision.form == Form.MEETING:
            actions["record"] = MeetingForm(prefix=f"{prefix}-record")
            actions["reschedule"] = RescheduleForm(prefix=f"{prefix}-reschedule", initial={"place": decision.place})
            if decision.quorum_met is False:
                actions["switch"] = SwitchForm(prefix=f"{prefix}-switch")
        else:
            actions["ballots"] = True
            if decision.ends_at and decision.ends_at <= timezone.now():
                actions["count"] = True
    if decision.status == DecisionStatus.COUNTED and can_cosign:
        actions["cosign"] = True
    if decision.status == DecisionStatus.COSIGNED and can_run:
        actions["send"] = SendForm(prefix=f"{prefix}-send")
    return actions
