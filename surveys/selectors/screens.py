"""A questionnaire cut into screens, one factor a screen: the one rule of the kiosk and of the citizens'
pages, so that a respondent meets the same steps at the counter and on a phone."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from surveys.models import Question
from surveys.selectors.submission import Structure

# Screen titles for the questions that belong to no factor.
PROFILE_TITLE = _("About you")
SUGGESTIONS_TITLE = _("Your suggestions")


@dataclass
class Screen:
    key: str  # "profile", "factor-<pk>" or "suggestions": stable while the version lives
    title: str
    questions: list[str] = field(default_factory=list)  # question codes, in the questionnaire's order

    def as_data(self) -> dict:
        """The screen as the kiosk's JSON gives it."""
        return {"key": self.key, "title": self.title, "questions": list(self.questions)}


def questionnaire_screens(structure: Structure) -> list[Screen]:
    """The questions cut into screens: one per factor, the respondent's profile on one, the
    expectations and the comment together on the last, in the questionnaire's order; titles in the
    active language."""
    factor_names = {factor.pk: factor.name for factor in structure.factors}
    screens: list[Screen] = []
    for question in structure.questions:
        if question.factor_id:
            key, title = f"factor-{question.factor_id}", factor_names[question.factor_id]
        elif question.part == Question.Part.PROFILE:
            key, title = "profile", str(PROFILE_TITLE)
        else:
            key, title = "suggestions", str(SUGGESTIONS_TITLE)
        if not screens or screens[-1].key != key:
            screens.append(Screen(key=key, title=title))
        screens[-1].questions.append(question.code)
    return screens
