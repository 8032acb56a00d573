"""Forms of the residents' side: follow a village, vote online, answer a ballot with its code. They
check only what was typed; the rules live in democracy.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from democracy.models import Choice

CODE_INPUT_MAX = 20


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm; nothing is sent before you confirm. Your address is never shown."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A field people do not see and robots fill in.
    # A trap for robots: hidden from people (CSS class, aria-hidden, out of the tab order).
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your household's answer"),
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose for, against or abstain.")},
    )


class BallotLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Ballot code"),
        max_length=CODE_INPUT_MAX,
        help_text=_(
            "The code printed on your household's ballot, for example ABCD-EFGH."
            " Capitals, dashes and spaces do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )
