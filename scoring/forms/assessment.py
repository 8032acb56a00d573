"""Forms of one assessment's pages. A form only parses what was sent: the rules of the cycle (who may
act, in which state, what a score that differs needs) are the services' and the permissions'.

Points are typed the reader's way ("2,5" on Vietnamese pages, "2.5" on English ones). An uploaded PDF
goes through core.uploads.clean_pdf; a file field left empty keeps the file already uploaded. A PDF
sent with a self-assessment that fails elsewhere is kept provisionally (``KeptUpload``), so that the
officer corrects the field without sending the file again.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django import forms
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.uploads import clean_pdf
from scoring.models import Appeal, Line, RequiredDocument

PDF_HELP = _("A PDF file up to 5 MB.")
NOTE_MAX = 4000


def points_field(label, maximum: Decimal, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=maximum,
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, "autocomplete": "off"}),
    )


def note_field(label, *, required: bool = False, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": rows})
    )


class PdfField(forms.FileField):
    """An optional PDF upload: the checked file, named ``<the sender's name>.pdf``, or None."""

    def __init__(self, label, **kwargs):
        kwargs.setdefault("help_text", PDF_HELP)
        super().__init__(
            label=label, required=False, widget=forms.FileInput(attrs={"accept": "application/pdf"}), **kwargs
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return None
        document = clean_pdf(upload)
        document.name = f"{Path(upload.name or 'document').stem[:60] or 'document'}.pdf"
        return document


# --- The commune -----------------------------------------------------------------------------------

KEPT_FOLDER = "scoring/kept"
KEPT_MAX_AGE = 24 * 3600  # a token older than a day names nothing: the officer sends the file again


@dataclass(frozen=True)
class KeptUpload:
    """A checked PDF of a self-assessment that could not be saved yet, stored apart from the evidence;
    the page carries its signed token in a hidden field and the next POST takes it as if sent again."""

    input_name: str
    token: str
    filename: str


class KeepsUploads:
    """A form whose checked PDFs survive a save that fails: ``keep_uploads`` stores them apart, the page
    shows each as attached with a signed token in a hidden field, and the next POST takes them as if
    sent again. ``kept_names`` are the file fields; ``kept_scope`` ties a token to one object, so that it
    cannot attach a file kept for another."""

    kept_names: tuple[str, ...] = ()
    kept_scope = ""

    def _kept_salt(self, name: str) -> str:
        return f"scoring.kept:{self.kept_scope}:{name}"

    def _kept_input(self, name: str) -> str:
        return self.add_prefix(f"{name}_kept")

    def _kept_take(self, cleaned: dict) -> dict:
        """``cleaned`` with every file not sent again taken from its kept copy."""
        for name in self.kept_names:
            if name in self.errors or cleaned.get(name) is not None:
                continue  # a new file replaces the one kept from the last attempt
            token = self.data.get(self._kept_input(name)) if self.is_bound else None
            kept = self._kept_open(name, token) if token else None
            if kept is not None:
                cleaned[name] = kept
        return cleaned

    def _kept_open(self, name: str, token: str) -> File | None:
        try:
            found = signing.loads(token, salt=self._kept_salt(name), max_age=KEPT_MAX_AGE)
        except signing.BadSignature:
            return None
        path, filename = found.get("path", ""), found.get("name", "document.pdf")
        if not path.startswith(f"{KEPT_FOLDER}/") or not default_storage.exists(path):
            return None
        self.kept[name] = KeptUpload(self._kept_input(name), token, filename)
        self._kept_paths[name] = path
        return File(default_storage.open(path, "rb"), name=filename)

    def keep_uploads(self) -> None:
        """After a failed save: store every PDF of this form that passed its check, so that the page
        shows it attached and the next POST takes it without a new upload."""
        if not hasattr(self, "cleaned_data"):
            return
        for name in self.kept_names:
            upload = self.cleaned_data.get(name)
            if name in self.errors or not isinstance(upload, UploadedFile):
                continue
            upload.seek(0)
            path = default_storage.save(f"{KEPT_FOLDER}/{uuid.uuid4().hex}/{upload.name}", upload)
            token = signing.dumps({"path": path, "name": upload.name}, salt=self._kept_salt(name))
            self.kept[name] = KeptUpload(self._kept_input(name), token, upload.name)
            self._kept_paths[name] = path

    def discard_kept(self) -> None:
        """Once saved, the provisional copies go (what was saved has its own)."""
        for name, path in self._kept_paths.items():
            if name in self.kept:
                with contextlib.suppress(OSError):
                    default_storage.delete(path)


class SelfLineForm(KeepsUploads, forms.Form):
    """One self-assessed line: the score, the commune's explanation and its evidence."""

    FILES = kept_names = ("evidence_index", "evidence")

    self_note = note_field(_("Explanation"))
    evidence_index = PdfField(_("Evidence index (PDF)"))
    evidence = PdfField(_("Evidence (PDF)"))

    def __init__(self, *args, line: Line, **kwargs):
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault("initial", {"self_score": line.self_score, "self_note": line.self_note})
        super().__init__(*args, **kwargs)
        self.line = line
        self.kept_scope = f"line:{line.pk}"
        self.kept: dict[str, KeptUpload] = {}
        self._kept_paths: dict[str, str] = {}
        self.fields["self_score"] = points_field(_("Self-score"), line.criterion.max_points)
        self.order_fields(["self_score", "self_note", "evidence_index", "evidence"])
        for name in self.FILES:
            if getattr(line, name):
                self.fields[name].help_text = _("A PDF file up to 5 MB. Leave empty to keep the file already sent.")

    def clean(self):
        return self._kept_take(super().clean())

    def entry(self) -> dict:
        """What changed, as scoring.services.assessment_self_save takes it (files only when sent)."""
        entry = {name: self.cleaned_data[name] for name in ("self_score", "self_note") if name in self.changed_data}
        entry |= {name: self.cleaned_data[name] for name in self.FILES if self.cleaned_data.get(name)}
        return entry


class DocumentsForm(KeepsUploads, forms.Form):
    """One file field per dossier document the commune provides (the generated sheet has none); the
    files that passed their check are kept when another one fails."""

    def __init__(self, *args, documents: list[RequiredDocument], assessment_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {f"document_{d.pk}": d for d in documents if not d.generated}
        self.kept_names, self.kept_scope = tuple(self.documents), f"assessment:{assessment_pk}"
        self.kept, self._kept_paths = {}, {}
        for name, document in self.documents.items():
            self.fields[name] = PdfField(f"{document.code}. {document.name}")

    def clean(self):
        cleaned = self._kept_take(super().clean())
        if not self.errors and not any(cleaned.get(name) for name in self.documents):
            raise forms.ValidationError(_("Choose at least one file to send."))
        return cleaned

    def uploads(self) -> list[tuple[RequiredDocument, object]]:
        return [(d, self.cleaned_data[name]) for name, d in self.documents.items() if self.cleaned_data.get(name)]


# --- The district and DoHA -------------------------------------------------------------------------


class LinesForm(forms.Form):
    """A form with fields per line, named ``<field>_<line id>``."""

    per_line: tuple[str, ...] = ()

    def __init__(self, *args, lines: list[Line], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            for name in self.per_line:
                self.fields[f"{name}_{line.pk}"] = self.line_field(name, line)

    def line_field(self, name: str, line: Line) -> forms.Field:
        raise NotImplementedError

    def line_fields(self, line: Line) -> list[forms.BoundField]:
        return [self[f"{name}_{line.pk}"] for name in self.per_line]


class ReviewForm(LinesForm):
    per_line = ("note",)
    overall = note_field(_("Overall note"), rows=3)

    def line_field(self, name: str, line: Line) -> forms.Field:
        field = note_field(_("District's note on %(code)s") % {"code": line.criterion.code})
        field.initial = line.review_note
        return field

    def notes(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data[f"note_{line.pk}"] for line in self.lines}


class ReturnForm(forms.Form):
    # The page the form was sent from, to go back to it; anything else goes back to the overview.
    FROM_PAGES = ("overview", "review", "appraise")

    reason = note_field(_("Why the assessment goes back to the commune"), required=True, rows=3)
    back_to = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_back_to(self) -> str:
        page = self.cleaned_data["back_to"]
        return page if page in self.FROM_PAGES else "overview"


class AppraiseForm(LinesForm):
    per_line = ("score", "reason")
    discipline_case = forms.BooleanField(
        label=_("A discipline or corruption case was recorded in the year"), required=False
    )
    discipline_note = note_field(_("About the case"), rows=3)
    overall = note_field(_("Overall note"), rows=3)

    def line_field(self, name: str, line: Line) -> forms.Field:
        if name == "score":
            field = points_field(
                _("Appraised score of %(code)s") % {"code": line.criterion.code}, line.criterion.max_points
            )
            field.initial = line.appraised_score if line.appraised_score is not None else line.proposed
        else:
            field = note_field(_("Reason for %(code)s") % {"code": line.criterion.code})
            field.initial = line.appraisal_reason
        return field

    def scores(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            line.pk: (self.cleaned_data[f"score_{line.pk}"], self.cleaned_data[f"reason_{line.pk}"])
            for line in self.lines
        }


# --- Appeals ---------------------------------------------------------------------------------------


class AppealForm(forms.Form):
    line = forms.TypedChoiceField(label=_("Criterion"), coerce=int)
    text = note_field(_("What you contest and why"), required=True, rows=5)

    def __init__(self, *args, lines: list[Line], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = {line.pk: line for line in lines}
        self.fields["line"].choices = [("", "---------")] + [
            (line.pk, f"{line.criterion.code}. {line.criterion.name}") for line in lines
        ]

    def clean_line(self) -> Line:
        return self.lines[self.cleaned_data["line"]]


class AppealAnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Appeal.Outcome.choices, widget=forms.RadioSelect)
    answer = note_field(_("Answer to the commune"), required=True, rows=5)

    def __init__(self, *args, appeal: Appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"] = points_field(_("New score (when accepted)"), appeal.line.criterion.max_points)
        self.fields["score"].initial = appeal.line.points
        self.order_fields(["outcome", "score", "answer"])
