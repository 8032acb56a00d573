"""Signed PDFs made from an approved recognition decision: one certificate per recognised commune and
the decision itself with its annex. Each row keeps what it states, its file and that file's SHA-256,
and the fingerprint of the certificate that signed it, so anyone can check a copy later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from scoring.models.decisions import Decision, DecisionEntry


def document_path(instance, filename: str) -> str:
    return f"certificates/{instance.year}/{instance.serial}.pdf"


class Certificate(models.Model):
    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("star certificate")
        DECISION = "decision", _("recognition decision")

    class Status(models.TextChoices):
        PENDING = "pending", _("being issued")
        VALID = "valid", _("valid")
        FAILED = "failed", _("failed, will be retried")
        REVOKED = "revoked", _("revoked")

    kind = models.CharField(_("document"), max_length=12, choices=Kind.choices, default=Kind.CERTIFICATE)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificates")
    entry = models.OneToOneField(
        DecisionEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="certificate"
    )
    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates")
    unit_name = models.CharField(_("unit"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to=document_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    signer_fingerprint = models.CharField(_("signer's certificate (SHA-256)"), max_length=64, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    development_key = models.BooleanField(_("signed with a development key"), default=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.TextField(_("reason for the revocation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["decision", "kind", "pk"]
        constraints = [
            # One decision document per decision: a second plan finds the first.
            models.UniqueConstraint(
                fields=["decision"], condition=Q(kind="decision"), name="certificate_one_decision_document"
            ),
            models.CheckConstraint(
                condition=Q(kind="decision") | Q(entry__isnull=False), name="certificate_has_its_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} · {self.unit_name or self.decision}"

    def get_absolute_url(self) -> str:
        return reverse("scoring:verify", kwargs={"serial": self.serial})

    @property
    def province(self):
        """For the permission rules: the decision's province."""
        return self.decision.province

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID
