from django.urls import path

from communes.api import views

app_name = "communes"

urlpatterns = [
    path("provinces/", views.ProvinceList.as_view(), name="province-list"),
    path("provinces/<int:pk>/", views.ProvinceDetail.as_view(), name="province-detail"),
    path("provinces/<int:pk>/procedures/", views.ProvinceProcedures.as_view(), name="province-procedures"),
    path(
        "provinces/<int:pk>/dossier-statistics/",
        views.ProvinceDossierStatistics.as_view(),
        name="province-dossier-statistics",
    ),
    path("districts/", views.DistrictList.as_view(), name="district-list"),
    path("districts/<int:pk>/", views.DistrictDetail.as_view(), name="district-detail"),
    path("communes/", views.CommuneList.as_view(), name="commune-list"),
    path("communes/<int:pk>/", views.CommuneDetail.as_view(), name="commune-detail"),
    path("communes/<int:pk>/one-stop/", views.CommuneOneStop.as_view(), name="commune-one-stop"),
    path("communes/<int:pk>/procedures/", views.CommuneProcedureList.as_view(), name="commune-procedure-list"),
    path("communes/<int:pk>/disclosures/", views.CommuneDisclosureList.as_view(), name="commune-disclosure-list"),
    path(
        "communes/<int:pk>/disclosure-lists/",
        views.CommuneQuarterlyLists.as_view(),
        name="commune-disclosure-lists",
    ),
    path(
        "communes/<int:pk>/disclosure-lists/<int:year>/<int:quarter>/",
        views.CommuneQuarterlyList.as_view(),
        name="commune-disclosure-list-detail",
    ),
]
