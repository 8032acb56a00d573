import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiScope, phone_validator


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form; allauth calls ``signup`` after creating the user."""

    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    field_order = ["email", "full_name", "phone", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.phone = self.cleaned_data["phone"]
        user.save(update_fields=["full_name", "phone"])


class ApiKeyIssueForm(forms.Form):
    """DoHA issues a key to one of its province's systems (accounts.api_keys.api_key_issue)."""

    name = forms.CharField(
        label=_("System"),
        max_length=120,
        help_text=_("The system that will call the portal with this key, e.g. “One-stop dossier system”."),
        error_messages={"required": _("Please name the system that will use the key.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose only what the system needs."),
        error_messages={"required": _("Please choose what the key may do.")},
    )
    # A token per displayed form (core.submissions): sending it twice issues one key.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex)
