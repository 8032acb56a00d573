from django.urls import path, register_converter

from communes.views import catalogue, disclosures, history, officers, one_stop, procedures, public, statistics, units


class MonthConverter:
    """'2024-03' in URLs for a month of statistics."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else value.strftime("%Y-%m")


register_converter(MonthConverter, "month")

app_name = "communes"

urlpatterns = [
    # Public pages (the province's and the commune's own pages are composed in portal.urls)
    path("provinces/<int:pk>/code-of-conduct/", public.code_of_conduct, name="code_of_conduct"),
    path("provinces/<int:pk>/code-of-conduct/<int:version>/", public.code_of_conduct, name="code_of_conduct_version"),
    path("districts/<int:pk>/", units.DistrictDetailView.as_view(), name="district_detail"),
    path("communes/", public.commune_search, name="commune_search"),
    path("communes/suggest/", public.commune_suggest, name="commune_suggest"),
    path("communes/<int:pk>/procedures/", public.procedure_list, name="procedure_list"),
    path("communes/<int:pk>/procedures/<str:code>/", public.procedure_detail, name="procedure_detail"),
    path("communes/<int:pk>/procedures/<str:code>/qr.svg", public.procedure_qr, name="procedure_qr"),
    path("communes/<int:pk>/procedures/<str:code>/poster/", public.procedure_poster, name="procedure_poster"),
    path("communes/<int:pk>/disclosures/", public.disclosure_list, name="disclosure_list"),
    path(
        "communes/<int:pk>/disclosures/<int:disclosure_pk>/document/",
        public.disclosure_document,
        name="disclosure_document",
    ),
    path(
        "communes/<int:pk>/disclosures/lists/<int:year>/<int:quarter>/",
        public.disclosure_quarterly_list,
        name="disclosure_quarterly_list",
    ),
    # Officers' back office: every view takes the commune from the URL and checks it.
    path("manage/communes/<int:pk>/", one_stop.manage_home, name="manage_home"),
    path("manage/communes/<int:pk>/profile/", one_stop.manage_profile, name="manage_profile"),
    path("manage/communes/<int:pk>/profile/verify/", one_stop.manage_verify, name="manage_verify"),
    path("manage/communes/<int:pk>/hours/", one_stop.manage_hours, name="manage_hours"),
    path("manage/communes/<int:pk>/special-days/", one_stop.manage_exceptions, name="manage_exceptions"),
    path("manage/communes/<int:pk>/facilities/", one_stop.manage_facilities, name="manage_facilities"),
    path("manage/communes/<int:pk>/duty/", one_stop.manage_duty, name="manage_duty"),
    path("manage/communes/<int:pk>/officers/", officers.manage_officers, name="manage_officers"),
    path("manage/communes/<int:pk>/officers/new/", officers.manage_officer_edit, name="manage_officer_create"),
    path(
        "manage/communes/<int:pk>/officers/<int:officer_pk>/",
        officers.manage_officer_edit,
        name="manage_officer_update",
    ),
    path(
        "manage/communes/<int:pk>/officers/<int:officer_pk>/delete/",
        officers.manage_officer_delete,
        name="manage_officer_delete",
    ),
    path("manage/communes/<int:pk>/procedures/", procedures.manage_procedures, name="manage_procedures"),
    path("manage/communes/<int:pk>/disclosures/", disclosures.manage_disclosures, name="manage_disclosures"),
    path(
        "manage/communes/<int:pk>/disclosures/new/", disclosures.manage_disclosure_edit, name="manage_disclosure_create"
    ),
    path(
        "manage/communes/<int:pk>/disclosures/<int:disclosure_pk>/",
        disclosures.manage_disclosure_edit,
        name="manage_disclosure_update",
    ),
    path(
        "manage/communes/<int:pk>/disclosures/<int:disclosure_pk>/delete/",
        disclosures.manage_disclosure_delete,
        name="manage_disclosure_delete",
    ),
    path(
        "manage/communes/<int:pk>/disclosures/lists/",
        disclosures.manage_disclosure_quarterly_list,
        name="manage_disclosure_quarterly_list",
    ),
    path("manage/communes/<int:pk>/history/", history.commune_history, name="commune_history"),
    path("manage/communes/<int:pk>/statistics/", statistics.manage_statistics, name="manage_statistics"),
    path(
        "manage/communes/<int:pk>/statistics/<month:month>/",
        statistics.manage_statistics_month,
        name="manage_statistics_month",
    ),
    path(
        "manage/communes/<int:pk>/statistics/import/",
        statistics.manage_statistics_import,
        name="manage_statistics_import",
    ),
    # The Department of Home Affairs: its province's procedure catalogue and code of conduct.
    path("manage/provinces/<int:pk>/procedures/", catalogue.catalogue, name="manage_catalogue"),
    path("manage/provinces/<int:pk>/procedures/new/", catalogue.procedure_edit, name="manage_procedure_create"),
    path(
        "manage/provinces/<int:pk>/procedures/<int:procedure_pk>/",
        catalogue.procedure_edit,
        name="manage_procedure_update",
    ),
    path(
        "manage/provinces/<int:pk>/code-of-conduct/",
        catalogue.code_of_conduct_manage,
        name="manage_code_of_conduct",
    ),
]
