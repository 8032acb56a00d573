from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok")


# The baseline: a view that does nothing, behind the same middleware as every page.
urlpatterns = [path("bench/bare", bare), *portal_urlpatterns]
