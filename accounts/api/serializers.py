"""What the API says about the signed-in account: who it is, its roles and where each is worked on."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.web import absolute_url

PLACE_KINDS = ["province", "district", "commune", "village"]


class PlaceOut(serializers.Serializer):
    """The place a role is held over."""

    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=PLACE_KINDS, source="_meta.model_name")
    official_name = serializers.CharField(source="__str__")


class RoleOut(serializers.Serializer):
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    place = PlaceOut()
    workspace_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_workspace_url(self, assignment) -> str:
        return absolute_url(assignment.get_workspace_url())


class MeOut(serializers.Serializer):
    """What the app shows after sign-in. ``workspace_url`` is null for an account without a role (a
    citizen): the workspace is for staff."""

    email = serializers.EmailField()
    display_name = serializers.CharField()
    language = serializers.ChoiceField(
        choices=["vi", "en"], help_text="The language of this answer's labels (from Accept-Language)."
    )
    is_site_admin = serializers.BooleanField()
    roles = RoleOut(many=True)
    workspace_url = serializers.URLField(allow_null=True)
    my_feedback_url = serializers.URLField()
