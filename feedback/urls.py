from django.urls import path

from feedback.views import backoffice, mine, public

app_name = "feedback"

urlpatterns = [
    # Citizens
    path("communes/<int:pk>/feedback/", public.commune_feedback, name="commune_feedback"),
    path("communes/<int:pk>/feedback/new/", public.submit, name="submit"),
    path("feedback/", public.lookup, name="lookup"),
    path("feedback/<str:code>/", public.track, name="track"),
    path("feedback/<str:code>/qr.svg", public.qr, name="qr"),
    path("feedback/<str:code>/receipt/", public.receipt, name="receipt"),
    path("feedback/<str:code>/rate/", public.rate, name="rate"),
    path("feedback/<str:code>/dispute/", public.dispute, name="dispute"),
    path("feedback/photos/<int:photo_pk>/", public.photo, name="photo"),
    path("feedback/pending-photos/<str:key>/<str:name>", public.pending_photo, name="pending_photo"),
    path("my/feedback/", mine.my_feedback, name="mine"),
    # Staff
    path("manage/communes/<int:pk>/feedback/", backoffice.queue, name="queue"),
    path("manage/communes/<int:pk>/feedback.xlsx", backoffice.queue_export, name="queue_export"),
    path("manage/feedback/<str:code>/", backoffice.detail, name="detail"),
    path("manage/feedback/<str:code>/<slug:action>/", backoffice.act, name="act"),
    path("manage/overdue-feedback/", backoffice.overdue, name="overdue"),
    path("manage/overdue-feedback.xlsx", backoffice.overdue_export, name="overdue_export"),
    path("manage/provinces/<int:pk>/feedback-categories/", backoffice.categories, name="categories"),
]
