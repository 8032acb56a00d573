"""The error every democracy service raises: apart, so that services importing one another for it do not
form import cycles through the tasks."""

from __future__ import annotations

from core.errors import ServiceError


class DemocracyError(ServiceError):
    """A step the law or the matter's state does not allow; the message is for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
