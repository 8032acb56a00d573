"""The mail outbox of feedback."""

from __future__ import annotations

from django.db import models

from feedback.models.items import Feedback


class Notification(models.Model):
    """The outbox: a mail is a row first, written in the same transaction as the change it reports,
    then sent by a Celery task. If the broker is down, the row waits for the periodic sweep; a row is
    sent once (``key`` is unique and ``sent_at`` is set under a row lock)."""

    key = models.CharField(max_length=120, unique=True)
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notifications")
    to = models.EmailField()
    language = models.CharField(max_length=8)
    template = models.CharField(max_length=60)
    context = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"
