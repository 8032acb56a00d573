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
from core.uploads import MAX_UPLOAD_BYTES, image_pixels_check
from feedback.models import (
    DESCRIPTION_MAX,
    MAX_PHOTOS,
    REASON_MAX,
    TITLE_MAX,
    TOO_MANY_PHOTOS,
    Category,
    Feedback,
)
from feedback.services.submission import DESCRIPTION_MISSING, TITLE_MISSING, gives_personal_data

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
CONSENT_NEEDED = _("Please agree to the use of your data so that the commune can handle it.")
LOCATION_UNUSABLE = _(
    "The location from your device could not be used. Press “Use my location” again, or describe the place in words."
)
OUTSIDE_VIETNAM = _(
    "The location from your device is outside Vietnam. Describe the place in words, or press “Use my "
    "location” again where the problem is."
)
PHOTO_TOO_LARGE = _("Each photo must be 5 MB or smaller.")
TOO_MANY_WITH_KEPT = _(
    "You can send at most %(count)d photos, and %(kept)d are already attached. Remove one of them to add another."
)


TITLE_HELP = _("A short summary, up to %(count)s characters.")
DESCRIPTION_HELP = _(
    "What happened, where and since when, up to %(count)s characters. "
    "Do not write other people's personal details here: this text may be published."
)
PHOTOS_HELP = _(
    "Up to %(count)s photos, 5 MB each (JPEG, PNG or WebP). Location and camera data are removed before "
    "they are stored."
)
COMMENT_HELP = _("Optional, up to %(count)s characters. Only the commune and its reviewers read it.")
REASON_HELP = _(
    "Up to %(count)s characters. It is shown on the public page, and the commune must look at the feedback again."
)
ADDRESS_HELP = _(
    "In words, for example “Near the gate of Vân Hà market, Trung hamlet”. This text is shown on the public "
    "page: do not write anyone's name or phone here."
)
LOCATION_LABEL = _("Your location")
# How the error summary names a field whose label is a question or a sentence.
SUMMARY_LABELS = {
    "category": _("Category"),
    "latitude": LOCATION_LABEL,
    "longitude": LOCATION_LABEL,
    "consent": _("Your personal data"),
}


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
    """Several photos from one ``<input type=file multiple>``; cleans to a list of UploadedFile, each
    measured from its header (a file that is no image, or too large, is refused here, before anything
    is decoded)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [item for item in (data or []) if item] if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(TOO_MANY_PHOTOS, code="too_many", params={"count": MAX_PHOTOS})
        cleaned = [super(MultiplePhotoField, self).clean(item, initial) for item in files]
        if any(isinstance(item, UploadedFile) and item.size > MAX_UPLOAD_BYTES for item in cleaned):
            raise forms.ValidationError(PHOTO_TOO_LARGE, code="too_large")
        for item in cleaned:
            if isinstance(item, UploadedFile):
                image_pixels_check(item)
        return cleaned


class SubmitForm(CountedHelpMixin, forms.Form):
    """A citizen's feedback to a commune. The view passes the uploaded files list to the service.

    The place is said in words; the device's position, when the citizen asks for it ("Use my
    location", static/js/feedback-form.js), comes in two hidden fields. Consent is asked for only
    when the sender gives personal data: contact details, that position, or a signed-in account.
    """

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.none(),
        empty_label=_("Choose a category"),
        help_text=_("The category sets the time limit for the commune's answer; your receipt shows the due date."),
        error_messages={"required": _("Please choose a category.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={"required": TITLE_MISSING},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": DESCRIPTION_MISSING},
    )
    address = forms.CharField(
        label=_("Address or landmark"),
        required=False,
        max_length=Feedback._meta.get_field("address").max_length,
        help_text=ADDRESS_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Filled by the browser's geolocation, never typed: the range is checked in clean().
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
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
    consent = forms.BooleanField(label=CONSENT_LABEL, help_text=CONSENT_HELP, required=False)
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
    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
    # Where the error summary sends the reader for a field that has no control of its own.
    ANCHORS = {"latitude": "feedback-location", "longitude": "feedback-location"}

    def __init__(self, *args, categories=None, kept_photos: int = 0, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories
        self.kept_photos = kept_photos
        self.signed_in = signed_in

    def clean_submission_token(self) -> str | None:
        token = self.cleaned_data.get("submission_token", "")
        # A tampered token is dropped, not refused: the item is still made, only without the retry guard.
        return token if TOKEN_PATTERN.match(token or "") else None

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if photos and self.kept_photos + len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(
                TOO_MANY_WITH_KEPT, code="too_many", params={"count": MAX_PHOTOS, "kept": self.kept_photos}
            )
        return photos

    def clean(self):
        cleaned = super().clean()
        self._clean_location(cleaned)
        if self.gives_personal_data(cleaned) and not cleaned.get("consent"):
            self.add_error("consent", forms.ValidationError(CONSENT_NEEDED, code="required"))
        return cleaned

    def _clean_location(self, cleaned: dict) -> None:
        """Both coordinates inside Vietnam, or none; one message for whatever went wrong, on the place."""
        malformed = bool(self._errors.pop("latitude", None)) | bool(self._errors.pop("longitude", None))
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        cleaned["latitude"] = cleaned["longitude"] = None
        if malformed or (latitude is None) != (longitude is None):
            self.add_error("latitude", forms.ValidationError(LOCATION_UNUSABLE, code="unusable"))
        elif latitude is not None:
            inside = LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
            inside = inside and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]
            if not inside:
                self.add_error("latitude", forms.ValidationError(OUTSIDE_VIETNAM, code="outside_vietnam"))
            else:
                # Devices give 7 or more decimals; the model keeps 6 (about 10 cm).
                cleaned["latitude"] = latitude.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)
                cleaned["longitude"] = longitude.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)

    def gives_personal_data(self, cleaned: dict | None = None) -> bool:
        """Whether the sender gives data about themself: then, and only then, consent is needed (the
        service's rule, asked here so the form names the box)."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return gives_personal_data(
            **{name: cleaned.get(name) for name in self.CONTACT_FIELDS},
            latitude=cleaned.get("latitude"),
            signed_in=self.signed_in,
        )

    @property
    def has_location(self) -> bool:
        """A position came with the form and is kept on the page (not when it was refused)."""
        return bool(self.is_bound and self["latitude"].value() and not self.has_error("latitude"))

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """Every field's error as (anchor id, label, message), in the order of the page."""
        found = []
        for field in self:
            anchor = self.ANCHORS.get(field.name) or field.id_for_label or field.auto_id
            label = SUMMARY_LABELS.get(field.name, field.label)
            found += [(anchor, label, message) for message in field.errors]
        return found

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
