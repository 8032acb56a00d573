"""Rate limits per address and per key, counted like the site's (core.counters: one Redis round trip,
failing open while Redis is down). Rates are per view: ``throttle_rates = {"address": (60, 60)}`` is
60 requests a minute; REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] applies both kinds everywhere."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from core.counters import address_key, keyed_hash, window_count
from core.web import client_ip


class _WindowThrottle(BaseThrottle):
    kind = ""

    def _rate(self, view) -> tuple[int, int] | None:
        rates = {**settings.API_THROTTLE_RATES, **getattr(view, "throttle_rates", {})}
        unsafe = view.request.method not in {"GET", "HEAD", "OPTIONS"}
        return rates.get(f"{self.kind}-write" if unsafe else self.kind)

    def _key(self, request, view) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        rate, key = self._rate(view), self._key(request, view)
        if rate is None or key is None:
            return True
        limit, self.seconds = rate
        return window_count(f"{key}:{view.__class__.__name__}:{request.method}", self.seconds) <= limit

    def wait(self):
        return getattr(self, "seconds", None)


class AddressThrottle(_WindowThrottle):
    """Per client address, whoever is signed in: what one phone or one machine may ask."""

    kind = "address"

    def _key(self, request, view):
        address = client_ip(request)
        return address_key("api", address) if address else None


class PrincipalThrottle(_WindowThrottle):
    """Per account or per API key: what one app user or one system may ask, from any address."""

    kind = "principal"

    def _key(self, request, view):
        owner = getattr(request.auth, "idempotency_owner", None)
        if owner is None and request.user.is_authenticated:
            owner = f"user:{request.user.pk}"
        return f"rate:api-principal:{keyed_hash('principal', owner)}" if owner else None
