"""django-import-export resources for DoHA's exports of a campaign: the anonymous responses, and the
statistics from the stored tallies.

A response row carries what the response itself says (commune, channel, day, answers, comment) and
DoHA's decisions on it; never what made it unique (visit code, kiosk, tablet id, device hash), so a
spreadsheet passed around cannot be joined back to a slip, a tablet or a phone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from core.spreadsheets import cell_value
from surveys.models import Campaign, Channel, Factor, Flag, Question, Response
from surveys.models.questionnaires import NOT_APPLICABLE, SCALE_LABELS
from surveys.selectors import Figure, questionnaire_structure, results_for

CHUNK = 2000


class Value(widgets.Widget):
    """A cell as every export of the portal writes it (core.spreadsheets.cell_value): numbers and dates
    stay numbers and dates, lists are joined with ';', text that would run as a formula stays text."""

    def render(self, value, obj=None, **kwargs):
        return cell_value(value)


VALUE = Value()


def column(attribute: str, name) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=name, widget=VALUE, readonly=True)


class FastExport:
    """import-export looks each field's name up among all fields for every cell, and its Dataset and
    xlsx writer keep every cell as an object; for 10,000 responses with one column per question that
    takes many seconds. Our fields have no dehydrate methods, so rows are made directly and written
    as they come: a CSV streams, a workbook is written by core.spreadsheets' streaming writer."""

    def export_field(self, field, instance, **kwargs):
        return field.export(instance, **kwargs)

    def rows(self, items: Iterable) -> Iterator[list]:
        """The header, then one list of cells per item."""
        yield self.get_export_headers()
        for item in self.iter_queryset(items):
            yield self.export_resource(item)


def _labels(choices) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


class ResponseResource(FastExport, resources.Resource):
    """One row per response of a campaign, with one column per question code (the codebook sheet says
    what each code asks). Scale answers stay numbers (1–5, 0 "not applicable") so that they can be
    averaged; choices, the channel and the quality signals are written as their labels."""

    id = column("pk", _("Response"))
    commune_code = column("commune__code", _("Commune code"))
    commune_name = column("commune__name", _("Commune"))
    channel = column("channel", _("Channel"))
    day = column("submitted_on", _("Day"))

    class Meta:
        chunk_size = CHUNK

    def __init__(self, campaign: Campaign, **kwargs):
        super().__init__(**kwargs)
        self.campaign = campaign
        structure = questionnaire_structure(campaign.questionnaire)
        self.option_labels: dict[str, dict[str, str]] = {}
        for question in structure.questions:
            if question.kind != Question.Kind.TEXT:  # the free text is the comment, below
                self.fields[f"q:{question.code}"] = column(f"answers__{question.code}", question.code)
            if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
                self.option_labels[question.code] = _labels(question.choices())
        # DoHA reads comments as written; the commune only ever gets DoHA's redacted version.
        self.fields["comment"] = column("comment", _("Comment"))
        self.fields["flags"] = column("flag_list", _("Quality signals"))
        self.fields["excluded"] = column("excluded", _("Excluded"))
        self.fields["exclusion_reason"] = column("exclusion_reason", _("Reason for excluding"))
        self.channel_labels = _labels(Channel.choices)
        self.flag_labels = _labels(Flag.choices)

    def _answer(self, code: str, value):
        labels = self.option_labels.get(code)
        if labels is None or value is None:
            return VALUE.render(value)
        if isinstance(value, list):
            return VALUE.render([labels.get(str(item), str(item)) for item in value])
        return VALUE.render(labels.get(str(value), str(value)))

    def _cell(self, name: str, instance):
        if name == "channel":
            return VALUE.render(self.channel_labels.get(instance.channel, instance.channel))
        if name == "flags":
            return VALUE.render([self.flag_labels.get(flag, flag) for flag in instance.flag_list])
        if name == "excluded":
            return str(_("Yes")) if instance.excluded else str(_("No"))
        return None

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # The answers are read from the row's dict once, not walked to through each column's attribute.
        if not hasattr(self, "_plan"):
            names = {id(field): name for name, field in self.fields.items()}
            self._plan = [
                (
                    field,
                    names.get(id(field), ""),
                    field.attribute.removeprefix("answers__") if field.attribute.startswith("answers__") else None,
                )
                for field in self.get_export_fields(selected_fields)
            ]
        answers = instance.answers or {}
        row = []
        for field, name, code in self._plan:
            if code:
                row.append(self._answer(code, answers.get(code)))
            elif name in ("channel", "flags", "excluded"):
                row.append(self._cell(name, instance))
            else:
                row.append(field.export(instance))
        return row

    def get_queryset(self):
        return (
            Response.objects.filter(campaign=self.campaign)
            .select_related("commune")
            .only(
                "pk",
                "commune__code",
                "commune__name",
                "channel",
                "submitted_on",
                "answers",
                "comment",
                "flags",
                "excluded",
                "exclusion_reason",
            )
            .order_by("commune__code", "submitted_on", "pk")
        )


