"""The media store's public part, served by the portal when no proxy serves it (README, "Files").

Public files are the photos of the communes' one-stop-shop pages (the shop, its facilities, its
officers): anyone reads them on the commune page, so they may be served by path. Every other upload
is private (feedback photos under ``private/``, assessment evidence, decisions, certificates,
disclosure documents, uploads kept between two posts of a form) and only leaves through the view that
checks its rule; this view answers 404 for them, whether DEBUG is on or off.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

# The folders under MEDIA_ROOT whose files are public: communes.models.one_stop's upload_to. The proxy
# rule in README serves exactly these.
PUBLIC_MEDIA_FOLDERS = ("one-stop", "facilities", "officers")
PUBLIC_MAX_AGE = 86400


def is_public_media(path: str) -> bool:
    """Whether ``path`` (relative to MEDIA_ROOT, as in the URL) names a public image file."""
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] not in PUBLIC_MEDIA_FOLDERS or any(part in ("..", ".") for part in parts):
        return False
    content_type = mimetypes.guess_type(path)[0] or ""
    return content_type.startswith("image/")


@require_safe
def public_media(request, path: str):
    if not is_public_media(path):
        raise Http404
    # django.views.static.serve: joins safely under MEDIA_ROOT, answers 304 to If-Modified-Since.
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
