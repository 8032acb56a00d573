"""A small API for testing what core/api gives every app's API: a view that makes a group by name."""

from django.contrib.auth.models import Group
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.idempotency import IdempotentMixin
from core.errors import ServiceError
from portal.urls import urlpatterns as portal_urlpatterns

CALLS = []


class NameIn(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    photo = serializers.FileField(required=False)


class GroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class Taken(ServiceError):
    code = "name-taken"


class GroupCreate(IdempotentMixin, APIView):
    def get(self, request):
        return Response(GroupOut(Group.objects.order_by("pk"), many=True).data)

    def post(self, request):
        CALLS.append(request.idempotency_token)
        data = NameIn(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["name"] == "taken":
            raise Taken(_("Not found."))
        group = Group.objects.create(name=data.validated_data["name"])
        headers = {"Location": reverse("test-group", kwargs={"pk": group.pk})}
        return Response(GroupOut(group).data, status=status.HTTP_201_CREATED, headers=headers)


class GroupDetail(generics.RetrieveAPIView):
    queryset = Group.objects.all()
    serializer_class = GroupOut


urlpatterns = [
    path("api/test/groups/", GroupCreate.as_view(), name="test-groups"),
    path("api/test/groups/<int:pk>/", GroupDetail.as_view(), name="test-group"),
    *portal_urlpatterns,
]
