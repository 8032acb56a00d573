"""Forms of a province's Department of Home Affairs: its procedure catalogue and its code of conduct.

No form has a province field: the province comes from the URL.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from communes.forms.one_stop import date_input
from communes.models import CodeOfConduct, Procedure


class LinesField(forms.CharField):
    """A textarea holding one item a line; cleaned into the list of non-blank lines, in order."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


# What a province's officer writes of a procedure: the form's fields and ``procedure_save``'s arguments.
PROCEDURE_FIELDS = (
    "code",
    "name",
    "field",
    "steps",
    "documents",
    "fee",
    "time_limit_days",
    "same_day",
    "online_level",
)


class ProcedureForm(forms.ModelForm):
    steps = LinesField(label=_("Steps"), help_text=_("One step a line, in order."))
    documents = LinesField(label=_("Required documents"), help_text=_("One document a line."))

    class Meta:
        model = Procedure
        fields = PROCEDURE_FIELDS


class CodeOfConductForm(forms.ModelForm):
    class Meta:
        model = CodeOfConduct
        fields = ["title", "decision", "in_force_from", "text"]
        widgets = {"in_force_from": date_input(), "text": forms.Textarea(attrs={"rows": 16})}
