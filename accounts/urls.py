from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    # DoHA's back office: every view takes the province from the URL and checks it.
    path("manage/provinces/<int:pk>/api-keys/", views.api_keys, name="api_keys"),
    path(
        "manage/provinces/<int:pk>/api-keys/<int:key_pk>/revoke/",
        views.api_key_revoke_confirm,
        name="api_key_revoke",
    ),
    path("manage/provinces/<int:pk>/api-keys/<int:key_pk>/calls/", views.api_key_calls, name="api_key_calls"),
]
