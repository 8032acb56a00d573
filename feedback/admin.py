from django.contrib import admin
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from feedback.models import Category
from feedback.resources import CategoryAdminResource


# The feedback itself is worked in the back office (feedback/views/), where every step is kept; the admin
# keeps the provinces' categories, which DoHA also edits on its own page.
@admin.register(Category)
class CategoryAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CategoryAdminResource]
    list_display = ["name", "province", "time_limit_days", "position", "active"]
    list_filter = ["province", "active"]
    list_select_related = ["province"]
    search_fields = ["name"]
