"""What the API says about survey results and the questionnaire a visit code opens, and what it takes
as an answer.

Figures come from the stored tallies exactly as the commune page's results panel shows them: a figure
below the campaign's minimum of answers has its count (n) and nothing else, as the page writes "not
enough answers". Nothing here reads a response, let alone a comment.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.api.serializers import UnitRefOut
from surveys.forms.public import ANSWER_INPUT_MAX
from surveys.models import COMMENT_MAX, NOT_APPLICABLE, Question, Scale
from surveys.selectors import questionnaire_screens

# Shares and intervals as fractions (0 to 1), to four places: the page shows whole percents.
SHARE_PLACES = 4
MEAN_PLACES = 2  # the page's "mean score (1 to 5)"
ANSWERS_MAX = 200  # a questionnaire has a few dozen items; anything far larger is not an answer
CHOICES_MAX = 50
TOO_MANY_ANSWERS = _("Too many answers for one questionnaire.")


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


# --- Results ---------------------------------------------------------------------------------------


class IntervalOut(serializers.Serializer):
    low = serializers.FloatField(help_text="Lower bound of the 95% Wilson interval, as a fraction.")
    high = serializers.FloatField(help_text="Upper bound of the 95% Wilson interval, as a fraction.")


class _FigureBase(serializers.Serializer):
    code = serializers.CharField(source="factor.code")
    name = serializers.CharField(source="factor.name")
    n = serializers.IntegerField(source="answered", help_text="How many answered the item(s) of this factor.")
    enough = serializers.BooleanField(
        help_text="False below the campaign's minimum: the figure is then not shown (only n) and not scored."
    )
    share_satisfied = serializers.SerializerMethodField(
        help_text="The share who answered 4 or 5 on the 5-point scale, as a fraction; null without enough answers."
    )
    interval_95 = serializers.SerializerMethodField(
        help_text="The 95% Wilson score interval of the share satisfied; null without enough answers."
    )

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_share_satisfied(self, figure) -> float | None:
        return _rounded(figure.share, SHARE_PLACES) if figure.enough else None

    @extend_schema_field(IntervalOut(allow_null=True))
    def get_interval_95(self, figure) -> dict | None:
        if not figure.enough or figure.interval is None:
            return None
        low, high = figure.interval
        return {"low": round(low, SHARE_PLACES), "high": round(high, SHARE_PLACES)}


class FigureOut(_FigureBase):
    """One factor's (or the overall question's) figure over the verified answers."""

    mean = serializers.SerializerMethodField(help_text="The mean score from 1 to 5; null without enough answers.")

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_mean(self, figure) -> float | None:
        return _rounded(figure.mean, MEAN_PLACES) if figure.enough else None


class LinkFigureOut(_FigureBase):
    """A figure over the open link's answers: anyone can use the link, so it proves no visit and is
    counted apart (the page gives the share and its interval, not the mean)."""


class LinkResultsOut(serializers.Serializer):
    responses = serializers.IntegerField(source="link_responses")
    figures = LinkFigureOut(source="link_figures", many=True)


class CampaignOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    in_progress = serializers.BooleanField(source="is_open")
    min_responses = serializers.IntegerField(
        help_text="Below this many answers a figure is not shown and not used for scoring."
    )
    statistics_at = serializers.DateTimeField(
        allow_null=True, help_text="When the figures were last computed from the answers."
    )


class CommuneResultsOut(serializers.Serializer):
    campaign = CampaignOut()
    responses = serializers.IntegerField(help_text="Verified answers: with a visit code or at the counter's tablet.")
    enough = serializers.BooleanField()
    overall = FigureOut(allow_null=True, help_text="The overall satisfaction question.")
    factors = FigureOut(source="factor_figures", many=True)
    index = serializers.SerializerMethodField(
        help_text="SIPAS-like index in percent: the mean of the factors' shares satisfied, over the factors "
        "with enough answers; null when none has."
    )
    link = serializers.SerializerMethodField()

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_index(self, results) -> float | None:
        return _rounded(results.index, 2)

    @extend_schema_field(LinkResultsOut(allow_null=True))
    def get_link(self, results) -> dict | None:
        return LinkResultsOut(results).data if results.link_responses else None


class SurveyFiguresOut(serializers.Serializer):
    """The commune page's survey panel: the figures of the latest campaign with stored figures."""

    commune = UnitRefOut()
    results = CommuneResultsOut(allow_null=True, help_text="Null when no figures were published for the commune.")
    answering_open = serializers.SerializerMethodField(
        help_text="A campaign covering the commune is open today (answers through the web survey page)."
    )
    survey_url = serializers.SerializerMethodField(help_text="The web page where a visitor answers, when open.")

    def get_answering_open(self, panel) -> bool:
        return bool(panel.open_campaign and panel.commune.is_current)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_survey_url(self, panel) -> str | None:
        if not self.get_answering_open(panel):
            return None
        return reverse("surveys:commune_survey", kwargs={"pk": panel.commune.pk})


# --- The questionnaire of a visit code -----------------------------------------------------------


class ChoiceOut(serializers.Serializer):
    value = serializers.CharField(help_text="What to send as the answer.")
    label = serializers.CharField()
    not_applicable = serializers.BooleanField(help_text="'Not applicable / don't know': counts as no answer.")


