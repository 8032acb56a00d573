"""Keys for systems (the province's one-stop dossier system, a city app posting Open311 requests).

A key reads ``cqtt_<prefix>_<secret>``; it is sent as ``Authorization: Api-Key <key>`` (or, where a
protocol says so, as Open311's ``api_key`` parameter). The prefix finds the row, a hash of the whole
key is compared in constant time, and every call made with a key is logged with it (ApiCallLog)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from accounts.models import ApiCall, ApiKey, ApiScope
from core.errors import ServiceError

KEYWORD = "Api-Key"
PREFIX_BYTES = 6
SECRET_BYTES = 24
# last_used_at is written at most this often per key: a busy system must not turn every read into a write.
TOUCH_EVERY_SECONDS = 60


class ApiKeyError(ServiceError):
    """A key cannot be issued or revoked as asked; the message is translated."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_lookup(raw: str | None) -> ApiKey | None:
    """The active key ``raw`` names, or None."""
    parts = (raw or "").strip().split("_")
    if len(parts) != 3 or parts[0] != "cqtt":
        return None
    key = ApiKey.objects.select_related("province").filter(prefix=parts[1]).first()
    if key is None or not key.is_active or not constant_time_compare(key.secret_hash, _hash(raw.strip())):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > TOUCH_EVERY_SECONDS:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


@transaction.atomic
def api_key_issue(*, province, name: str, scopes, by) -> tuple[ApiKey, str]:
    """A new key for a system of ``province``; returns it with the secret, which is never shown again."""
    name = (name or "").strip()
    scopes = sorted(set(scopes or ()))
    if not name:
        raise ApiKeyError(_("Please name the system that will use the key."))
    if not scopes or not set(scopes) <= set(ApiScope.values):
        raise ApiKeyError(_("Please choose what the key may do."))
    prefix = secrets.token_hex(PREFIX_BYTES)
    raw = f"cqtt_{prefix}_{secrets.token_urlsafe(SECRET_BYTES).replace('_', '-')}"
    key = ApiKey.objects.create(
        province=province, name=name[:120], scopes=scopes, prefix=prefix, secret_hash=_hash(raw), issued_by=by
    )
    return key, raw


def api_key_revoke(*, key: ApiKey, by) -> ApiKey:
    """Revoke ``key`` at once; revoking twice changes nothing."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
    key.refresh_from_db()
    return key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key cqtt_...``: request.user stays anonymous, request.auth is the key; the
    views a key may call say so with core.api.permissions.KeyScope."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != KEYWORD:
            return None
        key = key_lookup(header[1]) if len(header) == 2 else None
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or has been revoked."))
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiCallLogMiddleware:
    """Logs every request made with a key (request.auth set by DRF or by the Open311 views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "auth", None)
        if isinstance(key, ApiKey):
            ApiCall.objects.create(
                key=key, method=request.method[:8], path=request.path[:255], status=response.status_code
            )
        return response
