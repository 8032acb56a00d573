"""Forms of DoHA's criteria-set pages: a new set of a year, a draft edited on one page (its fields,
groups, criteria, star bands and dossier documents), and the upload of a workbook.

Shares (0 points at, full points at, the knock-out share of a group) are typed as percentages and
kept as fractions (90 % → 0.90). Numbers are typed the reader's way ("2,5" on Vietnamese pages).
A form parses and checks what was sent; whether the set may still change is checked again when it
is saved, under a lock, so that a set published meanwhile is never written.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.uploads import MAX_UPLOAD_BYTES, TOO_LARGE
from scoring.models import CriteriaGroup, CriteriaSet, Criterion, Measure, RequiredDocument, StarBand
from scoring.models.criteria import BAND_FIELDS, CRITERION_FIELDS
from scoring.services import criteria_set_update
from scoring.services.computation.metrics import METRICS
from scoring.services.criteria_edit import EDITABLE

HUNDRED = Decimal(100)
NOT_A_PERCENTAGE = _("Enter a percentage between 0 and 100.")
TOO_PRECISE = _("Enter a percentage with at most %(places)d decimals.")
WHOLE_PERCENTAGE = _("Enter a whole percentage, such as 50.")
DUPLICATE_CODE = _("Two criteria have the code %(code)s: a code names one criterion of the set.")
GROUP_NOT_EMPTY = _("Group %(group)s still has criteria: delete them or move them to another group first.")


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def number_input(size: int = 6) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "size": size, "autocomplete": "off"})


def plain(value: Decimal) -> Decimal:
    """90.0000 → 90, 62.5000 → 62.5: a percentage as a reader writes it."""
    value = value.quantize(Decimal("0.01"))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class PercentField(forms.DecimalField):
    """A share typed as a percentage; ``clean`` gives the fraction the model keeps."""

    def __init__(self, *, places: int = 2, **kwargs):
        self.places = places
        kwargs.setdefault("widget", number_input(5))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # The form's initial value is the model's fraction; what the user typed comes back as text.
        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            return plain(Decimal(str(value)) * HUNDRED)
        return value

    def to_python(self, value):
        percent = super().to_python(value)
        if percent is None:
            return None
        if not 0 <= percent <= HUNDRED:
            raise ValidationError(NOT_A_PERCENTAGE, code="range")
        if percent != percent.quantize(Decimal(1).scaleb(-self.places)):
            if not self.places:
                raise ValidationError(WHOLE_PERCENTAGE, code="precision")
            raise ValidationError(TOO_PRECISE, code="precision", params={"places": self.places})
        return (percent / HUNDRED).quantize(Decimal(1).scaleb(-(self.places + 2)))

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return (Decimal(str(initial)) if initial is not None else None) != data


def label_of(model, name: str):
    """The model field's own name, capitalised as a form label is."""
    return capfirst(model._meta.get_field(name).verbose_name)


def points_field(label, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=number_input(),
    )


def metric_choices() -> list:
    """The metrics grouped by what they measure, each shown with its code."""
    grouped = defaultdict(list)
    for metric in METRICS.values():
        grouped[metric.measure].append((metric.code, f"{metric.code} — {metric.label}"))
    return [("", _("none (self-assessed)"))] + [
        (Measure(measure).label, choices) for measure, choices in grouped.items()
    ]


# --- A new set ----------------------------------------------------------------------------------


class NewSetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)


# --- The draft's own fields ---------------------------------------------------------------------


class CriteriaSetForm(forms.ModelForm):
    knockout_group_share = PercentField(
        label=_("Minimum share of each group's points (%)"),
        places=0,
        help_text=_("50: no group under half of its points. 0: no such condition."),
    )

    class Meta:
        model = CriteriaSet
        fields = EDITABLE
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 4}),
            "period_start": date_input(),
            "period_end": date_input(),
            "submission_deadline": date_input(),
            "review_deadline": date_input(),
            "appraisal_deadline": date_input(),
            "comment_working_days": forms.NumberInput(attrs={"min": 1, "max": 30}),
            "missing_data_policy": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A cycle without districts (after the 2025 reform) has no district review to date.
        if not self.instance.has_district_step:
            del self.fields["review_deadline"]


