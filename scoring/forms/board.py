"""Forms of the province's board: closing the comment period early, and the confirmation publishing
asks for when criteria have no data for the year."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.forms.assessment import note_field


class CloseCommentsForm(forms.Form):
    # Required by the service only while appeals are open: the form cannot know, the service does.
    reason = note_field(_("Why the comment period closes early (required while appeals are unanswered)"), rows=3)


class PublishForm(forms.Form):
    confirm_missing = forms.BooleanField(
        label=_("I have read which criteria have no data for the year and how their points count."),
        required=False,
    )
