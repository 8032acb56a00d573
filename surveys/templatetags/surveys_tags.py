"""Template helpers of the survey pages.

``questionnaire_sections`` turns a questionnaire version and the answers so far into what the shared
fragment ``surveys/_questionnaire.html`` draws (the citizens' survey pages include it).
``results_chart`` computes the geometry of the results panel's chart from figures already read
(surveys.selectors.results_panel_for_commune): templates only place what is already measured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.models import COMMENT_MAX, NOT_APPLICABLE, Condition, Question
from surveys.selectors import Figure, Structure

register = template.Library()


# --- The questionnaire -----------------------------------------------------------------------------

PART_LEGENDS = {
    Question.Part.PROFILE: _("About you (optional)"),
    Question.Part.EXPECTATION: _("What should improve"),
    Question.Part.COMMENT: _("Your comment (optional)"),
    Question.Part.ITEM: _("Questions"),
}


def html_id(code: str) -> str:
    """'F1.1' → 'q-F1-1': question codes carry dots, which CSS selectors and fragment links trip on."""
    return "q-" + re.sub(r"[^A-Za-z0-9_-]", "-", code)


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool
    not_applicable: bool = False


@dataclass
class Item:
    question: Question
    id: str
    choices: list[Choice] = field(default_factory=list)
    value: str = ""  # a number or the comment, as typed
    condition_question: str = ""
    condition_value: str = ""
    condition_note: str = ""  # said once, before the first of the items it hides
    invalid: bool = False

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def required(self) -> bool:
        return self.question.required

    @property
    def max_choices(self) -> int | None:
        return self.question.max_choices

    @property
    def max_length(self) -> int:
        return COMMENT_MAX

    @property
    def has_choices(self) -> bool:
        return self.kind in (Question.Kind.SCALE, Question.Kind.SINGLE, Question.Kind.MULTIPLE)

    @property
    def is_scale(self) -> bool:
        return self.kind == Question.Kind.SCALE

    @property
    def is_multiple(self) -> bool:
        return self.kind == Question.Kind.MULTIPLE

    @property
    def is_number(self) -> bool:
        return self.kind == Question.Kind.NUMBER

    @property
    def is_text(self) -> bool:
        return self.kind == Question.Kind.TEXT


@dataclass
class Section:
    id: str
    legend: str
    items: list[Item]


def _given(answers: dict, code: str) -> set[str]:
    value = answers.get(code)
    if value in (None, "", []):
        return set()
    return {str(item) for item in value} if isinstance(value, list | tuple) else {str(value)}


def _condition_note(condition: Condition, by_code: dict[str, Question]) -> str:
    source = by_code.get(condition.question)
    if source is None:
        return ""
    return gettext("Only if you answered “%(answer)s” to “%(question)s”.") % {
        "answer": source.option_label(condition.value),
        "question": source.text,
    }


def _item(question: Question, answers: dict, error: str) -> Item:
    base = html_id(question.code)
    given = _given(answers, question.code)
    item = Item(question=question, id=base, invalid=bool(error) and f"“{question.text}”" in error)
    if question.kind in (Question.Kind.NUMBER, Question.Kind.TEXT):
        value = answers.get(question.code)
        item.value = "" if value is None else str(value)
        return item
    item.choices = [
        Choice(
            value=value,
            label=label,
            id=f"{base}-{index}",
            checked=value in given,
            not_applicable=question.kind == Question.Kind.SCALE and value == str(NOT_APPLICABLE),
        )
        for index, (value, label) in enumerate(question.choices())
    ]
    return item


@register.simple_tag
def questionnaire_sections(structure: Structure, answers: dict | None = None, error: str = "") -> list[Section]:
    """The items in their order, one section per factor (or per part for the items outside factors),
    each marked with the answers given so far; the first item named in ``error`` is marked invalid."""
    answers = answers or {}
    factors = {factor.pk: factor for factor in structure.factors}
    by_code = {question.code: question for question in structure.questions}
    sections: list[Section] = []
    key = None
    previous_condition: Condition | None = None
    marked = False
    for question in structure.questions:
        question_key = ("factor", question.factor_id) if question.factor_id else ("part", question.part)
        if question_key != key:
            key = question_key
            factor = factors.get(question.factor_id)
            legend = factor.name if factor else str(PART_LEGENDS.get(question.part, PART_LEGENDS[Question.Part.ITEM]))
            sections.append(Section(id=f"survey-section-{len(sections) + 1}", legend=legend, items=[]))
            previous_condition = None
        item = _item(question, answers, "" if marked else error)
        marked = marked or item.invalid
        # The condition reaches the page as data; static/js/surveys.js applies Condition.met to it.
        condition = question.condition
        if condition:
            item.condition_question = condition.question
            item.condition_value = condition.value
            if condition != previous_condition:
                item.condition_note = _condition_note(condition, by_code)
        previous_condition = condition
        sections[-1].items.append(item)
    return sections


# --- The results panel of the commune page ---------------------------------------------------------

CHART_WIDTH = 400  # viewBox units; the stylesheet caps the drawn width so text stays readable
TRACK_WIDTH = 340  # the bars' 0–100%; the value is written to their right
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 14
OVERALL_GAP = 12  # the overall question is set apart from the factors
CAP_HALF = 6  # the whiskers' end caps
AXIS_HEIGHT = 22
LABEL_MAX_CHARS = 56  # SVG text does not wrap; the full name is in the <title> and the table
TICKS = (0, 25, 50, 75, 100)


def _n(value: float) -> str:
    """An SVG coordinate, written without the locale's decimal comma."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shorten(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Bar:
    figure: Figure
    label: str
    label_y: str
    bar_y: str
    centre_y: str
    value_y: str
    cap_top: str
    cap_bottom: str
    width: str = "0"
    low_x: str = "0"
    high_x: str = "0"
    divider_y: str = ""  # a line above the overall row

    @property
    def name(self) -> str:
        return self.figure.factor.name

    @property
    def enough(self) -> bool:
        return self.figure.enough

    @property
    def overall(self) -> bool:
        return self.figure.factor.is_overall


