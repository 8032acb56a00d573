"""Forms of the citizens' side of feedback: submit, look up a code, rate, dispute.

The forms only check what a citizen typed; the rules (time limits, rate limits, photo cleaning,
idempotency) live in feedback.services.
"""

from __future__ import annotations

import re
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import phone_validator
from core.uploads import MAX_UPLOAD_BYTES
from feedback.models import (
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    REASON_MAX,
    TITLE_MAX,
    TOO_MANY_PHOTOS,
    Category,
    Feedback,
)

# Vietnam with its islands (Trường Sa reaches 6.8° N and 117.8° E): catches swapped or mistyped values.
LATITUDE_RANGE = (Decimal(6), Decimal(24))
LONGITUDE_RANGE = (Decimal(102), Decimal(118))
COORDINATE_PLACES = Decimal("0.000001")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
CODE_INPUT_MAX = 20
RATING_CHOICES = [
    (5, _("5 – very satisfied")),
    (4, _("4 – satisfied")),
    (3, _("3 – neither satisfied nor dissatisfied")),
    (2, _("2 – dissatisfied")),
    (1, _("1 – very dissatisfied")),
]

CONSENT_LABEL = _("I agree that the commune uses the personal data I give here to handle this feedback.")
CONSENT_HELP = _(
    "Who sees your name, phone, e-mail and exact location: only the officers of this commune and the "
    "officials who review their work. They are never published, and they are kept only for handling "
    "this feedback and its record."
)
NEED_BOTH_COORDINATES = _("Give both the latitude and the longitude, or neither.")
OUTSIDE_VIETNAM = _("These coordinates are outside Vietnam. Check that latitude and longitude are not swapped.")
PHOTO_TOO_LARGE = _("Each photo must be 5 MB or smaller.")


TITLE_HELP = _("A short summary, up to %(count)s characters.")
DESCRIPTION_HELP = _(
    "What happened, where and since when, up to %(count)s characters. "
    "Do not write other people's personal details here: this text may be published."
)
PHOTOS_HELP = _(
    "Up to %(count)s photos, 5 MB each (JPEG, PNG or WebP). Location and camera data are removed before "
    "they are stored. If the form shows an error, choose them again."
)
COMMENT_HELP = _("Optional, up to %(count)s characters. Only the commune and its reviewers read it.")
REASON_HELP = _(
    "Up to %(count)s characters. It is shown on the public page, and the commune must look at the feedback again."
)
COORDINATES_HELP = _("Optional. Exact coordinates are never shown publicly.")


class CountedHelpMixin:
    """Help texts that state a size: interpolated per form, so in the reader's language."""

    counted_help: dict[str, tuple] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (text, count) in self.counted_help.items():
            self.fields[name].help_text = text % {"count": intcomma(count)}


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one ``<input type=file multiple>``; cleans to a list of UploadedFile."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [item for item in (data or []) if item] if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(TOO_MANY_PHOTOS, code="too_many", params={"count": MAX_PHOTOS})
        cleaned = [super(MultiplePhotoField, self).clean(item, initial) for item in files]
        if any(isinstance(item, UploadedFile) and item.size > MAX_UPLOAD_BYTES for item in cleaned):
            raise forms.ValidationError(PHOTO_TOO_LARGE, code="too_large")
        return cleaned


def _coordinate_field(label, low: Decimal, high: Decimal) -> forms.DecimalField:
    # The range is checked in the form, with a message that says what probably went wrong.
    attrs = {"step": "any", "min": str(low), "max": str(high), "inputmode": "decimal", "autocomplete": "off"}
    return forms.DecimalField(label=label, required=False, widget=forms.NumberInput(attrs=attrs))


class SubmitForm(CountedHelpMixin, forms.Form):
    """A citizen's feedback to a commune. The view passes the uploaded files list to the service."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.none(),
        empty_label=_("Choose a category"),
        help_text=_("The category sets the time limit for the commune's answer; your receipt shows the due date."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    address = forms.CharField(
        label=_("Address or landmark"),
        required=False,
        max_length=Feedback._meta.get_field("address").max_length,
        help_text=_("Street, hamlet or landmark. This text is shown on the public page."),
    )
    latitude = _coordinate_field(_("Latitude"), *LATITUDE_RANGE)
    longitude = _coordinate_field(_("Longitude"), *LONGITUDE_RANGE)
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=Feedback._meta.get_field("contact_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Your phone"),
        required=False,
        max_length=Feedback._meta.get_field("contact_phone").max_length,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the tracking code and the answer to this address."),
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        help_text=CONSENT_HELP,
        required=True,
        error_messages={"required": _("Please agree to the use of your data so that the commune can handle it.")},
    )
    # A trap for robots: hidden from people (CSS class, aria-hidden, out of the tab order).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_token = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_submission_token)

    counted_help = {
        "title": (TITLE_HELP, TITLE_MAX),
        "description": (DESCRIPTION_HELP, DESCRIPTION_MAX),
        "photos": (PHOTOS_HELP, MAX_PHOTOS),
    }
    PLACE_FIELDS = ("address", "latitude", "longitude")
    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories
        for name in ("latitude", "longitude"):
            self.fields[name].help_text = COORDINATES_HELP

    def clean_submission_token(self) -> str | None:
        token = self.cleaned_data.get("submission_token", "")
        # A tampered token is dropped, not refused: the item is still made, only without the retry guard.
        return token if TOKEN_PATTERN.match(token or "") else None

    def _coordinate(self, name: str, low: Decimal, high: Decimal) -> Decimal | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        if not low <= value <= high:
            raise forms.ValidationError(OUTSIDE_VIETNAM, code="outside_vietnam")
        # Maps copy 7 or more decimals; the model keeps 6 (about 10 cm).
        return value.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)

    def clean_latitude(self):
        return self._coordinate("latitude", *LATITUDE_RANGE)

    def clean_longitude(self):
        return self._coordinate("longitude", *LONGITUDE_RANGE)

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (
            (latitude is None) != (longitude is None)
            and not self.has_error("latitude")
            and not self.has_error("longitude")
        ):
            self.add_error("latitude" if latitude is None else "longitude", NEED_BOTH_COORDINATES)
        return cleaned

    @property
    def place_fields(self):
        return [self[name] for name in self.PLACE_FIELDS]

    @property
    def contact_fields(self):
        return [self[name] for name in self.CONTACT_FIELDS]

    @property
    def about_fields(self):
        return [self[name] for name in ("category", "title", "description")]


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=CODE_INPUT_MAX,
        help_text=_("The code on your receipt, for example ABCD-EFGH. Capitals, dashes and spaces do not matter."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )


class RateForm(CountedHelpMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how the commune handled it?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    counted_help = {"comment": (COMMENT_HELP, REASON_MAX)}


class DisputeForm(CountedHelpMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the problem not solved?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    counted_help = {"reason": (REASON_HELP, REASON_MAX)}
