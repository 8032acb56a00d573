"""Forms of the staff pages: the queue's filters, one form per action on an item, the categories.

Action forms only parse input; the rules (which step follows which, time limits) are the services'.
Each action form takes the item; its HTML ids carry the action's name, so the forms of one page never
share an id.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    Category,
    Feedback,
    RefusalReason,
    Status,
)
from feedback.selectors.staff import OPEN
from feedback.services import normalise_code

EXTENSION_MAX_DAYS = 30
CATEGORY_MAX_DAYS = 90
DUPLICATE_CODE_MISSING = _("Give the tracking code of the feedback this one repeats.")
DUPLICATE_UNKNOWN = _("No other feedback has this tracking code.")


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- The queue ----------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), (OPEN, _("All open")), *Status.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.none(), empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Title or tracking code contains"), required=False, max_length=100)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored and shown with its error)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}


# --- Actions on an item -------------------------------------------------------------------------


class ActionForm(forms.Form):
    """An action's form: the item is known, so the form can check what depends on it."""

    def __init__(self, *args, feedback: Feedback, **kwargs):
        self.feedback = feedback
        super().__init__(*args, **kwargs)


class AcceptForm(ActionForm):
    pass


class RefuseForm(ActionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=RefusalReason.choices)
    duplicate_code = forms.CharField(
        label=_("Tracking code of the earlier feedback"),
        required=False,
        max_length=20,
        help_text=_("Only when the feedback repeats another one."),
    )
    public_text = forms.CharField(
        label=_("Explanation for the citizen"), max_length=REASON_MAX, widget=textarea(), help_text=_("Public.")
    )

    def clean(self):
        data = super().clean()
        data["duplicate_of"] = None
        if data.get("reason") == RefusalReason.DUPLICATE:
            code = normalise_code(data.get("duplicate_code", ""))
            if not code:
                self.add_error("duplicate_code", DUPLICATE_CODE_MISSING)
            else:
                other = Feedback.objects.exclude(pk=self.feedback.pk).filter(code=code).first()
                if other is None:
                    self.add_error("duplicate_code", DUPLICATE_UNKNOWN)
                data["duplicate_of"] = other
        return data


class StartForm(ActionForm):
    public_text = forms.CharField(
        label=_("Message to the citizen"),
        required=False,
        max_length=REASON_MAX,
        widget=textarea(3),
        help_text=_("Optional. Public."),
    )


class ForwardForm(ActionForm):
    to_unit = forms.CharField(label=_("Competent unit"), max_length=255)
    public_text = forms.CharField(
        label=_("Explanation for the citizen"), max_length=REASON_MAX, widget=textarea(3), help_text=_("Public.")
    )


class ExtendForm(ActionForm):
    working_days = forms.IntegerField(
        label=_("Extra working days"), min_value=1, max_value=EXTENSION_MAX_DAYS, help_text=_("From 1 to 30.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=textarea(3), help_text=_("Public."))


class ResolveForm(ActionForm):
    answer = forms.CharField(
        label=_("Official answer"), max_length=ANSWER_MAX, widget=textarea(8), help_text=_("Public.")
    )


class CloseForm(ActionForm):
    reason = forms.CharField(
        label=_("Why it cannot be resolved"), max_length=REASON_MAX, widget=textarea(3), help_text=_("Public.")
    )


class RedactForm(ActionForm):
    public_title = forms.CharField(
        label=_("Public title"), required=False, max_length=TITLE_MAX, help_text=_("Empty: the original is shown.")
    )
    public_description = forms.CharField(
        label=_("Public description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=textarea(6),
        help_text=_("Empty: the original is shown."),
    )
    hidden_photos = forms.TypedMultipleChoiceField(
        label=_("Photos hidden from the public"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        photos = list(photos)
        feedback = self.feedback
        self.fields["public_title"].initial = feedback.shown_title
        self.fields["public_description"].initial = feedback.shown_description
        field = self.fields["hidden_photos"]
        field.choices = [(photo.pk, _("Photo %(number)d") % {"number": n}) for n, photo in enumerate(photos, 1)]
        field.initial = [photo.pk for photo in photos if photo.hidden]
        if not photos:
            field.widget = forms.MultipleHiddenInput()

    def clean(self):
        data = super().clean()
        # A text left as the citizen wrote it is no moderation: the original is shown (and stays current).
        for name, original in (
            ("public_title", self.feedback.title),
            ("public_description", self.feedback.description),
        ):
            if name in data and data[name].strip() == original.strip():
                data[name] = ""
        return data


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": AcceptForm,
    "refuse": RefuseForm,
    "start": StartForm,
    "forward": ForwardForm,
    "extend": ExtendForm,
    "resolve": ResolveForm,
    "close": CloseForm,
    "redact": RedactForm,
}


def action_form(action: str, feedback: Feedback, *, data=None, photos=()) -> ActionForm:
    """The form of ``action``; its HTML ids carry the action's name, as the item's page shows several
    forms with the same field names."""
    form_class = ACTION_FORMS[action]
    extra = {"photos": photos} if form_class is RedactForm else {}
    return form_class(data, feedback=feedback, auto_id=f"id_{action}-%s", **extra)


# --- Categories ---------------------------------------------------------------------------------


class CategoryForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Category name"), max_length=150)
    time_limit_days = forms.IntegerField(
        label=_("Time limit (working days)"), min_value=1, max_value=CATEGORY_MAX_DAYS, initial=10
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)
    active = forms.BooleanField(label=_("Open for new feedback"), required=False, initial=True)


CategoryFormSet = forms.formset_factory(CategoryForm, extra=3)


def category_initial(category: Category) -> dict:
    return {
        "id": category.pk,
        "name": category.name,
        "time_limit_days": category.time_limit_days,
        "position": category.position,
        "active": category.active,
    }
