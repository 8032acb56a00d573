"""The questionnaire's sections grouped into the screens of ``surveys.selectors.questionnaire_screens``,
for ``surveys/_questionnaire.html``: the whole form is on the page, one ``<section>`` a screen, and
static/js/survey-screens.js shows one screen at a time where scripts run."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template

from surveys.selectors import Structure, questionnaire_screens
from surveys.templatetags.surveys_tags import Section, questionnaire_sections

register = template.Library()


@dataclass
class ScreenPart:
    key: str
    title: str
    number: int  # 1-based, as the progress says it
    total: int
    sections: list[Section] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"survey-screen-{self.number}"

    @property
    def titled_by_heading(self) -> bool:
        """A screen of one section: its heading names the section, whose legend is then for readers only."""
        return len(self.sections) == 1


@register.simple_tag
def questionnaire_screen_parts(structure: Structure, answers: dict | None = None, error: str = "") -> list[ScreenPart]:
    """The sections of ``questionnaire_sections`` (answers marked, the item named in ``error`` flagged),
    each in its screen. A section never spans two screens: screens only join sections."""
    screens = questionnaire_screens(structure)
    parts = [
        ScreenPart(key=screen.key, title=screen.title, number=number, total=len(screens))
        for number, screen in enumerate(screens, start=1)
    ]
    part_of = {code: part for part, screen in zip(parts, screens, strict=True) for code in screen.questions}
    for section in questionnaire_sections(structure, answers, error):
        part_of[section.items[0].code].sections.append(section)
    return parts