# --- Groups, criteria, bands, documents ---------------------------------------------------------


class GroupForm(forms.ModelForm):
    max_points = points_field(label_of(CriteriaGroup, "max_points"))

    class Meta:
        model = CriteriaGroup
        fields = ["code", "name_vi", "name_en", "max_points", "position"]
        widgets = {"code": forms.TextInput(attrs={"size": 6}), "position": forms.NumberInput(attrs={"min": 0})}


class GroupChoiceField(forms.TypedChoiceField):
    """One of the set's groups, from a list read once for the whole formset (no query per row)."""

    def __init__(self, groups: list[CriteriaGroup], **kwargs):
        by_pk = {group.pk: group for group in groups}

        def group_of(value) -> CriteriaGroup:
            group = by_pk.get(int(value))
            if group is None:
                raise ValueError(value)
            return group

        super().__init__(choices=[("", "—")] + [(group.pk, str(group)) for group in groups], coerce=group_of, **kwargs)


class CriterionForm(forms.ModelForm):
    max_points = points_field(label_of(Criterion, "max_points"))
    floor = PercentField(label=_("0 points at (%)"), required=False)
    target = PercentField(label=_("Full points at (%)"), required=False)

    class Meta:
        model = Criterion
        fields = ["group", *CRITERION_FIELDS, "position"]
        widgets = {
            "code": forms.TextInput(attrs={"size": 8}),
            "name_vi": forms.Textarea(attrs={"rows": 2}),
            "name_en": forms.Textarea(attrs={"rows": 2}),
            "guidance_vi": forms.Textarea(attrs={"rows": 2}),
            "guidance_en": forms.Textarea(attrs={"rows": 2}),
            "min_rows": forms.NumberInput(attrs={"min": 0}),
            "position": forms.NumberInput(attrs={"min": 0}),
        }

    def __init__(self, *args, groups: list[CriteriaGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"] = GroupChoiceField(groups, label=_("Group"))
        self.fields["metric"] = forms.ChoiceField(
            label=label_of(Criterion, "metric"), choices=metric_choices(), required=False
        )


class BaseCriterionFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if self._should_delete_form(form) or (form.instance.pk is None and not form.has_changed()):
                continue
            code = (getattr(form, "cleaned_data", None) or {}).get("code")
            if not code:
                continue
            if code in seen:
                raise ValidationError(DUPLICATE_CODE, params={"code": code}, code="duplicate")
            seen.add(code)


class BandForm(forms.ModelForm):
    min_points = points_field(label_of(StarBand, "min_points"))

    class Meta:
        model = StarBand
        fields = BAND_FIELDS
        widgets = {"stars": forms.NumberInput(attrs={"min": 0, "max": 5})}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = RequiredDocument
        fields = ["code", "name_vi", "name_en", "generated", "position"]
        widgets = {"code": forms.TextInput(attrs={"size": 6}), "position": forms.NumberInput(attrs={"min": 0})}


GroupFormSet = forms.inlineformset_factory(CriteriaSet, CriteriaGroup, form=GroupForm, extra=1, can_delete=True)
CriterionFormSet = forms.modelformset_factory(
    Criterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True
)
BandFormSet = forms.inlineformset_factory(CriteriaSet, StarBand, form=BandForm, extra=1, max_num=6, can_delete=True)
DocumentFormSet = forms.inlineformset_factory(
    CriteriaSet, RequiredDocument, form=DocumentForm, extra=1, can_delete=True
)


class CriteriaSetEditor:
    """A draft on one page: its fields and the formsets of its parts, checked together and saved in
    one transaction (nothing is saved when anything is wrong)."""

    def __init__(self, criteria_set: CriteriaSet, data=None):
        self.criteria_set = criteria_set
        self.groups_list = list(criteria_set.groups.order_by("position", "code"))
        self.form = CriteriaSetForm(data, instance=criteria_set, prefix="set")
        self.groups = GroupFormSet(data, instance=criteria_set, prefix="groups", queryset=self._groups())
        self.criteria = CriterionFormSet(
            data,
            prefix="criteria",
            queryset=Criterion.objects.filter(group__criteria_set=criteria_set)
            .select_related("group__criteria_set")
            .order_by("group__position", "group__code", "position", "code"),
            form_kwargs={"groups": self.groups_list},
        )
        self.bands = BandFormSet(data, instance=criteria_set, prefix="bands")
        self.documents = DocumentFormSet(data, instance=criteria_set, prefix="documents")
        self.page_errors: list[str] = []

    def _groups(self):
        return CriteriaGroup.objects.filter(criteria_set=self.criteria_set).order_by("position", "code")

    @property
    def formsets(self):
        return [self.groups, self.criteria, self.bands, self.documents]

    def is_valid(self) -> bool:
        # Every part is checked, so that all the errors show at once.
        valid = all([self.form.is_valid(), *(formset.is_valid() for formset in self.formsets)])
        if valid:
            self._check_groups_left_empty()
        return valid and not self.page_errors

    def _check_groups_left_empty(self) -> None:
        """A group can go only once no criterion stays in it (deleting it would take them along)."""
        kept = {
            form.cleaned_data["group"].pk
            for form in self.criteria.forms
            if form.cleaned_data and not self.criteria._should_delete_form(form)
        }
        for form in self.groups.deleted_forms:
            if form.instance.pk in kept:
                self.page_errors.append(str(GROUP_NOT_EMPTY % {"group": form.instance.code}))

    @property
    def has_errors(self) -> bool:
        return bool(
            self.page_errors or self.form.errors or any(formset.total_error_count() for formset in self.formsets)
        )

    def criteria_by_group(self) -> list[tuple[CriteriaGroup | None, list]]:
        """The criteria forms under their group (as saved), new rows last under no group."""
        forms_of = defaultdict(list)
        for form in self.criteria.forms:
            forms_of[form.instance.group_id if form.instance.pk else None].append(form)
        rows = [(group, forms_of[group.pk]) for group in self.groups_list]
        return [*rows, (None, forms_of[None])]

    def save(self, *, by=None) -> CriteriaSet:
        """Hand the checked page (``is_valid()`` first) to ``criteria_set_update``, which saves all of
        it or nothing. The forms have put what was typed on their rows; nothing is written here."""
        return criteria_set_update(
            criteria_set=self.criteria_set,
            by=by,
            **(self._rows() if self.form.is_bound else {}),  # nothing sent: no row to hand over
            **{name: getattr(self.form.instance, name) for name in EDITABLE},
        )

    def _rows(self) -> dict[str, list]:
        """The changed and new rows of each formset, unsaved, and the rows marked for deletion."""
        rows = {
            "groups": _placed_last(self.groups, lambda group: group.criteria_set_id),
            "criteria": _placed_last(self.criteria, lambda criterion: criterion.group_id),
            "bands": self.bands.save(commit=False),
            "documents": _placed_last(self.documents, lambda document: document.criteria_set_id),
        }
        # A formset knows its deleted rows once saved (with commit=False: read, not written).
        return {**rows, "deleted": [row for formset in self.formsets for row in formset.deleted_objects]}


def _placed_last(formset, parent_of) -> list:
    """The formset's changed and new rows; new rows left at order 0 go after the rows already under
    the same parent."""
    rows = formset.save(commit=False)
    last = defaultdict(int)
    for form in formset.initial_forms:
        last[parent_of(form.instance)] = max(last[parent_of(form.instance)], form.instance.position)
    for row in rows:
        if row.pk is None and not row.position:
            last[parent_of(row)] += 1
            row.position = last[parent_of(row)]
    return rows


# --- Upload -------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_("An Excel workbook up to 5 MB, as exported from this page."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(TOO_LARGE, code="too_large")
        return upload


__all__ = [
    "BandFormSet",
    "CriteriaSetEditor",
    "CriteriaSetForm",
    "CriterionFormSet",
    "DocumentFormSet",
    "GroupFormSet",
    "ImportForm",
    "NewSetForm",
    "PercentField",
]
