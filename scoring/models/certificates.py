"""Sealed PDFs made from an approved recognition decision: one certificate per recognised commune and
the decision itself with its annex. Each row keeps what it states, its file and that file's SHA-256,
and the fingerprint of the portal's key that sealed it, so anyone can check a copy later.

A star certificate also has its number in the province's register of certificates for the year
("Số vào sổ: 12/GCN-UBND"), and prints the emblem the province configured, if any.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Province
from scoring.models.decisions import Decision, DecisionEntry
from scoring.models.registers import YearRegister

# The register's symbol after the number, as the decisions' "/QĐ-UBND": Giấy chứng nhận, the People's Committee.
REGISTER_SYMBOL = "GCN-UBND"
EMBLEM_MAX_BYTES = 512 * 1024


def document_path(instance, filename: str) -> str:
    return f"certificates/{instance.year}/{instance.serial}.pdf"


class CertificateRegister(YearRegister):
    """The province's register of star certificates for a calendar year."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="certificate_registers", verbose_name=_("province")
    )

    class Meta:
        verbose_name = _("register of certificates")
        verbose_name_plural = _("registers of certificates")
        ordering = ["province", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="certificate_register_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.province} · {self.year}"


def validate_emblem_size(file) -> None:
    if file and file.size > EMBLEM_MAX_BYTES:
        raise ValidationError(_("The emblem is too large: at most 512 KB."))


class ProvinceEmblem(models.Model):
    """The emblem a province prints on its certificates. Without one, certificates print none: the
    portal draws no emblem of its own."""

    province = models.OneToOneField(
        Province, on_delete=models.CASCADE, related_name="certificate_emblem", verbose_name=_("province")
    )
    image = models.ImageField(
        _("emblem"),
        upload_to="emblems/",
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"]), validate_emblem_size],
        help_text=_("PNG or JPEG, at most 512 KB, as the province uses it on its documents."),
    )

    class Meta:
        verbose_name = _("emblem on certificates")
        verbose_name_plural = _("emblems on certificates")
        ordering = ["province"]

    def __str__(self) -> str:
        return str(self.province)


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
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("decision")
    )
    entry = models.OneToOneField(
        DecisionEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("decision entry"),
    )
    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates", verbose_name=_("commune")
    )
    unit_name = models.CharField(_("unit"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    register = models.ForeignKey(
        CertificateRegister,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("register"),
    )
    register_number = models.PositiveIntegerField(_("number in the register"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to=document_path, blank=True)
    # Indexed: the verify page looks an uploaded file up by its hash among every document.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    # The portal's key that sealed the file (not the Chairman's signature: that is on the decision).
    signer_fingerprint = models.CharField(_("portal's sealing certificate (SHA-256)"), max_length=64, blank=True)
    signer_name = models.CharField(_("sealed by"), max_length=200, blank=True)
    development_key = models.BooleanField(_("sealed with a development key"), default=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.TextField(_("reason for the revocation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("sealed document")
        verbose_name_plural = _("sealed documents")
        ordering = ["decision", "kind", "pk"]
        constraints = [
            # One decision document per decision: a second plan finds the first.
            models.UniqueConstraint(
                fields=["decision"], condition=Q(kind="decision"), name="certificate_one_decision_document"
            ),
            models.CheckConstraint(
                condition=Q(kind="decision") | Q(entry__isnull=False), name="certificate_has_its_entry"
            ),
            models.UniqueConstraint(fields=["register", "register_number"], name="certificate_register_number_unique"),
            models.CheckConstraint(
                condition=Q(register__isnull=True, register_number__isnull=True)
                | Q(register__isnull=False, register_number__isnull=False),
                name="certificate_register_number_with_register",
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
    def register_label(self) -> str:
        """``12/GCN-UBND`` (``05/GCN-UBND`` below 10, as the decisions' register writes them), or empty for a
        document outside the register (the decision's own)."""
        return f"{self.register_number:02d}/{REGISTER_SYMBOL}" if self.register_number else ""

    @property
    def is_revoked(self) -> bool:
        return self.status == self.Status.REVOKED

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID
