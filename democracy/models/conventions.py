"""Village conventions (hương ước, quy ước): each draft and adopted text is a version; the one the
authority recognised last is in force (Law 10/2022/QH15, art. 15(3); Decree 61/2023/NĐ-CP)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Village
from democracy.models.matters import Matter


class ConventionKind(models.TextChoices):
    HUONG_UOC = "huong_uoc", _("hương ước (village convention)")
    QUY_UOC = "quy_uoc", _("quy ước (community rules)")


class Convention(models.Model):
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="conventions", verbose_name=_("village")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ConventionKind.choices)
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        verbose_name = _("village convention")
        verbose_name_plural = _("village conventions")
        ordering = ["village", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def commune(self):
        return self.village.commune


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft, posted for comments")
    ADOPTED = "adopted", _("adopted by the residents, awaiting recognition")
    IN_FORCE = "in_force", _("recognised, in force")
    SUPERSEDED = "superseded", _("replaced by a later version")


class ConventionVersion(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="versions", verbose_name=_("convention")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    document = models.FileField(_("document (PDF)"), upload_to="democracy/conventions/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    posted_on = models.DateField(_("draft posted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convention_versions",
        verbose_name=_("adopted by the residents' decision"),
    )
    recognised_by_authority = models.CharField(
        _("recognised by"), max_length=150, blank=True, help_text=_("“Chủ tịch UBND phường Vân Hà”.")
    )
    recognition_number = models.CharField(_("number of the recognition decision"), max_length=50, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("convention version")
        verbose_name_plural = _("convention versions")
        ordering = ["convention", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "number"], name="convention_version_number_unique"),
            # One text in force at a time.
            models.UniqueConstraint(
                fields=["convention"], condition=Q(status="in_force"), name="convention_one_version_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention} ({self.number})"
