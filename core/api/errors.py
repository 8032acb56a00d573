"""One error format for the whole API: ``{"code": ..., "message": ..., "fields": {...}}``.

``code`` is stable (programs branch on it), ``message`` is in the language the client asked for with
Accept-Language (LocaleMiddleware has activated it), ``fields`` names what was wrong with each input.
A service's refusal (core.errors.ServiceError) is mapped here once, as pages map it on their forms."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import ServiceError

# DRF's own exceptions, under the codes the portal documents (core.api.schema.ERROR_CODES).
_CODES = {
    exceptions.ParseError: "malformed",
    exceptions.AuthenticationFailed: "not-authenticated",
    exceptions.NotAuthenticated: "not-authenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "method-not-allowed",
    exceptions.NotAcceptable: "not-acceptable",
    exceptions.UnsupportedMediaType: "unsupported-media-type",
    exceptions.Throttled: "rate-limited",
}
MESSAGES = {
    "invalid": _("Some of the data sent is not valid."),
    "not-authenticated": _("Please sign in, or send a valid token or API key."),
    "forbidden": _("You do not have permission to do this."),
    "not-found": _("Not found."),
    "rate-limited": _("Too many requests. Please try again later."),
}


class ApiError(exceptions.APIException):
    """An error the API raises itself with a stable code: ``ApiError("conflict", message, status=409)``."""

    def __init__(self, code: str, message, *, status_code: int = 400, fields: dict | None = None):
        super().__init__(detail=str(message), code=code)
        self.status_code, self.error_code, self.fields = status_code, code, fields or {}


def _fields(detail) -> dict:
    """DRF's nested error details as {field: [messages]}; nested serializers join with dots."""
    if isinstance(detail, dict):
        flat = {}
        for name, value in detail.items():
            nested = _fields(value) if isinstance(value, dict) else None
            if nested:
                flat.update({f"{name}.{key}": messages for key, messages in nested.items()})
            else:
                flat[name] = [str(item) for item in (value if isinstance(value, list) else [value])]
        return flat
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    return {"non_field_errors": [str(detail)]}


def error_body(code: str, message, fields: dict | None = None) -> dict:
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error the API answers has the portal's shape."""
    headers = {}
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(error_body(exc.code, exc), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500 handling, logging and mails
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    if isinstance(exc, ApiError):
        body = error_body(exc.error_code, exc.detail, exc.fields)
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", MESSAGES["invalid"], _fields(exc.detail))
    else:
        code = next((code for kind, code in _CODES.items() if isinstance(exc, kind)), "error")
        body = error_body(code, MESSAGES.get(code, exc.detail))
    return Response(body, status=exc.status_code, headers=headers)


def not_found(request, *args, **kwargs):
    """A path under /api/ that names nothing: answered in the API's format, not with the site's page."""
    return JsonResponse(error_body("not-found", MESSAGES["not-found"]), status=status.HTTP_404_NOT_FOUND)
