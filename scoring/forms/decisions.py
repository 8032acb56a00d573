"""The recognition decision's form: its number, date and signer, and the communes it recognises.

The form parses input; which results may be recognised is the service's rule (scoring.services.decisions).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.models import Assessment, Decision

NO_COMMUNES = _("Choose at least one commune to recognise.")
DUPLICATE_NUMBER = _("The province already has a decision with this number.")
# The signer's title as the decision prints it: Vietnamese in every language of the portal.
SIGNER_TITLE = "Chủ tịch Ủy ban nhân dân {province}"


def signer_title_for(province) -> str:
    return SIGNER_TITLE.format(province=province.official_name)


class DecisionForm(forms.Form):
    """A new decision, or a draft's changes; ``candidates`` are the assessments that may be ticked."""

    number = forms.CharField(
        label=_("Decision number"), max_length=60, help_text=Decision._meta.get_field("number").help_text
    )
    signed_on = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=120)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200)
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

    def clean_number(self) -> str:
        # The service checks a new decision's number; a draft's new number is checked here, before
        # the database's constraint would refuse it.
        number = self.cleaned_data["number"].strip()
        taken = Decision.objects.filter(province=self.province, number=number)
        if self.decision is not None:
            taken = taken.exclude(pk=self.decision.pk)
        if taken.exists():
            raise forms.ValidationError(DUPLICATE_NUMBER, code="duplicate")
        return number

    def rows(self) -> list[tuple[Assessment, bool]]:
        """Each candidate with whether its box is ticked, for the annex table of the page."""
        value = self["assessments"].value() or []
        ticked = {str(pk) for pk in value}
        return [(assessment, str(assessment.pk) in ticked) for assessment in self.candidates]

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("number", "signed_on", "signer_name", "signer_title")}
