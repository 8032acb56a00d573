"""Writes of a province's feedback categories, kept by the province's DoHA."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from communes.models import Province
from feedback.models import Category
from feedback.services import FeedbackError

FIELDS = ("name", "time_limit_days", "position", "active")
UNKNOWN_CATEGORY = _("This category does not belong to the province. Reload the page and try again.")


class CategoryError(FeedbackError):
    """A row of the categories cannot be saved: ``row`` is its index in the rows given, ``errors`` maps
    field names (None for the whole row) to translated messages."""

    def __init__(self, errors: Mapping[str | None, list], *, row: int):
        self.errors = {field: list(messages) for field, messages in errors.items()}
        self.row = row
        super().__init__(" ".join(str(message) for messages in self.errors.values() for message in messages))


@transaction.atomic
def categories_save(*, province: Province, rows: Iterable[Mapping[str, Any]], by) -> list[Category]:
    """Change the province's categories and add new ones: a row with an ``id`` changes that category,
    a row without adds one. Only what differs is written, so an unchanged row leaves no history."""
    existing = {c.pk: c for c in Category.objects.select_for_update().filter(province=province)}
    saved = []
    for index, row in enumerate(rows):
        pk = row.get("id")
        if pk:
            category = existing.get(pk)
            if category is None:
                raise CategoryError({None: [UNKNOWN_CATEGORY]}, row=index)
        else:
            category = Category(province=province)
        changed = category.pk is None
        for name in FIELDS:
            value = row[name].strip() if name == "name" else row[name]
            if getattr(category, name) != value:
                setattr(category, name, value)
                changed = True
        if changed:
            try:
                category.full_clean()
            except ValidationError as error:
                raise CategoryError(_errors_of(error), row=index) from error
            category._history_user = by
            category.save()
        saved.append(category)
    return saved


def _errors_of(error: ValidationError) -> dict[str | None, list]:
    if hasattr(error, "error_dict"):
        return {
            (None if field == NON_FIELD_ERRORS else field): messages for field, messages in error.message_dict.items()
        }
    return {None: error.messages}
