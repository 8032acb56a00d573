"""What the survey services share: the domain errors."""

from __future__ import annotations

from core.errors import ServiceError


class SurveyError(ServiceError):
    """A survey rule was broken; the message is translated and may be shown as it is."""


class AlreadyReceived(SurveyError):
    """The same response arrived again (a resend after a network failure): nothing new was stored."""

    code = "already-received"
    status = 200


class Conflict(SurveyError):
    """A response id arrived again with other answers: refused, the first one stands."""

    code = "conflict"
    status = 409
