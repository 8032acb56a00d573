from django.urls import path

from communes import views

app_name = "communes"

urlpatterns = [
    path("provinces/<int:pk>/", views.ProvinceDetailView.as_view(), name="province_detail"),
    path("districts/<int:pk>/", views.DistrictDetailView.as_view(), name="district_detail"),
    path("communes/<int:pk>/", views.CommuneDetailView.as_view(), name="commune_detail"),
]
