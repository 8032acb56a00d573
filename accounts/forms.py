from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import phone_validator


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
