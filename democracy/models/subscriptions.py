"""Residents who follow a village by e-mail: new matters, results and conventions reach them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Village


class Subscription(models.Model):
    """An e-mail address that follows a village, once confirmed from the address itself (personal data:
    never shown, not even to the village head)."""

    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("village")
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, default="vi")
    token = models.CharField(max_length=43, unique=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [models.UniqueConstraint(fields=["village", "email"], name="subscription_unique")]
        indexes = [
            models.Index(fields=["village"], condition=Q(confirmed_at__isnull=False), name="subscription_confirmed")
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.email}"
