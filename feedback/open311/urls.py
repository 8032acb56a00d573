"""Citizens' feedback as Open311 GeoReport v2 (/open311/v2/), JSON and XML as the specification says."""

from django.urls import re_path

from feedback.open311 import views

app_name = "open311"

# Every resource ends in its format: discovery.json, requests/ABCD2345.xml. Any suffix is routed, so
# that one the portal does not speak is told so in the spec's error list.
FORMAT = r"\.(?P<fmt>[A-Za-z0-9]{1,8})$"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}", views.Discovery.as_view(), name="discovery"),
    re_path(rf"^services{FORMAT}", views.Services.as_view(), name="services"),
    re_path(rf"^services/(?P<service_code>[^/]{{1,64}}?){FORMAT}", views.ServiceDefinition.as_view(), name="service"),
    re_path(rf"^requests{FORMAT}", views.Requests.as_view(), name="requests"),
    re_path(rf"^requests/(?P<service_request_id>[^/]{{1,64}}?){FORMAT}", views.Request.as_view(), name="request"),
    re_path(rf"^tokens/(?P<token>[^/]{{1,64}}?){FORMAT}", views.Token.as_view(), name="token"),
]
