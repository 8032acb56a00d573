"""Forms of the officers' back office. No form has a commune or shop field: the commune comes from the URL.

Uploaded files go through core.uploads, so a form's cleaned photo is a sanitized copy and its PDF
one the parser has read. A cleaned photo or document is None when the stored file stays, False when
the officer asked to remove it, or the new file.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from communes.models import (
    CounterOfficer,
    Disclosure,
    FacilityKind,
    OneStopShop,
    OpeningException,
    OpeningHours,
    Procedure,
    Weekday,
)
from core.uploads import clean_image, clean_pdf

IMAGE_TYPES = "image/jpeg,image/png,image/webp"
BOTH_OR_NEITHER = _("Give both the name and the title, or leave both empty for nobody.")


def date_input() -> forms.DateInput:
    # Browsers' date pickers send and expect ISO dates whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def photo_field(label) -> forms.FileField:
    # A plain FileField: Django's ImageField would refuse a non-image with its own message before ours.
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_TYPES}),
        help_text=_("JPEG, PNG or WebP, up to 5 MB. Location and camera data are removed."),
    )


def cleaned_photo(value):
    """A new upload becomes its sanitized copy; the stored file is kept (None) unless cleared (False)."""
    if isinstance(value, UploadedFile):
        return clean_image(value)
    if value is False:
        return False
    return None


def submission_field() -> forms.CharField:
    """A token per displayed form, so sending the same form twice creates one record."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex)


class ShopProfileForm(forms.ModelForm):
    photo = photo_field(_("Photo of the one-stop shop"))

    class Meta:
        model = OneStopShop
        fields = ["address", "phone", "email", "directions", "photo"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "directions": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_photo(self):
        return cleaned_photo(self.cleaned_data.get("photo"))


class OpeningHoursForm(forms.ModelForm):
    """One session of the week; the model's own rules (closing after opening) are checked per row."""

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {"opens": time_input(), "closes": time_input()}


OpeningHoursFormSet = forms.formset_factory(
    OpeningHoursForm, extra=3, can_delete=True, max_num=50, validate_max=True, absolute_max=60
)


class OpeningExceptionForm(forms.ModelForm):
    class Meta:
        model = OpeningException
        fields = ["date", "closed", "opens", "closes", "reason"]
        widgets = {"date": date_input(), "opens": time_input(), "closes": time_input()}
        help_texts = {"opens": _("Only when the shop opens at other times that day.")}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("closed"):
            # Times mean nothing on a day closed all day; keeping them would break the model's rule.
            cleaned["opens"] = cleaned["closes"] = None
        return cleaned


class FixedRowsFormSet(forms.BaseFormSet):
    """One form per item of ``rows`` (a list of (value, label)), in that order, whatever is posted."""

    rows: list = []

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.rows):
            kwargs["row"] = self.rows[index]
        return kwargs


