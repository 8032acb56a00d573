"""The dashboards' period: from one month to another, as the reader picks it."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import clock
from core.clock import month_start
from portal.dashboards.figures import Period

EARLIEST = datetime.date(2015, 1, 1)
LONGEST_MONTHS = 60


class MonthField(forms.CharField):
    """A month as YYYY-MM (what a browser's month picker sends), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "min": "2015-01", "pattern": r"\d{4}-\d{2}"})
    default_error_messages = {"invalid": _("Give a month as year-month, for example 2026-01.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(f"{value}-01")
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class PeriodForm(forms.Form):
    start = MonthField(label=pgettext_lazy("period", "From month"), required=False)
    end = MonthField(label=pgettext_lazy("period", "To month"), required=False)

    def clean(self):
        cleaned = super().clean()
        today = clock.today()
        default = Period.default(today)
        first, last = cleaned.get("start") or None, cleaned.get("end") or None
        if self.errors:
            return cleaned
        last = last or (month_start(today) if first else default.last)
        first = first or month_start(last, 11)
        if first > last:
            raise forms.ValidationError(_("The first month comes after the last one."), code="order")
        if first < EARLIEST or last > month_start(today):
            raise forms.ValidationError(
                _("Pick months from 01/2015 to this month."),
                code="range",
            )
        if (last.year - first.year) * 12 + last.month - first.month >= LONGEST_MONTHS:
            raise forms.ValidationError(_("Pick at most 60 months."), code="too_long")
        cleaned["period"] = Period(first, last)
        return cleaned

    def period(self) -> Period:
        """The period asked for, or the last twelve months when the form was left empty or is wrong."""
        if self.is_valid():
            return self.cleaned_data["period"]
        return Period.default()
