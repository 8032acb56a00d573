"""Forms of the certificate pages: a visitor's copy to check, and DoHA's reason for a revocation.

Whether a copy is authentic, and who may revoke, is the services' and the rules' business.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import clean_pdf

NO_REASON = _("Give the reason for the revocation.")


class PdfUploadForm(forms.Form):
    """One PDF of at most 5 MB, checked by its content, read back as bytes; a subclass names it."""

    label = help_text = ""
    document = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].label, self.fields["document"].help_text = self.label, self.help_text

    def clean_document(self):
        return clean_pdf(self.cleaned_data["document"])

    def data_bytes(self) -> bytes:
        upload = self.cleaned_data["document"]
        upload.seek(0)
        return upload.read()


class CertificateCheckForm(PdfUploadForm):
    """A PDF that claims to be the document of the page (or another the portal issued)."""

    label = _("The copy you hold (PDF)")
    help_text = _("A PDF of at most 5 MB. It is compared with the documents the portal issued and not kept.")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": NO_REASON},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(NO_REASON, code="required")
        return reason
