import json

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok")


# The baseline of the submission benchmark: it reads the JSON body as the kiosk endpoint does and
# answers 201, but touches neither the database nor the cache.
@csrf_exempt
@require_POST
def bare_post(request):
    json.loads(request.body)
    return JsonResponse({"status": "stored"}, status=201)


# The baselines: views that do nothing, behind the same middleware as every page.
urlpatterns = [path("bench/bare", bare), path("bench/bare-post/", bare_post), *portal_urlpatterns]
