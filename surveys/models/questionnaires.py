"""Versioned questionnaires: factors, questions and their 5-point scales, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A response stores each factor's score in its own column (hundredths of a point, 100–500) so that a
# province's statistics are one pass of database aggregates over narrow rows.
MAX_FACTORS = 7


def bilingual(obj, field: str) -> str:
    """The Vietnamese or English text of a questionnaire element, by the active language."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{field}_en" if language == "en" else f"{field}_vi") or getattr(obj, f"{field}_vi")


class Scale(models.TextChoices):
    SATISFACTION = "satisfaction", _("satisfaction (very dissatisfied … very satisfied)")
    AGREEMENT = "agreement", _("agreement (strongly disagree … strongly agree)")


SCALE_LABELS = {
    Scale.SATISFACTION: {
        1: _("Very dissatisfied"),
        2: _("Dissatisfied"),
        3: _("Neutral"),
        4: _("Satisfied"),
        5: _("Very satisfied"),
        0: _("Not applicable / Don't know"),
    },
    Scale.AGREEMENT: {
        1: _("Strongly disagree"),
        2: _("Disagree"),
        3: _("Neither agree nor disagree"),
        4: _("Agree"),
        5: _("Strongly agree"),
        0: _("Not applicable"),
    },
}
NOT_APPLICABLE = 0


class Questionnaire(models.Model):
    """One version of a questionnaire. Once a response exists it is frozen; a change makes a new version."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    intro_vi = models.TextField(_("introduction (Vietnamese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Legal basis and provenance of the items."))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="survey_questionnaire_unique_version",
                violation_error_message=_("This questionnaire already has that version."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk and self.is_frozen:
            raise FrozenQuestionnaire(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return bilingual(self, "title")

    @property
    def intro(self) -> str:
        return bilingual(self, "intro")

    @property
    def is_frozen(self) -> bool:
        return self.campaigns.filter(responses__isnull=False).exists()


FROZEN_MESSAGE = _("This questionnaire version already has answers and can no longer change; make a new version.")


class FrozenQuestionnaire(Exception):
    """An answered version was about to change."""


class FrozenPart(models.Model):
    """A part of a questionnaire (factor, question) that cannot change once the version has answers."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.questionnaire_id and self.questionnaire.is_frozen:
            raise FrozenQuestionnaire(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.questionnaire.is_frozen:
            raise FrozenQuestionnaire(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)


class Factor(FrozenPart):
    """A group of items whose score is reported on its own (a SIPAS factor, or a dimension)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="factors", verbose_name=_("questionnaire")
    )
    code = models.CharField(_("code"), max_length=20)
    slot = models.PositiveSmallIntegerField(
        _("column"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_FACTORS)],
        help_text=_("0 is the overall question; 1–7 the factors, in the order they are shown."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        ordering = ["questionnaire", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_factor_unique_code"),
            models.UniqueConstraint(fields=["questionnaire", "slot"], name="survey_factor_unique_slot"),
            models.CheckConstraint(condition=Q(slot__lte=MAX_FACTORS), name="survey_factor_slot_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self, "name")

    @property
    def is_overall(self) -> bool:
        return self.slot == 0


@dataclass(frozen=True)
class Condition:
    """An item asked only after another item got a given answer (``Question.shown_if``).

    ``met`` is the one rule: the service drops the answers to items whose condition is not met, and the
    pages' scripts hide those items by the same comparison, applied to this data as the page gives it
    (the questionnaire's ``data-shown-if``/``data-shown-value`` attributes, the kiosk's JSON)."""

    question: str
    value: str

    def met(self, answers: dict) -> bool:
        """Whether the answer to ``question`` is ``value``: one answer, compared as text (a form posts
        text, a cleaned answer may be a number); a list of choices never meets a condition."""
        given = answers.get(self.question)
        return given is not None and not isinstance(given, list | tuple) and str(given) == self.value

    def as_data(self) -> dict:
        return {"question": self.question, "value": self.value}


class Question(FrozenPart):
    """One item. A factor's score is its headline item's answer, or the mean of its scale items."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("5-point scale")
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")
        NUMBER = "number", _("number")
        TEXT = "text", _("free text")

    class Part(models.TextChoices):
        PROFILE = "profile", _("about the respondent")
        ITEM = "item", _("question")
        EXPECTATION = "expectation", _("expectation")
        COMMENT = "comment", _("comment")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    factor = models.ForeignKey(
        Factor, on_delete=models.CASCADE, null=True, blank=True, related_name="questions", verbose_name=_("factor")
    )
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(_("order"))
    part = models.CharField(_("part"), max_length=12, choices=Part.choices, default=Part.ITEM)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scale = models.CharField(_("scale"), max_length=12, choices=Scale.choices, blank=True)
    headline = models.BooleanField(_("headline item of its factor"), default=False)
    required = models.BooleanField(_("required"), default=False)
    allows_na = models.BooleanField(_("offers 'not applicable'"), default=True)
    text_vi = models.CharField(_("text (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    # [{"value": "yes", "vi": "Có", "en": "Yes", "free_text": false}, ...]
    options = models.JSONField(_("options"), default=list, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True, blank=True)
    # Shown (and counted) only when another item has the given value: {"question": "F5.0", "value": "yes"}.
    shown_if = models.JSONField(_("shown only if"), default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_question_unique_code"),
            models.CheckConstraint(condition=~Q(kind="scale") | ~Q(scale=""), name="survey_question_scale_has_scale"),
            models.UniqueConstraint(
                fields=["factor"], condition=Q(headline=True), name="survey_question_one_headline_per_factor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return bilingual(self, "text")

    @property
    def condition(self) -> Condition | None:
        condition = self.shown_if or {}
        if not condition.get("question"):
            return None
        return Condition(question=str(condition["question"]), value=str(condition.get("value", "")))

    def shown_given(self, answers: dict) -> bool:
        """Whether the item is asked, given the answers so far."""
        return self.condition is None or self.condition.met(answers)

    def option_label(self, value: str) -> str:
        for option in self.options:
            if str(option.get("value")) == str(value):
                return bilingual_option(option)
        return str(value)

    def choices(self) -> list[tuple[str, str]]:
        if self.kind == self.Kind.SCALE:
            labels = SCALE_LABELS[self.scale]
            values = [5, 4, 3, 2, 1] + ([NOT_APPLICABLE] if self.allows_na else [])
            return [(str(value), str(labels[value])) for value in values]
        return [(str(option["value"]), bilingual_option(option)) for option in self.options]


def bilingual_option(option: dict) -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return option.get(language) or option.get("vi") or str(option.get("value"))
