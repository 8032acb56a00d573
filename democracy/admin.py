"""The site administrator's view of the democracy records: read and corrected here only in an emergency;
officers and village heads work in the back office, where the law's rules are checked."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from democracy.models import Convention, ConventionVersion, Decision, Household, Matter


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["number", "head_name", "village", "active", "verified_at"]
    search_fields = ["number", "head_name", "village__name"]
    autocomplete_fields = ["village", "representative_account"]
    readonly_fields = ["verified_by", "verified_at"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["village", "form", "status", "starts_at", "ends_at", "passed", "sent_on"]
    readonly_fields = fields
    can_delete = False


@admin.register(Matter)
class MatterAdmin(SimpleHistoryAdmin):
    list_display = ["title", "commune", "village", "category", "form", "status"]
    list_filter = ["status", "form", "category"]
    search_fields = ["title", "commune__name", "village__name"]
    inlines = [DecisionInline]
    # The result and the recognition are the services' to write, never typed.
    readonly_fields = ["status", "villages_total", "villages_for", "passed", "recognised_by", "created_by"]
    autocomplete_fields = ["commune", "village"]


class VersionInline(admin.StackedInline):
    model = ConventionVersion
    extra = 0
    readonly_fields = ["status", "created_by"]


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["title", "village", "kind"]
    search_fields = ["title", "village__name"]
    autocomplete_fields = ["village"]
    inlines = [VersionInline]
