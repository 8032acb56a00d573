"""Forms of the staff pages of surveys: a campaign, the review and comment lists, codes and kiosks.

The forms parse input; the rules (who may open what, which responses may be excluded) are the services'.
"""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Province
from core import clock
from surveys.models import BATCH_MAX, COMMENT_MAX, Campaign, Flag, Questionnaire
from surveys.services.campaigns import EDITABLE, REASON_MAX, campaign_save

ENDS_BEFORE_START = _("The last day cannot be before the first day.")
NO_COMMUNES = _("Choose at least one commune, or tick “All communes”.")
NOT_IN_FORCE = _("%(commune)s did not exist during the campaign's period.")
NO_RESPONSES = _("Select at least one response.")
NO_REASON = _("Write the reason for excluding these responses.")
CODES_DEFAULT = 24  # three A4 pages of eight slips


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- Campaigns ----------------------------------------------------------------------------------


def province_communes(province: Province):
    """The communes a campaign of the province can cover: today's for a current province; for a
    province that has ended, those in force on its last day."""
    communes = Commune.objects.filter(province=province).select_related("district")
    communes = communes.on(province.valid_until) if province.valid_until else communes.current()
    return communes.order_by("district__code", "code")


class CampaignForm(forms.ModelForm):
    """A new campaign, or a draft's changes. The communes are grouped by district on the page."""

    all_communes = forms.BooleanField(label=_("All communes of the province"), required=False)

    class Meta:
        model = Campaign
        fields = [*EDITABLE, "communes"]
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
            "communes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, province: Province, **kwargs):
        self.province = province
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.order_by("code", "-version")
        self.fields["questionnaire"].label_from_instance = lambda q: (
            _("%(title)s — version %(version)d")
            % {
                "title": q.title,
                "version": q.version,
            }
        )
        self.fields["communes"].queryset = province_communes(province)
        self.fields["communes"].required = False  # "all communes" stands for the whole list
        self.fields["communes"].label_from_instance = lambda commune: str(commune)

    def commune_groups(self) -> list[tuple[str, list]]:
        """The commune checkboxes by district (one group without a heading for a current province)."""
        boxes = list(self["communes"])

        def district(box) -> str:
            commune = box.data["value"].instance
            return str(commune.district) if commune.district_id else ""

        return [(name, list(group)) for name, group in groupby(boxes, key=district)]

    def clean(self):
        data = super().clean()
        if data.get("all_communes"):
            data["communes"] = self.fields["communes"].queryset
        elif not data.get("communes") and "communes" not in self.errors:
            self.add_error("communes", NO_COMMUNES)
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", ENDS_BEFORE_START)
            elif data.get("communes") is not None:
                for commune in data["communes"]:
                    if (commune.valid_until and commune.valid_until < starts_on) or (
                        commune.valid_from and commune.valid_from > ends_on
                    ):
                        self.add_error("communes", NOT_IN_FORCE % {"commune": commune})
        return data

    def save(self, *, by) -> Campaign:
        """Store the draft through the service (which refuses if someone opened it meanwhile)."""
        campaign = super().save(commit=False)
        if campaign.pk is None:
            campaign.province = self.province
        return campaign_save(campaign=campaign, communes=self.cleaned_data["communes"], by=by)


# --- Quality review -----------------------------------------------------------------------------


class IdListField(forms.Field):
    """The ids of the rows ticked in a table (one checkbox per row, all named alike)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": NO_RESPONSES, "invalid": NO_RESPONSES}

    def to_python(self, value) -> list[int]:
        try:
            return sorted({int(item) for item in value or []})
        except (TypeError, ValueError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class ReviewFilterForm(forms.Form):
    flag = forms.ChoiceField(label=_("Signal"), required=False, choices=[("", _("All")), *Flag.choices])
    commune = forms.ModelChoiceField(
        label=_("Commune"), required=False, queryset=Commune.objects.none(), empty_label=_("All")
    )
    state = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All")), ("counted", _("Counted")), ("excluded", _("Excluded"))],
    )
    burst = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = campaign.communes.order_by("code")

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored and shown with its error)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class ReviewActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("exclude", "exclude"), ("include", "include")], widget=forms.HiddenInput)
    ids = IdListField()
    reason = forms.CharField(
        label=_("Reason for excluding"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to exclude. Kept with the responses; nothing is deleted."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "exclude" and not data.get("reason", "").strip():
            self.add_error("reason", NO_REASON)
        return data


# --- Comments -----------------------------------------------------------------------------------


class CommentFilterForm(forms.Form):
    reviewed = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All comments")), ("no", _("Not reviewed yet")), ("yes", _("Reviewed"))],
    )

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class RedactForm(forms.Form):
    """DoHA's version of one comment; the commune reads only this. Empty keeps it from the commune."""

    response = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Version the commune may read"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Remove names, phone numbers, addresses and anything else that could identify a person. "
            "Leave it empty to keep the comment from the commune."
        ),
    )


# --- Visit codes and kiosks ---------------------------------------------------------------------


class CodesForm(forms.Form):
    day = forms.DateField(label=_("Day of the visits"), widget=date_input())
    size = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=BATCH_MAX,
        initial=CODES_DEFAULT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = clock.today
        self.fields["size"].help_text = _("From 1 to %(max)d; eight slips fit on an A4 page.") % {"max": BATCH_MAX}


class KioskForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the kiosk"), max_length=100, help_text=_("Where it stands, e.g. 'Results desk'.")
    )
