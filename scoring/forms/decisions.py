"""The recognition decision's forms: DoHA's draft (signer, proposal, grounds, recipients and the
communes it recognises), the records office's issue (number and date), and the signed copy uploaded
back from the e-office system.

The forms parse input; which results may be recognised, the register's numbers and the signature
check are the services' rules (scoring.services.decisions).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.forms.certificates import PdfUploadForm
from scoring.models import Assessment, Decision
from scoring.services.decisions.document import ground_problem, split_lines

NO_COMMUNES = _("Choose at least one commune to recognise.")
NO_GROUNDS = _("Give at least one ground (“Căn cứ …”).")
NO_NUMBER = _("Give the number the e-office system gave, or let the register give the next one.")
PROPOSAL_HALF = _("Give both the number and the date of the proposal, or neither yet.")

DATE_INPUT = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class DecisionForm(forms.Form):
    """A new decision, or a draft's changes; ``candidates`` are the assessments that may be ticked."""

    signer_role = forms.ChoiceField(label=_("Who signs"), choices=Decision.SignerRole.choices, widget=forms.RadioSelect)
    signer_name = forms.CharField(label=_("Signer's full name"), max_length=120)
    proposal_number = forms.CharField(
        label=_("Number of DoHA's proposal (tờ trình)"),
        max_length=60,
        required=False,
        help_text=Decision._meta.get_field("proposal_number").help_text,
    )
    proposal_date = forms.DateField(label=_("Date of DoHA's proposal"), required=False, **DATE_INPUT)
    grounds = forms.CharField(
        label=_("Grounds (Căn cứ)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One ground a line, in order, each naming its instrument with its number and date."),
        error_messages={"required": NO_GROUNDS},
    )
    keep_grounds = forms.BooleanField(
        label=_("Keep these grounds as the province's default for its next decisions"), required=False
    )
    recipients = forms.CharField(
        label=_("Recipients (Nơi nhận)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=Decision._meta.get_field("recipients").help_text,
    )
    assessments = forms.ModelMultipleChoiceField(
        label=_("Communes recognised"),
        queryset=Assessment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NO_COMMUNES},
    )

    def __init__(self, *args, province, candidates: list[Assessment], decision: Decision | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.province, self.decision, self.candidates = province, decision, candidates
        self.fields["assessments"].queryset = Assessment.objects.filter(pk__in=[a.pk for a in candidates])

    def clean_grounds(self) -> list[str]:
        lines = split_lines(self.cleaned_data["grounds"])
        if not lines:
            raise forms.ValidationError(NO_GROUNDS, code="required")
        problem = ground_problem(lines)
        if problem:
            raise forms.ValidationError(problem, code="incomplete")
        return lines

    def clean_recipients(self) -> list[str]:
        return split_lines(self.cleaned_data["recipients"])

    def clean(self):
        data = super().clean()
        if bool(data.get("proposal_number", "").strip()) != bool(data.get("proposal_date")):
            self.add_error("proposal_number", forms.ValidationError(PROPOSAL_HALF, code="half"))
        return data

    def rows(self) -> list[tuple[Assessment, bool]]:
        """Each candidate with whether its box is ticked, for the annex table of the page."""
        value = self["assessments"].value() or []
        ticked = {str(pk) for pk in value}
        return [(assessment, str(assessment.pk) in ticked) for assessment in self.candidates]

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        names = ("signer_role", "signer_name", "proposal_number", "proposal_date", "grounds", "recipients")
        return {name: data[name] for name in names} | {"keep_grounds": data["keep_grounds"]}


class IssueForm(forms.Form):
    """The records office's number and date: the next number of the register, or the e-office's."""

    NEXT, RECORDED = "next", "recorded"
    source = forms.ChoiceField(
        label=_("Number"),
        choices=[
            (NEXT, _("The next number of the province's register for the year")),
            (RECORDED, _("The number the e-office system gave")),
        ],
        initial=NEXT,
        widget=forms.RadioSelect,
    )
    number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        required=False,
        help_text=Decision._meta.get_field("number").help_text,
    )
    signed_on = forms.DateField(label=_("Decision date"), **DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("source") == self.RECORDED and not data.get("number", "").strip():
            self.add_error("number", forms.ValidationError(NO_NUMBER, code="required"))
        return data

    def number_for_service(self) -> str | None:
        data = self.cleaned_data
        return data["number"].strip() if data["source"] == self.RECORDED else None


class SignedDecisionForm(PdfUploadForm):
    """The PDF signed in the e-office system; its signatures are the service's to check."""

    label = _("The signed decision (PDF)")
    help_text = _("The file exactly as the e-office system gave it, with its digital signatures; at most 5 MB.")
