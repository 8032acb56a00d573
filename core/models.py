"""The few tables the bottom layer keeps for every app."""

from __future__ import annotations

from django.db import models


class IdempotentRequest(models.Model):
    """A POST sent with an Idempotency-Key, and the answer it got (core.api.idempotency).

    The key is the client's, so it is unique only together with who sent it (an account, an API key, or
    an anonymous client's keyed address hash). ``fingerprint`` is a hash of what was sent; ``status`` is
    null while the first request is still being answered."""

    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    path = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    location = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="core_idempotent_owner_key")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
