"""Idempotent writes: a POST sent again with the same Idempotency-Key gets the first answer.

A phone on a bad network cannot tell a request that was lost from an answer that was lost, so it sends
again. With the header, the first request claims (owner, key) in the database before it runs; a replay
with the same body gets the stored answer (``Idempotent-Replayed: true``), one with another body 409
``idempotency-key-reused``, one that arrives while the first is still running 409
``idempotency-in-progress``. Only successes are stored: a refused request is forgotten, so the client
may correct it and send it under the same key (as core.submissions does for forms).

Services that can take a token of their own (feedback_submit's submission_token) are given
``request.idempotency_token`` as well: should the process die between the service's commit and the
stored answer, the retry still finds what was made instead of making it twice.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.api.errors import ApiError
from core.counters import keyed_hash
from core.models import IdempotentRequest
from core.web import client_ip

HEADER = "Idempotency-Key"
KEY_MAX = 255
# A claim with no answer after this long belongs to a request that died: a retry may take it over.
ABANDONED_AFTER = datetime.timedelta(minutes=2)
KEEP_FOR = datetime.timedelta(hours=24)

BAD_KEY = _("The Idempotency-Key header must be 1 to 255 visible ASCII characters.")
REUSED = _("This Idempotency-Key was already used for a different request.")
IN_PROGRESS = _("A request with this Idempotency-Key is still being processed. Please retry shortly.")


class Replay(Exception):
    def __init__(self, response: Response):
        self.response = response


def owner_of(request) -> str:
    """Whose keys these are: an account, an API key, or an anonymous client's address (keyed hash)."""
    owner = getattr(request.auth, "idempotency_owner", None)
    if owner:
        return owner
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"anon:{keyed_hash('idempotency', client_ip(request) or '')}"


def _canonical(value):
    if hasattr(value, "lists"):  # a QueryDict: every value of every field
        return {name: [_canonical(item) for item in items] for name, items in sorted(value.lists())}
    if isinstance(value, dict):
        return {str(name): _canonical(item) for name, item in sorted(value.items(), key=lambda pair: str(pair[0]))}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if hasattr(value, "chunks"):  # an uploaded file: what it holds, not where the client kept it
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": digest.hexdigest(), "size": value.size}
    return value


def fingerprint(request) -> str:
    """The same request re-encoded (a new multipart boundary, keys in another order) hashes the same."""
    payload = {"method": request.method, "path": request.path, "data": _canonical(request.data)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _replay(claim: IdempotentRequest) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if claim.location:
        headers["Location"] = claim.location
    return Response(claim.body, status=claim.status, headers=headers)


def claim(request, key: str) -> IdempotentRequest:
    """Claim ``key`` for this request; raises Replay with the first answer, or ApiError (400, 409)."""
    key = key.strip()
    if not key or len(key) > KEY_MAX or not key.isascii() or not key.isprintable():
        raise ApiError("idempotency-key-invalid", BAD_KEY)
    owner, digest = owner_of(request), fingerprint(request)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(owner=owner, key=key, fingerprint=digest, path=request.path)
        except IntegrityError:
            pass
        existing = IdempotentRequest.objects.filter(owner=owner, key=key).first()
        if existing is None:
            continue  # released between the insert and the read
        if existing.fingerprint != digest:
            raise ApiError("idempotency-key-reused", REUSED, status_code=409)
        if existing.status is not None:
            raise Replay(_replay(existing))
        if existing.created_at > timezone.now() - ABANDONED_AFTER:
            raise ApiError("idempotency-in-progress", IN_PROGRESS, status_code=409)
        # Taken over from a request that died; the service's own token (if any) still guards it.
        IdempotentRequest.objects.filter(pk=existing.pk, status__isnull=True).update(created_at=timezone.now())
        return existing
    raise ApiError("idempotency-in-progress", IN_PROGRESS, status_code=409)


def token_of(request, key: str | None) -> str | None:
    """A token for services that keep their own (submission tokens): unique per owner and key."""
    if not key:
        return None
    return "api-" + hashlib.sha256(f"{owner_of(request)}\0{key.strip()}".encode()).hexdigest()[:40]


def store(claim: IdempotentRequest, response: Response) -> None:
    body = json.loads(JSONRenderer().render(response.data) or b"null")
    IdempotentRequest.objects.filter(pk=claim.pk).update(
        status=response.status_code, body=body, location=response.get("Location", "")[:255]
    )


def release(claim: IdempotentRequest) -> None:
    IdempotentRequest.objects.filter(pk=claim.pk, status__isnull=True).delete()


def expire(*, now: datetime.datetime | None = None) -> int:
    """Forget answers older than KEEP_FOR (a daily task); returns how many."""
    deleted, _rows = IdempotentRequest.objects.filter(created_at__lt=(now or timezone.now()) - KEEP_FOR).delete()
    return deleted


class IdempotentMixin:
    """For API views whose POST creates or changes something. Put it first among the view's bases."""

    _claim: IdempotentRequest | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions and rate limits first
        key = request.headers.get(HEADER) if request.method == "POST" else None
        request.idempotency_token = token_of(request, key)
        self._claim = claim(request, key) if key is not None else None

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return exc.response
        if self._claim is not None:
            release(self._claim)  # refused or failed: the corrected request may use the key again
            self._claim = None
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._claim is not None:
            if 200 <= response.status_code < 300 and not response.has_header("Idempotent-Replayed"):
                store(self._claim, response)
            else:
                release(self._claim)
            self._claim = None
        return response
