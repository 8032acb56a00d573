"""What the feedback API's views share: the tracking code in the path, as typed."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter

from feedback.services import normalise_code

CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="The tracking code, as printed (“ABCD-2345”) or not.",
)


def code_of(view) -> str:
    """The tracking code of the URL as stored; 404 when nothing of it is left."""
    code = normalise_code(view.kwargs["code"])
    if not code:
        raise Http404
    return code
