from django.urls import path

from accounts.api import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.Me.as_view(), name="me"),
]