# --- The codebook ------------------------------------------------------------------------------------


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def _answers(question: Question) -> list[tuple[object, str, str]]:
    """(code, Vietnamese label, English label) of each answer a question offers."""
    if question.kind == Question.Kind.SCALE:
        labels = SCALE_LABELS[question.scale]
        values = [5, 4, 3, 2, 1] + ([NOT_APPLICABLE] if question.allows_na else [])
        return [(value, _in("vi", labels[value]), _in("en", labels[value])) for value in values]
    return [
        (str(option.get("value")), option.get("vi") or str(option.get("value")), option.get("en") or "")
        for option in question.options
    ]


def codebook_rows(campaign: Campaign) -> Iterator[list]:
    """The codebook of a campaign's questionnaire: one row per answer of each question (one for a
    question without a list of answers), with the question's text and factor in Vietnamese (and in
    English where the questionnaire has it): what a code in the data sheet means."""
    yield [
        str(_("Question code")),
        str(_("Question (Vietnamese)")),
        str(_("Question (English)")),
        str(_("Kind of answer")),
        str(_("Factor code")),
        str(_("Factor (Vietnamese)")),
        str(_("Answer code")),
        str(_("Answer (Vietnamese)")),
        str(_("Answer (English)")),
    ]
    structure = questionnaire_structure(campaign.questionnaire)
    factors: dict[int, Factor] = {factor.pk: factor for factor in structure.factors}
    for question in structure.questions:
        factor = factors.get(question.factor_id)
        head = [
            question.code,
            question.text_vi,
            question.text_en,
            question.get_kind_display(),
            factor.code if factor else "",
            factor.name_vi if factor else "",
        ]
        answers = _answers(question)
        if question.kind == Question.Kind.TEXT:
            # The free text is written in the data sheet's comment column.
            answers = [("", str(_("(in the column “%(column)s”)") % {"column": _("Comment")}), "")]
        for code, label_vi, label_en in answers or [("", "", "")]:
            yield [cell_value(value) for value in (*head, code, label_vi, label_en)]


CODEBOOK_WIDTHS = (12, 60, 40, 16, 10, 40, 12, 36, 30)


@dataclass(frozen=True)
class StatisticsRow:
    commune_code: str
    commune_name: str
    factor_code: str
    factor_name: str
    group: str
    responses: int
    answered: int
    mean: float | None
    share: float | None
    low: float | None
    high: float | None
    enough: bool


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def statistics_rows(campaign: Campaign) -> list[StatisticsRow]:
    """Every commune × factor figure of the campaign from the stored tallies, verified channels and
    open link apart (three queries, whatever the number of communes)."""
    communes = list(campaign.communes.order_by("code").only("pk", "code", "name"))
    results = results_for(campaign, [commune.pk for commune in communes])
    groups = (
        (_("verified (visit code, kiosk)"), "figures", "responses"),
        (_("open link"), "link_figures", "link_responses"),
    )
    rows = []
    for commune in communes:
        result = results[commune.pk]
        for label, figures_name, responses_name in groups:
            figure: Figure
            for figure in getattr(result, figures_name):
                rows.append(
                    StatisticsRow(
                        commune_code=commune.code,
                        commune_name=commune.name,
                        factor_code=figure.factor.code,
                        factor_name=figure.factor.name,
                        group=str(label),
                        responses=getattr(result, responses_name),
                        answered=figure.answered,
                        mean=_rounded(figure.mean, 2),
                        share=_rounded(figure.percent, 1),
                        low=_rounded(figure.low_percent, 1),
                        high=_rounded(figure.high_percent, 1),
                        enough=figure.enough,
                    )
                )
    return rows


class StatisticsResource(FastExport, resources.Resource):
    """One row per commune × factor × channel group, read from the stored tallies."""

    commune_code = column("commune_code", _("Commune code"))
    commune_name = column("commune_name", _("Commune"))
    factor_code = column("factor_code", _("Factor code"))
    factor_name = column("factor_name", _("Factor"))
    group = column("group", _("Channels"))
    responses = column("responses", _("Responses"))
    answered = column("answered", _("Answers (n)"))
    mean = column("mean", _("Mean (1–5)"))
    share = column("share", _("Satisfied (%)"))
    low = column("low", _("95% interval, low (%)"))
    high = column("high", _("95% interval, high (%)"))
    enough = column("enough", _("Enough answers"))
