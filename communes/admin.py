from django.contrib import admin

from communes.models import Commune, District, Province


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
