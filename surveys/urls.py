from django.urls import path

from surveys.views import backoffice, kiosk, officers, public

app_name = "surveys"

urlpatterns = [
    # Citizens
    path("communes/<int:pk>/survey/", public.commune_survey, name="commune_survey"),
    path("survey/", public.code_entry, name="code_entry"),
    path("survey/thanks/", public.thanks, name="thanks"),
    path("survey/<str:code>/", public.code_survey, name="code_survey"),
    # The tablet at the counter
    path("kiosk/<int:pk>/", kiosk.kiosk, name="kiosk"),
    path("kiosk/<int:pk>/responses/", kiosk.submit, name="kiosk_submit"),
    # DoHA
    path("manage/provinces/<int:pk>/campaigns/", backoffice.campaigns, name="campaigns"),
    path("manage/campaigns/<int:pk>/", backoffice.campaign, name="campaign"),
    path("manage/campaigns/<int:pk>/review/", backoffice.review, name="review"),
    path("manage/campaigns/<int:pk>/comments/", backoffice.comments, name="comments"),
    path("manage/campaigns/<int:pk>/export/<slug:what>.<slug:fmt>", backoffice.export, name="export"),
    path("manage/campaigns/<int:pk>/<slug:action>/", backoffice.campaign_act, name="campaign_act"),
    # Commune officers
    path("manage/communes/<int:pk>/surveys/", officers.commune_surveys, name="commune_surveys"),
    path("manage/code-batches/<int:pk>/", officers.codes_print, name="codes_print"),
    path("manage/kiosks/<int:pk>/retire/", officers.kiosk_retire, name="kiosk_retire"),
]