@dataclass
class Tick:
    percent: int
    x: str
    anchor: str


@dataclass
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    width: str
    height: str
    track_width: str
    value_x: str
    bar_height: str
    grid_top: str
    grid_bottom: str
    axis_y: str


@register.simple_tag
def results_chart(figures: list[Figure]) -> Chart:
    """A horizontal bar chart of the share satisfied by factor, with the Wilson interval as whiskers;
    figures below the minimum are drawn as a hatched track with no share."""
    bars = []
    y = 0.0
    for figure in figures:
        divider = ""
        if figure.factor.is_overall and bars:
            divider = _n(y + OVERALL_GAP / 2 - ROW_GAP / 2)
            y += OVERALL_GAP
        bar_top = y + LABEL_HEIGHT
        centre = bar_top + BAR_HEIGHT / 2
        bar = Bar(
            figure=figure,
            label=_shorten(figure.factor.name),
            label_y=_n(y + LABEL_HEIGHT - 6),
            bar_y=_n(bar_top),
            centre_y=_n(centre),
            value_y=_n(centre + 5),
            cap_top=_n(centre - CAP_HALF),
            cap_bottom=_n(centre + CAP_HALF),
            divider_y=divider,
        )
        if figure.enough and figure.share is not None:
            low, high = figure.interval
            bar.width = _n(TRACK_WIDTH * figure.share)
            bar.low_x = _n(TRACK_WIDTH * low)
            bar.high_x = _n(TRACK_WIDTH * high)
        bars.append(bar)
        y = bar_top + BAR_HEIGHT + ROW_GAP
    grid_bottom = y - ROW_GAP + 4
    ticks = [
        Tick(percent=percent, x=_n(TRACK_WIDTH * percent / 100), anchor="start" if percent == 0 else "middle")
        for percent in TICKS
    ]
    return Chart(
        bars=bars,
        ticks=ticks,
        width=_n(CHART_WIDTH),
        height=_n(grid_bottom + AXIS_HEIGHT),
        track_width=_n(TRACK_WIDTH),
        value_x=_n(CHART_WIDTH),
        bar_height=_n(BAR_HEIGHT),
        grid_top=_n(LABEL_HEIGHT - 2),
        grid_bottom=_n(grid_bottom),
        axis_y=_n(grid_bottom + AXIS_HEIGHT - 6),
    )
