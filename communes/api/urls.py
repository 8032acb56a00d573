from django.urls import path

from communes.api import views

app_name = "communes"

urlpatterns = [
    path("provinces/", views.ProvinceList.as_view(), name="province-list"),
    path("provinces/<int:pk>/", views.ProvinceDetail.as_view(), name="province-detail"),
]
