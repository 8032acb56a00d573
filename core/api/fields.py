"""Fields every app's serializers share."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.web import absolute_url


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """A page or a stored file of the portal as an absolute URL (SITE_URL, as in mail and QR codes: never
    the Host a client sent); null for a file field left empty. A page is in the language the client asked
    for (Vietnamese pages have no prefix, English ones /en/)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        if isinstance(value, FieldFile):
            if not value:
                return None
            value = value.url
        return absolute_url(value)
