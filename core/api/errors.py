"""One error format for the whole API: ``{"code": ..., "message": ..., "fields": {...}}``.

``code`` is stable (programs branch on it), ``message`` is in the language the client asked for with
Accept-Language (LocaleMiddleware has activated it), ``fields`` names what was wrong with each input.
A service's refusal (core.errors.ServiceError) is mapped here once, as pages map it on their forms."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
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
    "malformed": _("The request could not be read."),
    "too-large": _("The request is too large."),
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


def _fields(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {field: [messages]}: nested objects join with dots, items of lists
    by their index from 0 (``rows.3.received``), an object's own errors under its name (``rows.3``), and
    errors about the whole body under non_field_errors."""
    if isinstance(detail, dict):
        items = detail.items()
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        items = ((str(index), item) for index, item in enumerate(detail))
    else:
        messages = detail if isinstance(detail, list) else [detail]
        return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in messages]}
    fields: dict[str, list[str]] = {}
    for name, value in items:
        own = prefix and name == api_settings.NON_FIELD_ERRORS_KEY
        within = prefix if own else ".".join(filter(None, [prefix, str(name)]))
        for key, messages in _fields(value, within).items():
            fields.setdefault(key, []).extend(messages)
    return fields


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
        field = getattr(exc, "field", None)  # a refusal about one input (DemocracyError.field)
        return Response(error_body(exc.code, exc, {field: [str(exc)]} if field else None), status=exc.status)
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
        # DRF's generic wording is replaced by ours; a message the raiser wrote is kept.
        said = not isinstance(exc, exceptions.Throttled) and str(exc.detail) != str(exc.default_detail)
        body = error_body(code, exc.detail if said else MESSAGES.get(code, exc.detail))
    return Response(body, status=exc.status_code, headers=headers)


@csrf_exempt  # a POST to a path that names nothing is a 404, not a CSRF page
def not_found(request, *args, **kwargs):
    """A path under /api/ that names nothing: answered in the API's format, not with the site's page."""
    return JsonResponse(error_body("not-found", MESSAGES["not-found"]), status=status.HTTP_404_NOT_FOUND)
