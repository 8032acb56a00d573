"""The form behind the buttons that publish a commune's quarterly list of disclosures: the quarter in
hidden fields (the page shows it), and a token so that sending it twice posts one list."""

from __future__ import annotations

from django import forms

from communes.forms.one_stop import submission_field
from communes.services.disclosure_lists import FIRST_YEAR, LAST_YEAR

PUBLISH = "publish"
REPUBLISH = "republish"


class QuarterForm(forms.Form):
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, widget=forms.HiddenInput)
    quarter = forms.IntegerField(min_value=1, max_value=4, widget=forms.HiddenInput)


class DisclosureListPublishForm(QuarterForm):
    action = forms.ChoiceField(choices=[(PUBLISH, PUBLISH), (REPUBLISH, REPUBLISH)], widget=forms.HiddenInput)
    submission = submission_field()
