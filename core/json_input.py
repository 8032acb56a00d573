"""JSON sent by clients (the kiosks' answers): bounded in size and in nesting before it is parsed.

Python's parser recurses once per level: a body of 30,000 '[' raises RecursionError (a 500) and,
below that, builds structures no endpoint of the portal expects."""

from __future__ import annotations

import json
import re

# A string literal, escapes included: brackets inside strings do not nest anything.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class JsonBodyError(ValueError):
    """The body is too large (status 413) or not JSON the portal reads (status 400)."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason, self.status = reason, status


def _depth(body: bytes) -> int:
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b"", body)):
        if bracket in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's parser accepts them, JSON does not


def json_parse(body: bytes, *, max_bytes: int, max_depth: int):
    """``body`` parsed as JSON; raises JsonBodyError if it is larger than ``max_bytes``, nested deeper
    than ``max_depth``, or not JSON (NaN and Infinity included)."""
    if len(body) > max_bytes:
        raise JsonBodyError("too-large", 413)
    # Counting brackets is cheap in C; the nesting is only measured when there could be too much of it.
    if body.count(b"[") + body.count(b"{") > max_depth and _depth(body) > max_depth:
        raise JsonBodyError("too-deep")
    try:
        return json.loads(body, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise JsonBodyError("invalid") from error


def json_body(request, *, max_bytes: int = 64 * 1024, max_depth: int = 8):
    """The request's body parsed as JSON (json_parse), checking the declared length before reading it."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise JsonBodyError("too-large", 413)
    return json_parse(request.body, max_bytes=max_bytes, max_depth=max_depth)
