from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from surveys.models import Campaign, Factor, Question, Questionnaire


class FactorInline(admin.TabularInline):
    model = Factor
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    list_display = ["code", "version", "title_vi"]
    inlines = [FactorInline, QuestionInline]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "province", "status", "starts_on", "ends_on"]
    list_filter = ["status", "province"]
    filter_horizontal = ["communes"]
