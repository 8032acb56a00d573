"""The provincial leader's recognition decision: the communes recognised in a year and their stars.

An official document of the Chairman (Decree 30/2020/NĐ-CP): DoHA drafts it without a number or a
date; the records office (văn thư) issues it, giving the number of the body's register for the year
and the date; the leader approves it on the portal, which locks it and makes the certificates. The
copy signed in the province's e-office system may be uploaded back and is then the published decision.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Province
from scoring.models.assessments import Assessment
from scoring.models.criteria import POINTS
from scoring.models.registers import YearRegister

# The number's form in the register of a People's Committee: "125/QĐ-UBND".
NUMBER_SUFFIX = "/QĐ-UBND"
NUMBER_PATTERN = re.compile(r"^(\d{1,6})/QĐ-UBND$")


def signed_decision_path(instance, filename: str) -> str:
    return f"decisions/{instance.year}/{instance.pk}-signed.pdf"


class DecisionQuerySet(models.QuerySet):
    def to_approve(self):
        """Issued (numbered and dated) and waiting for the leader's approval."""
        return self.filter(status=Decision.Status.ISSUED)


class Decision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("numbered, waiting for approval")
        APPROVED = "approved", _("approved")

    class SignerRole(models.TextChoices):
        # Who signs the Chairman's decision: the Chairman, or a Vice-Chairman on his behalf ("KT.").
        CHAIRMAN = "chairman", _("the Chairman")
        VICE_CHAIRMAN = "vice_chairman", _("a Vice-Chairman, on the Chairman's behalf")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="recognition_decisions", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(_("year assessed"))
    # Given at issue, not at drafting: empty in a draft.
    number = models.CharField(_("decision number"), max_length=60, blank=True, help_text=_("For example: 125/QĐ-UBND."))
    signed_on = models.DateField(_("decision date"), null=True, blank=True)
    # The register the number belongs to: the body's register of the year of the decision's date.
    register_year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True, editable=False)
    register_seq = models.PositiveIntegerField(_("register number"), null=True, blank=True, editable=False)
    signer_role = models.CharField(
        _("who signs"), max_length=16, choices=SignerRole.choices, default=SignerRole.CHAIRMAN
    )
    signer_name = models.CharField(_("signer"), max_length=120)
    # Derived from the role and the province's name on the decision's date; kept for the certificates.
    signer_title = models.CharField(_("signer's title"), max_length=200)
    proposal_number = models.CharField(
        _("number of DoHA's proposal (tờ trình)"), max_length=60, blank=True, help_text=_("For example: 310/TTr-SNV.")
    )
    proposal_date = models.DateField(_("date of DoHA's proposal"), null=True, blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One recipient a line."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("drafted by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("issued at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))
    # The copy signed in the province's e-office system, uploaded back: what the signature check found.
    signed_file = models.FileField(_("signed decision"), upload_to=signed_decision_path, blank=True)
    signed_sha256 = models.CharField(_("SHA-256 of the signed decision"), max_length=64, blank=True)
    signed_signers = models.JSONField(_("signatures found"), default=list, blank=True)
    signed_trusted = models.BooleanField(_("chain verified against a trusted root"), default=False)
    signed_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed copy uploaded by"),
    )
    signed_uploaded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("signed copy uploaded at"))
    history = HistoricalRecords()

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-year", "-signed_on", "-pk"]
        constraints = [
            # Numbers run per body per year: 1/QĐ-UBND comes back every January.
            models.UniqueConstraint(
                fields=["province", "register_year", "register_seq"],
                condition=Q(register_seq__isnull=False),
                name="decision_unique_register_number",
                violation_error_message=_("The province already has a decision with this number this year."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(signed_on__isnull=False) & ~Q(number="")),
                name="decision_issued_has_number_and_date",
            ),
        ]

    def __str__(self) -> str:
        if not self.number:
            return str(_("Draft decision of %(year)s") % {"year": self.year})
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_issued(self) -> bool:
        """Numbered and dated: issued, whether or not approved yet."""
        return self.status != self.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def has_signed_copy(self) -> bool:
        return bool(self.signed_file)

    @property
    def signed_signatures(self) -> list[dict]:
        """The signatures found in the uploaded copy: name and time (aware datetime or None)."""
        return [
            {
                "name": row["name"],
                "signed_at": datetime.datetime.fromisoformat(row["signed_at"]) if row["signed_at"] else None,
            }
            for row in self.signed_signers
        ]

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class DecisionGround(models.Model):
    """One "Căn cứ …" of a decision, or of a province's defaults that a new draft starts from."""

    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decision_grounds",
        verbose_name=_("province"),
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="grounds", verbose_name=_("decision")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))
    text = models.TextField(_("ground"))

    class Meta:
        verbose_name = _("ground of a decision")
        verbose_name_plural = _("grounds of a decision")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(province__isnull=True, decision__isnull=False)
                | Q(province__isnull=False, decision__isnull=True),
                name="decision_ground_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class DecisionRegister(YearRegister):
    """The body's register of decisions for a year."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="decision_registers", verbose_name=_("province")
    )

    class Meta:
        verbose_name = _("register of decisions")
        verbose_name_plural = _("registers of decisions")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="decision_register_one_a_year")]

    def __str__(self) -> str:
        return f"{self.province} {self.year}: {self.last_number}"


class DecisionEntry(models.Model):
    """A commune recognised by a decision, with its result as the decision states it."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="entries", verbose_name=_("decision"))
    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="decision_entry", verbose_name=_("assessment")
    )
    unit_name = models.CharField(_("unit"), max_length=300)
    total = models.DecimalField(_("points"), **POINTS)
    stars = models.PositiveSmallIntegerField(_("stars"))
    position = models.PositiveIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("recognised commune")
        verbose_name_plural = _("recognised communes")
        ordering = ["decision", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.unit_name}: {self.stars}★"
