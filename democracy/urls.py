from django.urls import path

from democracy.views import conventions, households, matters, public, villages

app_name = "democracy"

urlpatterns = [
    # Public: what residents know (dân biết). No household's name, no ballot.
    path("communes/<int:pk>/democracy/", public.commune_democracy, name="commune_democracy"),
    path("communes/<int:pk>/democracy/calendar.ics", public.commune_calendar_ics, name="commune_calendar_ics"),
    path("villages/<int:pk>/", public.village_detail, name="village_detail"),
    path("villages/<int:pk>/subscribe/", public.village_subscribe, name="village_subscribe"),
    path("subscriptions/<str:token>/confirm/", public.subscription_confirm, name="subscription_confirm"),
    path("subscriptions/<str:token>/unsubscribe/", public.subscription_cancel, name="subscription_cancel"),
    path("matters/<int:pk>/", public.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/document/", public.matter_document, name="matter_document"),
    path("matters/<int:pk>/vote/", public.matter_vote, name="matter_vote"),
    path("decisions/<int:pk>/minutes/", public.decision_minutes, name="decision_minutes"),
    path("ballots/", public.ballot_lookup, name="ballot_lookup"),
    path("ballots/<str:code>/", public.ballot, name="ballot"),
    path("conventions/<int:pk>/", public.convention_detail, name="convention_detail"),
    path("convention-versions/<int:pk>/document/", public.convention_document, name="convention_document"),
    # Back office: villages and households (the commune's officers; a village's head for its own).
    path("manage/communes/<int:pk>/villages/", villages.manage_villages, name="manage_villages"),
    path("manage/communes/<int:pk>/villages/new/", villages.village_create, name="manage_village_create"),
    path("manage/communes/<int:pk>/villages/import/", villages.villages_import, name="manage_villages_import"),
    path("manage/villages/<int:pk>/", villages.manage_village, name="manage_village"),
    path("manage/villages/<int:pk>/edit/", villages.village_update, name="manage_village_update"),
    path("manage/villages/<int:pk>/households/", households.manage_households, name="manage_households"),
    path("manage/villages/<int:pk>/households/new/", households.household_edit, name="manage_household_create"),
    path(
        "manage/villages/<int:pk>/households/<int:household_pk>/",
        households.household_edit,
        name="manage_household_update",
    ),
    path(
        "manage/villages/<int:pk>/households/<int:household_pk>/verify/",
        households.household_verify,
        name="manage_household_verify",
    ),
    path("manage/villages/<int:pk>/households/import/", households.households_import, name="manage_households_import"),
    # Back office: matters residents decide.
    path("manage/communes/<int:pk>/matters/", matters.manage_matters, name="manage_matters"),
    path("manage/communes/<int:pk>/matters/new/", matters.commune_matter_create, name="manage_matter_create"),
    path("manage/villages/<int:pk>/matters/new/", matters.village_matter_create, name="manage_village_matter_create"),
    path("manage/matters/<int:pk>/", matters.manage_matter, name="manage_matter"),
    path("manage/matters/<int:pk>/open/", matters.matter_open, name="manage_matter_open"),
    path("manage/matters/<int:pk>/recognise/", matters.matter_recognise, name="manage_matter_recognise"),
    path("manage/matters/<int:pk>/refuse/", matters.matter_refuse, name="manage_matter_refuse"),
    path("manage/decisions/<int:pk>/meeting/", matters.meeting_record, name="manage_meeting_record"),
    path("manage/decisions/<int:pk>/reschedule/", matters.meeting_reschedule, name="manage_meeting_reschedule"),
    path("manage/decisions/<int:pk>/ballots-instead/", matters.switch_to_ballots, name="manage_decision_ballots"),
    path("manage/decisions/<int:pk>/ballots/print/", matters.ballots_print, name="manage_ballots_print"),
    path("manage/decisions/<int:pk>/ballots/enter/", matters.ballot_enter, name="manage_ballot_enter"),
    path("manage/decisions/<int:pk>/count/", matters.decision_count, name="manage_decision_count"),
    path("manage/decisions/<int:pk>/cosign/", matters.decision_cosign, name="manage_decision_cosign"),
    path("manage/decisions/<int:pk>/send/", matters.decision_send, name="manage_decision_send"),
    # Back office: village conventions.
    path("manage/villages/<int:pk>/conventions/new/", conventions.convention_create, name="manage_convention_create"),
    path("manage/conventions/<int:pk>/", conventions.manage_convention, name="manage_convention"),
    path(
        "manage/conventions/<int:pk>/versions/new/",
        conventions.version_create,
        name="manage_convention_version_create",
    ),
    path("manage/convention-versions/<int:pk>/adopt/", conventions.version_adopt, name="manage_convention_adopt"),
    path(
        "manage/convention-versions/<int:pk>/recognise/",
        conventions.version_recognise,
        name="manage_convention_recognise",
    ),
]