class FacilityForm(forms.Form):
    available = forms.BooleanField(required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    photo = photo_field(_("Photo"))

    def __init__(self, *args, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.kind_label = row or (None, "")
        self.fields["available"].label = _("Available")

    def clean_photo(self):
        return cleaned_photo(self.cleaned_data.get("photo"))


class FacilityFormSet(FixedRowsFormSet):
    rows = FacilityKind.choices


FacilitiesFormSet = forms.formset_factory(
    FacilityForm,
    formset=FacilityFormSet,
    extra=0,
    min_num=len(FacilityKind),
    max_num=len(FacilityKind),
    validate_min=True,
    validate_max=True,
)


class DutyLeaderForm(forms.Form):
    full_name = forms.CharField(label=_("Leader's full name"), max_length=120, required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("For example: Vice-chairman of the commune."),
    )

    def __init__(self, *args, row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.weekday, self.weekday_label = row or (None, "")

    def clean(self):
        cleaned = super().clean()
        full_name, title = (cleaned.get("full_name") or "").strip(), (cleaned.get("title") or "").strip()
        if bool(full_name) != bool(title):
            self.add_error("title" if full_name else "full_name", BOTH_OR_NEITHER)
        return cleaned


class DutyFormSet(FixedRowsFormSet):
    rows = Weekday.choices


DutyLeadersFormSet = forms.formset_factory(
    DutyLeaderForm,
    formset=DutyFormSet,
    extra=0,
    min_num=len(Weekday),
    max_num=len(Weekday),
    validate_min=True,
    validate_max=True,
)


class CounterOfficerForm(forms.ModelForm):
    photo = photo_field(_("Photo"))
    duty_days = forms.TypedMultipleChoiceField(
        label=_("Days on duty"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one day on duty.")},
    )
    submission = submission_field()

    class Meta:
        model = CounterOfficer
        fields = ["full_name", "title", "field", "photo", "duty_days", "position"]
        help_texts = {"position": _("Officers are listed by this number, then by name.")}

    def clean_photo(self):
        return cleaned_photo(self.cleaned_data.get("photo"))

    def clean_duty_days(self):
        return sorted(set(self.cleaned_data.get("duty_days") or []))


class CommuneProceduresForm(forms.Form):
    """A checkbox and local notes per procedure of the province's catalogue. Only the catalogue's
    procedures have fields, so an id from another province that is posted is never read."""

    def __init__(self, *args, catalogue: list[Procedure], handled: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        for procedure in catalogue:
            self.fields[f"handles_{procedure.pk}"] = forms.BooleanField(
                label=_("We handle this procedure"), required=False, initial=procedure.pk in handled
            )
            self.fields[f"notes_{procedure.pk}"] = forms.CharField(
                label=_("Local notes"),
                required=False,
                initial=handled.get(procedure.pk, ""),
                help_text=_("What is particular here: counter, days, contact person."),
            )

    def groups(self) -> list[tuple[str, list[tuple[Procedure, forms.BoundField, forms.BoundField]]]]:
        """The catalogue by field, for display: [(field, [(procedure, checkbox, notes), ...]), ...]."""
        groups: dict[str, list] = {}
        for procedure in self.catalogue:
            groups.setdefault(procedure.field, []).append(
                (procedure, self[f"handles_{procedure.pk}"], self[f"notes_{procedure.pk}"])
            )
        return list(groups.items())

    def selection(self) -> dict[int, str]:
        """{procedure id: local notes} of the procedures ticked."""
        return {
            procedure.pk: self.cleaned_data[f"notes_{procedure.pk}"]
            for procedure in self.catalogue
            if self.cleaned_data.get(f"handles_{procedure.pk}")
        }


class DisclosureForm(forms.ModelForm):
    document = forms.FileField(
        label=_("Document (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
        help_text=_("A PDF file up to 5 MB."),
    )
    submission = submission_field()

    class Meta:
        model = Disclosure
        fields = [
            "title",
            "category",
            "decision_date",
            "due_on",
            "due_basis",
            "published_on",
            "posted_until",
            "document",
        ]
        widgets = {
            "decision_date": date_input(),
            "due_on": date_input(),
            "published_on": date_input(),
            "posted_until": date_input(),
        }
        help_texts = {
            "posted_until": _(
                "Posting at the commune's office: at least 30 days in a row (Law 10/2022/QH15, art. 13). The"
                " website keeps the item after that. Leave empty for procedures and the code of conduct, which"
                " stay posted permanently."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new disclosure needs its document; a correction may keep the one already posted.
        self.fields["document"].required = self.instance.pk is None
        if self.instance.pk is not None:
            self.fields["document"].help_text = _("Leave empty to keep the document already posted.")

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not isinstance(upload, UploadedFile):
            return None
        document = clean_pdf(upload)
        # The name is the officer's; the extension is what the parser found.
        document.name = f"{Path(upload.name or 'document').stem[:60] or 'document'}.pdf"
        return document
