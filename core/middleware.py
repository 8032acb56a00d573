"""Requests no page of the portal can mean are answered 400 before any view sees them."""

from __future__ import annotations

from django.shortcuts import render

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
            return render(request, "400.html", status=400)
        return self.get_response(request)
