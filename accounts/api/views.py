"""The signed-in account, for apps (a session token from django-allauth's headless sign-in, or the
site's session)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import MeOut
from accounts.selectors import role_assignments_for_user, user_scope
from core.web import absolute_url


class Me(APIView):
    """Who is signed in: e-mail, name, the roles held with their places, and the pages the app opens.
    A system's API key is not an account: it is refused (403)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeOut, summary="The signed-in account")
    def get(self, request):
        user = request.user
        scope = user_scope(user)
        account = {
            "email": user.email,
            "display_name": str(user),
            "language": (get_language() or "vi")[:2],
            "is_site_admin": scope.is_admin,
            "roles": list(role_assignments_for_user(user=user)),
            "workspace_url": absolute_url(reverse("portal:workspace")) if scope.is_staff_role else None,
            "my_feedback_url": absolute_url(reverse("feedback:mine")),
        }
        return Response(MeOut(account).data)
