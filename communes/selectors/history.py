"""The history of a commune's records, merged from django-simple-history across its models."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from communes.models import (
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DossierStatistics,
    DutyLeader,
    Facility,
    OneStopShop,
    OpeningException,
    OpeningHours,
    Weekday,
)

HISTORY_PAGE_SIZE = 50


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: object
    what: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    previous: object = None

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user


# With a context: the bare words already have other meanings in Django's and allauth's catalogues.
KINDS = {
    "+": pgettext_lazy("history of changes", "created"),
    "~": pgettext_lazy("history of changes", "changed"),
    "-": pgettext_lazy("history of changes", "deleted"),
}
# Records of the shop's parts are found through the shop, the others through the commune.
SHOP_PARTS = [OpeningHours, OpeningException, Facility, DutyLeader, CounterOfficer]


def _history_records(commune) -> list:
    """Every historical record of the commune's back-office data: one query per model, users joined."""
    shop_ids = OneStopShop.history.filter(commune_id=commune.pk).values("id")
    querysets = [OneStopShop.history.filter(commune_id=commune.pk)]
    querysets += [model.history.filter(shop_id__in=shop_ids) for model in SHOP_PARTS]
    querysets += [
        CommuneProcedure.history.filter(commune_id=commune.pk).select_related("procedure"),
        Disclosure.history.filter(commune_id=commune.pk),
        DossierStatistics.history.filter(commune_id=commune.pk),
    ]
    return list(itertools.chain.from_iterable(qs.select_related("history_user") for qs in querysets))


def _label(record, commune) -> str:
    """What the record is about, without the queries str() of some models would make."""
    instance = record.instance
    if isinstance(instance, OneStopShop | DossierStatistics):
        instance.commune = commune
    elif isinstance(instance, CommuneProcedure):
        instance.commune = commune
        return str(record.procedure) if record.procedure else _("procedure no. %(pk)s") % {"pk": record.procedure_id}
    return str(instance)


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if model_field.name == "duty_days":
        return ", ".join(str(Weekday(day).label) for day in sorted(value) if day in Weekday.values)
    if model_field.get_internal_type() in ("DateField",):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if model_field.get_internal_type() == "TimeField":
        return value.strftime("%H:%M")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _changes(entry: HistoryEntry) -> list[Change]:
    model = entry.record.instance_type
    delta = entry.record.diff_against(entry.previous)
    changes = []
    for change in delta.changes:
        model_field = model._meta.get_field(change.field)
        if model_field.is_relation:
            # Who verified or which record it points at: the page names the change, not raw ids.
            changes.append(Change(str(model_field.verbose_name), "", ""))
        else:
            old, new = _display(model_field, change.old), _display(model_field, change.new)
            changes.append(Change(str(model_field.verbose_name), old, new))
    return changes


def commune_history_page(*, commune, page_number) -> tuple[Page, list[HistoryEntry]]:
    """One page of every change to the commune's records, newest first, with what changed.

    One query per model kind, users joined: the page costs the same whatever the number of records.
    """
    records = _history_records(commune)
    # The record before each one, per object, from the rows already fetched (prev_record would query).
    previous: dict[int, object] = {}
    by_object: dict[tuple, list] = {}
    for record in records:
        by_object.setdefault((record.instance_type, record.id), []).append(record)
    for group in by_object.values():
        group.sort(key=lambda r: (r.history_date, r.history_id))
        for before, after in itertools.pairwise(group):
            previous[id(after)] = before
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    page = Paginator(records, HISTORY_PAGE_SIZE).get_page(page_number)
    entries = []
    for record in page.object_list:
        entry = HistoryEntry(
            record=record,
            what=f"{capfirst(record.instance_type._meta.verbose_name)}: {_label(record, commune)}",
            kind=str(KINDS.get(record.history_type, record.history_type)),
            previous=previous.get(id(record)),
        )
        if record.history_type == "~" and entry.previous is not None:
            entry.changes = _changes(entry)
        entries.append(entry)
    return page, entries
