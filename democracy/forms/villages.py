"""Forms of the back office of villages, households and conventions. They parse and label; the rules
live in the services, which the views call."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from communes.forms.one_stop import submission_field
from communes.models import Village, VillageKind
from core import clock
from core.uploads import MAX_UPLOAD_BYTES, TOO_LARGE, PdfUploadField
from democracy.models import Convention, ConventionKind, Household

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VillageForm(forms.ModelForm):
    submission = submission_field()

    class Meta:
        model = Village
        fields = ["kind", "name", "code", "households", "head_name", "front_head_name", "front_members", "valid_from"]
        widgets = {
            "valid_from": DATE,
            "front_members": forms.Textarea(attrs={"rows": 4}),
            "households": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }


class SpreadsheetForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}),
    )

    def clean_file(self):
        # What the file is, the service finds out by reading it; its name proves nothing.
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        return upload


class MergeForm(forms.Form):
    """End this village on a day, taken over by another one (a merger) or by none (dissolved)."""

    into = forms.ModelChoiceField(
        label=_("Taken over by"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("No village (dissolved)"),
        help_text=_("Its households join that village's count; the village keeps the merged one in its history."),
    )
    on = forms.DateField(label=_("Last day"), widget=DATE, initial=clock.today)
    new_kind = forms.ChoiceField(
        label=_("New kind of the merged village"), choices=[("", "—"), *VillageKind.choices], required=False
    )
    new_name = forms.CharField(
        label=_("New name of the merged village"),
        max_length=100,
        required=False,
        help_text=_("Empty: it keeps its name. Its present name stays among its former names."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["into"].queryset = candidates


class HouseholdForm(forms.ModelForm):
    submission = submission_field()

    class Meta:
        model = Household
        fields = ["number", "head_name", "representative_name", "address", "active"]


class VerifyForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the representative's account"),
        help_text=_("The representative signs up on the portal with this address; you checked who they are."),
    )


class ConventionForm(forms.ModelForm):
    submission = submission_field()

    class Meta:
        model = Convention
        fields = ["kind", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = ConventionKind.HUONG_UOC


class VersionForm(forms.Form):
    submission = submission_field()
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))
    document = PdfUploadField(label=_("Document (PDF)"), required=False, help_text=_("A PDF up to 5 MB."))
    posted_on = forms.DateField(
        label=_("Draft posted on"),
        required=False,
        widget=DATE,
        help_text=_("The day the draft was posted for residents' comments."),
    )


class AdoptForm(forms.Form):
    matter = forms.ModelChoiceField(
        label=_("Adopted by the residents' decision"),
        queryset=None,
        required=False,
        empty_label=_("No decision recorded on the portal"),
    )

    def __init__(self, *args, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters


class RecogniseForm(forms.Form):
    authority = forms.CharField(label=_("Recognised by"), max_length=150, help_text=_("“Chủ tịch UBND phường Vân Hà”."))
    number = forms.CharField(label=_("Number of the recognition decision"), max_length=50)
    in_force_from = forms.DateField(label=_("In force from"), widget=DATE, initial=clock.today)
