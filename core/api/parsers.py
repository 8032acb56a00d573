"""The API's JSON parser: DRF's, bounded like the kiosk's (core.json_input), and refusing NUL.

A body nested thousands deep makes Python's parser recurse until it fails (a 500); NaN and Infinity
are not JSON; PostgreSQL refuses a NUL character in text, so a string carrying one would reach the
database as a 500 (the pages' forms are guarded by core.middleware.RejectNulMiddleware)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.api.errors import MESSAGES, ApiError
from core.json_input import JsonBodyError, json_parse

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 16
HAS_NUL = _("The request contains a NUL character, which no field accepts.")


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = json_parse(stream.read(MAX_BYTES + 1), max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
        except JsonBodyError as error:
            if error.status == 413:
                raise ApiError("too-large", MESSAGES["too-large"], status_code=413) from error
            raise ParseError() from error
        if _has_nul(data):
            raise ParseError(HAS_NUL)
        return data
