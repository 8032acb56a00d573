"""The API's routes (/api/v1/): each app's own ``api/urls.py``, under its name."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("communes.api.urls")),
    path("", include("feedback.api.urls")),
    path("", include("surveys.api.urls")),
    path("", include("democracy.api.urls")),
    path("", include("scoring.api.urls")),
]
