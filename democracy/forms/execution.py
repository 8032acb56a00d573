"""Forms of oversight: a step of a decided matter's execution, a resident's report to the board, the
board's handling of it, the Front committee's supervision note. They parse and type the input only; the
rules (a recognised matter, the dates, the amount, the board in office) are democracy.services.execution's."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from core.uploads import PdfUploadField
from democracy.forms.matters import date_input
from democracy.models import Execution, ExecutionKind, Matter, ReportStatus
from democracy.selectors.execution import note_targets
from democracy.services.execution import REPORT_MAX_LENGTH


def submission_field() -> forms.CharField:
    """The displayed form's token: sent twice, it creates its record once (core.submissions)."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex)


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=ExecutionKind.choices)
    on = forms.DateField(label=capfirst(_("date")), widget=date_input())
    amount = forms.DecimalField(
        label=capfirst(_("amount (đồng)")),
        required=False,
        min_value=1,
        max_digits=15,
        decimal_places=0,
        help_text=_("For money collected or spent only, in đồng, without dots: 4400000."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )
    description = forms.CharField(
        label=capfirst(_("description")),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was collected, bought or built, from whom or for what: residents read it as it is."),
    )
    document = PdfUploadField(
        label=capfirst(_("document (PDF)")),
        required=False,
        help_text=_("A receipt, a contract, the acceptance minutes: public with the step."),
    )
    submission = submission_field()

    @classmethod
    def for_step(cls, step: Execution, data=None, files=None) -> StepForm:
        initial = {"kind": step.kind, "on": step.on, "amount": step.amount, "description": step.description}
        form = cls(data, files, initial=initial)
        del form.fields["submission"]  # a correction changes one row: sending it twice changes nothing more
        return form


def _step_label(step: Execution) -> str:
    label = f"{date_format(step.on, 'SHORT_DATE_FORMAT')} · {step.get_kind_display()}"
    return f"{label} · {intcomma(step.amount)} đ" if step.amount is not None else label


class ReportForm(forms.Form):
    """A resident's report: on a matter's page, optionally about one of its steps."""

    execution = forms.ModelChoiceField(
        label=_("About the step"),
        queryset=Execution.objects.none(),
        required=False,
        empty_label=_("The execution as a whole"),
    )
    text = forms.CharField(
        label=_("What you saw"),
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Where and when, and what differs from what residents decided or from what is published. Only the "
            "People's Inspection Board and the commune Front committee read it; your name is never published."
        ),
    )
    submission = submission_field()

    def __init__(self, *args, matter: Matter | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if matter is None:
            del self.fields["execution"]
        else:
            self.fields["execution"].queryset = Execution.objects.filter(matter=matter).order_by("on", "pk")
            self.fields["execution"].label_from_instance = _step_label


class ReportHandleForm(forms.Form):
    status = forms.ChoiceField(label=capfirst(_("status")), choices=ReportStatus.choices)
    board_note = forms.CharField(
        label=capfirst(_("the board's note")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the board checked and found. Its author reads it; it is never published."),
    )


class NoteForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=255)
    text = forms.CharField(label=capfirst(_("note")), widget=forms.Textarea(attrs={"rows": 8}))
    consultation = forms.ModelChoiceField(
        label=_("About the consultation"), queryset=None, required=False, empty_label=_("None")
    )
    matter = forms.ModelChoiceField(
        label=_("About the matter residents decide"), queryset=None, required=False, empty_label=_("None")
    )
    recommendation = forms.ModelChoiceField(
        label=_("About the recommendation"), queryset=None, required=False, empty_label=_("None")
    )
    document = PdfUploadField(label=capfirst(_("document (PDF)")), required=False)
    submission = submission_field()

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the commune's own records are offered; the service checks it again for a forged POST.
        for name, queryset in note_targets(commune=commune).items():
            self.fields[name].queryset = queryset
