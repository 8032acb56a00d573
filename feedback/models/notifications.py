"""The mail outbox of feedback."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback.models.items import Feedback


class Notification(models.Model):
    """The outbox: a mail is a row first, written in the same transaction as the change it reports,
    then sent by a Celery task. If the broker is down, the row waits for the periodic sweep; a row is
    sent once (``key`` is unique and ``sent_at`` is set under a row lock)."""

    key = models.CharField(max_length=120, unique=True, verbose_name=_("key"))
    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("feedback")
    )
    to = models.EmailField(verbose_name=_("to"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    template = models.CharField(max_length=60, verbose_name=_("template"))
    context = models.JSONField(default=dict, verbose_name=_("context"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))

    class Meta:
        verbose_name = _("notification e-mail")
        verbose_name_plural = _("notification e-mails")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"
