"""What the survey services share: the domain error and the keyed hashes that keep sources anonymous."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


class SurveyError(Exception):
    """A survey rule was broken; the message is translated and may be shown as it is."""


class AlreadyReceived(SurveyError):
    """The same response arrived again (a resend after a network failure): nothing new was stored."""


class Conflict(SurveyError):
    """A response id arrived again with other answers: refused, the first one stands."""


def keyed_hash(purpose: str, value: str, length: int = 32) -> str:
    """A hash that cannot be reversed by trying every value without the secret key (IP addresses,
    device cookies)."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:length]
