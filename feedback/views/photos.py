"""Serving a feedback photo's file. Photos are private files (README, "Files"): no URL of the media
store reaches them, and the views that answer with one (the public ``feedback:photo`` and the staff
``?photo=`` of an item) first ask feedback.rules.can_view_photo."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404

from feedback.models import Photo


def photo_file_response(photo: Photo) -> FileResponse:
    """The photo's file with its image content type, for the viewer's browser only; 404 when the file
    is missing or its name is not an image's."""
    return private_image_response(photo.image.name or "", lambda: photo.image.open("rb"))


def private_image_response(name: str, open_file, *, max_age: int = 300) -> FileResponse:
    """The image ``open_file()`` opens, typed by its ``name``, for the viewer's browser only; 404 when
    the name is not an image's or the file is missing."""
    content_type = mimetypes.guess_type(name)[0] or ""
    if not content_type.startswith("image/"):
        raise Http404
    try:
        handle = open_file()
    except (FileNotFoundError, ValueError) as error:  # ValueError: the row has no file
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type)
    # Who may see it depends on the viewer and can change (an officer hides it): never a shared cache.
    response["Cache-Control"] = f"private, max-age={max_age}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
