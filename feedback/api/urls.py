from django.urls import path

from feedback.api import views

app_name = "feedback"

urlpatterns = [
    path(
        "provinces/<int:pk>/feedback-categories/",
        views.ProvinceCategoryList.as_view(),
        name="province-feedback-categories",
    ),
    path("communes/<int:pk>/feedback/", views.CommuneQueue.as_view(), name="commune-feedback-queue"),
    path("feedback/", views.FeedbackListCreate.as_view(), name="feedback-list"),
    # Before the codes: "mine" is no tracking code (codes have 8 characters, and no I).
    path("feedback/mine/", views.MyFeedbackList.as_view(), name="feedback-mine"),
    path("feedback/<str:code>/", views.FeedbackDetail.as_view(), name="feedback-detail"),
    path("feedback/<str:code>/rating/", views.FeedbackRating.as_view(), name="feedback-rating"),
    path("feedback/<str:code>/dispute/", views.FeedbackDispute.as_view(), name="feedback-dispute"),
    path("feedback/<str:code>/staff/", views.FeedbackStaffDetail.as_view(), name="feedback-staff"),
    path("feedback/<str:code>/acceptance/", views.FeedbackAcceptance.as_view(), name="feedback-acceptance"),
    path("feedback/<str:code>/answer/", views.FeedbackAnswer.as_view(), name="feedback-answer"),
]
