"""The portal's routes plus one back-office page that checks no permission: the coverage test must see it."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def unprotected(request):
    return HttpResponse("anyone may read this")


urlpatterns = [path("manage/unprotected/", unprotected, name="unprotected"), *portal_urlpatterns]
