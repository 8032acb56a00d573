"""What every operation of the OpenAPI schema shares, added once instead of on every view: the error
responses (core.api.errors), the Idempotency-Key header of writes, Accept-Language, who may call without
signing in, and the API keys' authentication (drf-spectacular describes allauth's X-Session-Token
itself). The schema is generated (``make schema``); a test compares it with the committed copy."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from core.api.permissions import KeyScope, Rule

ERROR_CODES = [
    "invalid",
    "malformed",
    "too-large",
    "refused",
    "not-authenticated",
    "forbidden",
    "not-found",
    "method-not-allowed",
    "not-acceptable",
    "unsupported-media-type",
    "conflict",
    "idempotency-key-invalid",
    "idempotency-key-reused",
    "idempotency-in-progress",
    "rate-limited",
]
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error. `code` is stable; `message` is in the language asked (Accept-Language).",
    "properties": {
        # Open: an app's service may refuse with a code of its own (core.errors.ServiceError.code).
        "code": {"type": "string", "description": "Known codes: " + ", ".join(ERROR_CODES)},
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "What was wrong with each input, by field name.",
        },
    },
    "required": ["code", "message"],
}
_ERRORS = {
    "400": "The request was refused; nothing was changed.",
    "401": "Not signed in, or the token or key is not valid.",
    "403": "Not allowed.",
    "404": "Not found.",
    "406": "The Accept header asks for a format the API does not give.",
    "409": "Conflict (an Idempotency-Key reused with another body, or still in progress).",
    "413": "The request is too large.",
    "415": "The body's media type is not accepted.",
    "429": "Too many requests; Retry-After says when to try again.",
}
_WRITE_ONLY = {"409", "413", "415"}
IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Sent again with the same body, the first answer is returned; with another body, 409.",
}
LANGUAGE_HEADER = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "example": "en"},
    "description": "The language of labels and messages: vi (the default) or en; others fall back to vi.",
}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS: the error responses, the Idempotency-Key and Accept-Language headers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            writes = method != "get"
            for status, description in _ERRORS.items():
                if status in _WRITE_ONLY and not writes:
                    continue
                operation["responses"].setdefault(status, {"description": description, "content": error})
            parameters = operation.setdefault("parameters", [])
            names = {(parameter.get("in"), parameter.get("name")) for parameter in parameters}
            if ("header", "Accept-Language") not in names:
                parameters.append(LANGUAGE_HEADER)
            if method == "post" and ("header", "Idempotency-Key") not in names:
                parameters.append(IDEMPOTENCY_HEADER)
    return result


class AutoSchema(SpectacularAutoSchema):
    """Says which operations anyone may call: those whose view asks no rule for the method (the
    permission class Rule lets them through), so that clients and fuzzers know no sign-in is needed."""

    def get_auth(self):
        auths = super().get_auth()
        permissions = self.view.get_permissions()
        open_to_all = all(
            isinstance(permission, Rule) and self.method not in getattr(self.view, "rules", {})
            for permission in permissions
        )
        if open_to_all and not any(isinstance(permission, KeyScope) for permission in permissions):
            auths.append({})
        return auths


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_keys.ApiKeyAuthentication"  # named, not imported: core sits below accounts
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key cqtt_…`: a key DoHA issued to one of the province's systems.",
        }
