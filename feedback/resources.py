"""Feedback lists as spreadsheets: a commune's queue (with its filters) and the overdue list of a user's
scope, with the columns the staff pages show; and the admin's import/export of the categories.

Personal data stays out: no name, phone, e-mail, address or position of the citizen, and the title
as the staff list shows it (the public version once an officer redacted it). A spreadsheet travels by
e-mail and USB stick; the item's own page, behind its permission, is where the contact details are.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Province
from communes.resources import unit_field
from core.spreadsheets import LabelledModelResource, Sheet, cell_value
from core.workdays import working_days_between
from feedback.models import Category, Feedback
from feedback.services import format_code

WIDTHS = (12, 50, 30, 22, 12, 12, 12, 10, 40)


def _unit(feedback: Feedback) -> str:
    commune = feedback.commune
    return f"{commune}, {commune.district}" if commune.district_id else str(commune)


def feedback_sheet(items: Iterable[Feedback], *, title: str, today: datetime.date) -> Sheet:
    """One row per item: code, title, category, status, received, due date, working days late,
    disputes, unit. Items need their category and commune (with its district) loaded."""
    rows: list[list] = [
        [
            _("Tracking code"),
            _("Title"),
            _("Feedback category"),
            _("Status"),
            _("Received"),
            _("Due date"),
            _("Working days late"),
            _("Disputes"),
            _("Unit"),
        ]
    ]
    for item in items:
        late = working_days_between(item.due_date, today) if item.is_open else 0
        cells = [
            format_code(item.code),
            item.shown_title,
            str(item.category),
            item.get_status_display(),
            item.submitted_at,
            item.due_date,
            late,
            item.disputes,
            _unit(item),
        ]
        rows.append([cell_value(value) for value in cells])
    return Sheet(title, rows, widths=WIDTHS)


class CategoryAdminResource(LabelledModelResource):
    """A province's categories of feedback and their time limits, keyed by province and name."""

    province = unit_field("province", Province, gettext_lazy("Province code"))

    class Meta:
        model = Category
        fields = ("province", "name", "time_limit_days", "position", "active")
        import_id_fields = ("province", "name")
        clean_model_instances = True
        skip_unchanged = True
