from django.urls import path

from surveys.api import views

app_name = "surveys"

urlpatterns = [
    path("communes/<int:pk>/survey-figures/", views.CommuneSurveyFigures.as_view(), name="commune-survey-figures"),
    path("surveys/visits/<str:code>/", views.VisitDetail.as_view(), name="visit-detail"),
    path("surveys/visits/<str:code>/responses/", views.VisitResponseCreate.as_view(), name="visit-responses"),
]
