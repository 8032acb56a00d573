"""The democracy app's part of the JSON API (/api/v1/): serializers, views and routes."""

from django.urls import path

from democracy.api import views

app_name = "democracy"

urlpatterns = [
    path("communes/<int:pk>/democracy/", views.CommuneDemocracy.as_view(), name="commune-democracy"),
    path("communes/<int:pk>/consultations/", views.CommuneConsultationList.as_view(), name="commune-consultation-list"),
    path("communes/<int:pk>/boards/", views.CommuneBoards.as_view(), name="commune-boards"),
    path("democracy/matters/<int:pk>/", views.MatterDetail.as_view(), name="matter-detail"),
    path("consultations/<int:pk>/", views.ConsultationDetail.as_view(), name="consultation-detail"),
    path(
        "consultations/<int:pk>/comments/",
        views.ConsultationCommentCreate.as_view(),
        name="consultation-comment-create",
    ),
    path("consultations/<int:pk>/comments/mine/", views.OwnCommentList.as_view(), name="consultation-comment-mine"),
    path("conferences/<int:pk>/", views.ConferenceDetail.as_view(), name="conference-detail"),
    path("boards/<int:pk>/", views.BoardDetail.as_view(), name="board-detail"),
    path("recommendations/<int:pk>/", views.RecommendationDetail.as_view(), name="recommendation-detail"),
]
