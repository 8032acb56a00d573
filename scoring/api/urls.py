from django.urls import path

from scoring.api import views

app_name = "scoring"

urlpatterns = [
    path("communes/<int:pk>/results/", views.CommuneResults.as_view(), name="commune-results"),
    path("communes/<int:pk>/results/<int:year>/", views.CommuneResult.as_view(), name="commune-result"),
    path("provinces/<int:pk>/rankings/", views.ProvinceRankingYears.as_view(), name="province-ranking-years"),
    path("provinces/<int:pk>/rankings/<int:year>/", views.ProvinceRankings.as_view(), name="province-rankings"),
    path("certificates/verify/", views.CertificateVerify.as_view(), name="certificate-verify"),
    path("certificates/<str:serial>/", views.CertificateDetail.as_view(), name="certificate-detail"),
]
