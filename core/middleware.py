"""Requests no page of the portal can mean are answered 400 before any view sees them."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from core.api.errors import MESSAGES, error_body
from core.api.middleware import API_PREFIXES

NUL = "\x00"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RejectNulMiddleware:
    """A NUL character in the path, the query or a form field is refused with the portal's 400 page.
    No citizen types one; PostgreSQL refuses it in text, so it would otherwise reach the database as a
    500 (``/feedback/%00/``, ``?q=%00``, a survey comment)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            if request.path.startswith(API_PREFIXES):
                return JsonResponse(error_body("malformed", MESSAGES["malformed"]), status=400)
            return render(request, "400.html", status=400)
        return self.get_response(request)