class ConditionOut(serializers.Serializer):
    question = serializers.CharField(help_text="The code of the question whose answer decides.")
    value = serializers.CharField(help_text="The item is asked only when that answer is exactly this value.")


class QuestionOut(serializers.Serializer):
    code = serializers.CharField(help_text="The key of the answer in the posted `answers`.")
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    part = serializers.ChoiceField(choices=Question.Part.choices)
    scale = serializers.ChoiceField(choices=Scale.choices, allow_blank=True)
    factor = serializers.SerializerMethodField(help_text="The code of the factor the item belongs to.")
    text = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.SerializerMethodField()
    max_choices = serializers.IntegerField(allow_null=True, help_text="For several choices: at most this many.")
    max_length = serializers.SerializerMethodField(help_text="For free text: at most this many characters.")
    shown_if = serializers.SerializerMethodField(
        help_text="Asked (and counted) only when this condition is met; answers to a hidden item are dropped."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_factor(self, question) -> str | None:
        factor = self.context["factors"].get(question.factor_id)
        return factor.code if factor else None

    @extend_schema_field(ChoiceOut(many=True))
    def get_choices(self, question) -> list[dict]:
        if question.kind not in (Question.Kind.SCALE, Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            return []
        return [
            {
                "value": value,
                "label": label,
                "not_applicable": question.kind == Question.Kind.SCALE and value == str(NOT_APPLICABLE),
            }
            for value, label in question.choices()
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_max_length(self, question) -> int | None:
        return COMMENT_MAX if question.kind == Question.Kind.TEXT else None

    @extend_schema_field(ConditionOut(allow_null=True))
    def get_shown_if(self, question) -> dict | None:
        return question.condition.as_data() if question.condition else None


class FactorOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    overall = serializers.BooleanField(source="is_overall")


class ScreenOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    questions = serializers.ListField(child=serializers.CharField(), help_text="Question codes, in order.")


class QuestionnaireOut(serializers.Serializer):
    """A questionnaire version's items as the web survey page and the kiosk ask them."""

    id = serializers.IntegerField(source="questionnaire_id")
    title = serializers.SerializerMethodField()
    intro = serializers.SerializerMethodField()
    factors = FactorOut(many=True)
    questions = serializers.SerializerMethodField()
    screens = serializers.SerializerMethodField(
        help_text="The questions cut into screens (one per factor), as the kiosk and the web page go."
    )

    def get_title(self, structure) -> str:
        return self.context["questionnaire"].title

    def get_intro(self, structure) -> str:
        return self.context["questionnaire"].intro

    @extend_schema_field(QuestionOut(many=True))
    def get_questions(self, structure) -> list[dict]:
        context = {**self.context, "factors": {factor.pk: factor for factor in structure.factors}}
        return QuestionOut(structure.questions, many=True, context=context).data

    @extend_schema_field(ScreenOut(many=True))
    def get_screens(self, structure) -> list[dict]:
        return [screen.as_data() for screen in questionnaire_screens(structure)]


class CampaignRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class VisitOut(serializers.Serializer):
    """What a visit code opens: the commune and day of the visit, and the questionnaire to answer."""

    code = serializers.CharField(help_text="The code, normalised (capitals, no dash).")
    commune = UnitRefOut()
    campaign = CampaignRefOut()
    visit_day = serializers.DateField()
    valid_until = serializers.DateField(help_text="The last day the code can be answered.")
    questionnaire = QuestionnaireOut(source="structure")
    started = serializers.CharField(
        help_text="Send it back with the answers: the time taken to answer is a quality signal, never a refusal."
    )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "maxLength": COMMENT_MAX + 100},
            {"type": "integer"},
            {"type": "array", "items": {"type": "string", "maxLength": ANSWER_INPUT_MAX}, "maxItems": CHOICES_MAX},
        ],
        "description": "A choice's value or a number (text or integer), the comment's text, or a list of "
        "values for a question with several choices.",
    }
)
class AnswerField(serializers.Field):
    """One answer as the web form or the kiosk sends it; the service checks it against the question."""

    default_error_messages = {"invalid": _("Not a valid answer.")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            return data
        if isinstance(data, str):
            if len(data) > COMMENT_MAX + 100:
                self.fail("invalid")
            return data
        if (
            isinstance(data, list)
            and len(data) <= CHOICES_MAX
            and all(isinstance(item, str) and len(item) <= ANSWER_INPUT_MAX for item in data)
        ):
            return [item.strip() for item in data if item.strip()]
        self.fail("invalid")

    def to_representation(self, value):
        return value


class VisitResponseIn(serializers.Serializer):
    answers = serializers.DictField(
        child=AnswerField(),
        allow_empty=False,
        help_text="The answers by question code (`questions[].code`); items left out are not answered.",
    )
    started = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The `started` mark the questionnaire came with.",
    )

    def validate_answers(self, answers: dict) -> dict:
        if len(answers) > ANSWERS_MAX:
            raise serializers.ValidationError(TOO_MANY_ANSWERS)
        return answers


class VisitResponseOut(serializers.Serializer):
    received = serializers.BooleanField()
    commune = UnitRefOut()
    submitted_on = serializers.DateField()
