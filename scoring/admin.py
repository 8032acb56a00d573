from django import forms
from django.contrib import admin
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.uploads import ImageUploadField
from scoring.models import (
    Assessment,
    CertificateRegister,
    CriteriaGroup,
    CriteriaSet,
    Criterion,
    Decision,
    DecisionEntry,
    Line,
    ProvinceEmblem,
    StarBand,
)
from scoring.resources.criteria import CriterionAdminResource


class GroupInline(admin.TabularInline):
    model = CriteriaGroup
    extra = 0


class BandInline(admin.TabularInline):
    model = StarBand
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ["name_vi", "province", "year", "version", "status"]
    list_filter = ["status", "year"]
    inlines = [GroupInline, BandInline]


# Export only: criteria change through their set's workbook, which checks the whole set.
@admin.register(Criterion)
class CriterionAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [CriterionAdminResource]
    list_display = ["code", "name_vi", "max_points", "measure", "metric"]
    list_filter = ["measure", "group__criteria_set"]
    list_select_related = ["group__criteria_set"]


class LineInline(admin.TabularInline):
    model = Line
    extra = 0
    fields = ["criterion", "self_score", "computed_points", "appraised_score", "appraisal_reason"]
    readonly_fields = fields


# Assessments change through the workflow's services only: the admin reads them.
@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit_name", "year", "status", "total", "stars", "locked_at"]
    list_filter = ["year", "status"]
    search_fields = ["unit_name"]
    inlines = [LineInline]

    def has_change_permission(self, request, obj=None):
        return False


class EntryInline(admin.TabularInline):
    model = DecisionEntry
    extra = 0
    readonly_fields = ["assessment", "unit_name", "total", "stars", "position"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "province", "year", "signed_on", "status"]
    list_filter = ["status", "year"]
    inlines = [EntryInline]

    def has_change_permission(self, request, obj=None):
        return False


class ProvinceEmblemForm(forms.ModelForm):
    class Meta:
        model = ProvinceEmblem
        fields = ["province", "image"]
        # The image is judged (size in pixels, content) and re-encoded by core.uploads.clean_image, as
        # every image the portal accepts.
        field_classes = {"image": ImageUploadField}


@admin.register(ProvinceEmblem)
class ProvinceEmblemAdmin(admin.ModelAdmin):
    form = ProvinceEmblemForm
    list_display = ["province", "image"]
    autocomplete_fields = ["province"]


# Numbers are given by issuing only (locked, never twice): the admin reads the registers.
@admin.register(CertificateRegister)
class CertificateRegisterAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "last_number"]
    list_filter = ["year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
