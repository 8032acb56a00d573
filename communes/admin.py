from django.contrib import admin
from django.db import models
from import_export.admin import ExportMixin, ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from communes.models import (
    CodeOfConduct,
    Commune,
    CommuneProcedure,
    Disclosure,
    District,
    DossierStatistics,
    OneStopShop,
    Procedure,
    Province,
    Village,
)
from communes.resources import (
    CommuneProcedureAdminResource,
    DisclosureAdminResource,
    DossierStatisticsAdminResource,
    ProcedureAdminResource,
)
from core.uploads import ImageUploadField, PdfUploadField


class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "division_type", "valid_from", "valid_until"]
    list_filter = ["division_type", "valid_until"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = ["search_name"]
    # Units come from load_units; editing is for corrections, with the successor links in view.
    filter_horizontal = ["successors"]


@admin.register(Province)
class ProvinceAdmin(UnitAdmin):
    pass


@admin.register(District)
class DistrictAdmin(UnitAdmin):
    list_select_related = ["province"]
    list_display = [*UnitAdmin.list_display, "province"]
    autocomplete_fields = ["province"]


@admin.register(Commune)
class CommuneAdmin(UnitAdmin):
    list_select_related = ["province", "district"]
    list_display = [*UnitAdmin.list_display, "district", "province"]
    filter_horizontal = []
    autocomplete_fields = ["province", "district", "successors"]


class ProcedureAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [ProcedureAdminResource]
    list_display = ["code", "name", "field", "province", "time_limit_days", "same_day", "online_level"]
    list_filter = ["province", "field", "online_level", "same_day"]
    list_select_related = ["province"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["province"]


class CommuneProcedureAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CommuneProcedureAdminResource]
    list_display = ["commune", "procedure"]
    list_filter = ["procedure__province"]
    list_select_related = ["commune", "procedure"]
    search_fields = ["commune__name", "commune__code", "procedure__code", "procedure__name"]
    autocomplete_fields = ["commune"]
    raw_id_fields = ["procedure"]


class CodeOfConductAdmin(SimpleHistoryAdmin):
    list_display = ["title", "province", "version", "in_force_from"]
    list_filter = ["province"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]


class OneStopShopAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "address", "phone", "verified_on"]
    list_select_related = ["commune"]
    search_fields = ["commune__name", "commune__search_name", "address"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["verified_by"]
    # The photo is checked and re-encoded as in the back office (core.uploads).
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}


# Export only: a disclosure is its document, which an officer uploads from the back office.
class DisclosureAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [DisclosureAdminResource]
    list_display = ["title", "commune", "category", "decision_date", "published_on", "posted_until"]
    list_filter = ["category"]
    list_select_related = ["commune"]
    search_fields = ["title", "commune__name"]
    autocomplete_fields = ["commune"]
    # A document changed here is read and checked for scripts as in the back office (core.uploads).
    formfield_overrides = {models.FileField: {"form_class": PdfUploadField}}


class DossierStatisticsAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [DossierStatisticsAdminResource]
    list_display = ["commune", "month", "received", "resolved_on_time", "resolved_late", "pending"]
    list_select_related = ["commune"]
    date_hierarchy = "month"
    autocomplete_fields = ["commune"]

    def get_import_resource_kwargs(self, request, **kwargs):
        # The rows are the importer's in the history, as from the statistics pages.
        return {**super().get_import_resource_kwargs(request, **kwargs), "by": request.user}


# Officers keep their commune's records in the back office (communes/views/: one_stop, officers,
# procedures, disclosures); the admin is the site administrator's tool for the provincial catalogue,
# the code of conduct and corrections, with spreadsheets in and out for what is kept in Excel.
admin.site.register(Procedure, ProcedureAdmin)
admin.site.register(CommuneProcedure, CommuneProcedureAdmin)
admin.site.register(CodeOfConduct, CodeOfConductAdmin)
admin.site.register(OneStopShop, OneStopShopAdmin)
admin.site.register(Disclosure, DisclosureAdmin)
admin.site.register(DossierStatistics, DossierStatisticsAdmin)


@admin.register(Village)
class VillageAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "commune", "households", "head_name", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["name", "search_name", "commune__name", "commune__code"]
    autocomplete_fields = ["commune", "successors"]
