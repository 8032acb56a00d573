"""Forms of the oversight boards' back office. They parse and type the input; the law's rules (one
inspection board per term, the election by the residents, the 15 days of art. 40) are the services'."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from communes.forms.one_stop import submission_field
from communes.models import Commune, Village
from core import clock
from core.uploads import PdfUploadField
from democracy.models import Board, BoardDocument, BoardKind, DocumentKind, Matter, Position
from democracy.models.oversight import PlanPeriod
from democracy.selectors.boards import election_matters, reports_of_board

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, *, required: bool = True, initial=None, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, initial=initial, help_text=help_text, widget=DATE)


def _subject_field() -> forms.CharField:
    return forms.CharField(
        label=capfirst(_("works supervised")),
        max_length=255,
        required=False,
        help_text=_("For an investment supervision board: the works it supervises."),
    )


def _elected_by_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=capfirst(_("elected by the residents' decision")),
        queryset=Matter.objects.none(),
        required=False,
        empty_label=_("Not on the portal"),
        help_text=_("A matter of this commune on electing board members (item 5 of art. 15), recognised."),
    )


class _ElectedByMixin:
    def _elected_by(self, commune: Commune) -> None:
        field = self.fields["elected_by"]
        field.queryset = election_matters(commune=commune)
        field.label_from_instance = lambda matter: (
            f"{matter.title} ({matter.recognition_number})" if matter.recognition_number else matter.title
        )


class BoardForm(_ElectedByMixin, forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=BoardKind.choices, widget=forms.RadioSelect)
    subject = _subject_field()
    term_starts_on = _date(capfirst(_("term starts on")))
    term_ends_on = _date(capfirst(_("term ends on")))
    elected_by = _elected_by_field()
    submission = submission_field()

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self._elected_by(commune)


class BoardUpdateForm(_ElectedByMixin, forms.Form):
    subject = _subject_field()
    term_starts_on = _date(capfirst(_("term starts on")))
    term_ends_on = _date(capfirst(_("term ends on")))
    elected_by = _elected_by_field()

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self._elected_by(board.commune)
        if board.is_inspection:
            del self.fields["subject"]


class MemberForm(forms.Form):
    full_name = forms.CharField(label=capfirst(_("full name")), max_length=150)
    position = forms.ChoiceField(label=capfirst(_("position")), choices=Position.choices, initial=Position.MEMBER)
    village = forms.ModelChoiceField(
        label=capfirst(_("elected from")),
        queryset=Village.objects.none(),
        required=False,
        empty_label="—",
    )
    email = forms.EmailField(
        label=_("E-mail of the member's account"),
        required=False,
        help_text=_(
            "Optional: the e-mail address the member signs in with. It opens the board's queue to the member;"
            " it is never shown on a public page."
        ),
    )
    submission = submission_field()

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.current().filter(commune_id=board.commune_id).order_by("name")


class LeaveForm(forms.Form):
    on = _date(capfirst(_("left the board on")), initial=clock.today)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=DocumentKind.choices, widget=forms.RadioSelect)
    period = forms.ChoiceField(
        label=capfirst(_("period of the plan")),
        choices=[("", "—"), *PlanPeriod.choices],
        required=False,
        help_text=_("For a plan: quarterly, half-yearly or yearly (art. 39)."),
    )
    title = forms.CharField(label=capfirst(_("title")), max_length=255)
    dated = _date(capfirst(_("dated")), initial=clock.today)
    text = forms.CharField(label=capfirst(_("text")), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    file = PdfUploadField(label=capfirst(_("document (PDF)")), required=False)
    submission = submission_field()


class RecommendationForm(forms.Form):
    title = forms.CharField(label=capfirst(_("title")), max_length=255)
    text = forms.CharField(label=capfirst(_("recommendation")), widget=forms.Textarea(attrs={"rows": 8}))
    received_on = _date(
        capfirst(_("received by the commune on")),
        initial=clock.today,
        help_text=_("The commune answers within 15 days of this date (art. 40)."),
    )
    report = forms.ModelChoiceField(
        label=capfirst(_("from the report")), queryset=BoardDocument.objects.none(), required=False, empty_label="—"
    )
    submission = submission_field()

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = reports_of_board(board=board)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=capfirst(_("the commune's answer")), widget=forms.Textarea(attrs={"rows": 8}))
    answered_on = _date(capfirst(_("answered on")), initial=clock.today, required=False, help_text=_("Empty: today."))
    answer_document = PdfUploadField(label=capfirst(_("answer (PDF)")), required=False)
    submission = submission_field()
