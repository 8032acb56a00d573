"""The site administrator's view of the democracy records: read and corrected here only in an emergency;
officers and village heads work in the back office, where the law's rules are checked."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from democracy.models import (
    Board,
    BoardMember,
    Comment,
    Conference,
    Consultation,
    Convention,
    ConventionVersion,
    Decision,
    Execution,
    Household,
    Matter,
    Question,
    Recommendation,
    Section,
)


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


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "commune", "topic", "opens_on", "closes_on", "status"]
    list_filter = ["status", "topic"]
    search_fields = ["title", "commune__name"]
    autocomplete_fields = ["commune"]
    inlines = [SectionInline]
    # The steps (opening, closing, the synthesis) are the services' to write.
    readonly_fields = ["status", "closed_on", "closed_by", "synthesis_published_on", "created_by"]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "consultation", "channel", "status", "response"]
    list_filter = ["status", "channel", "response"]
    search_fields = ["text", "consultation__title"]
    readonly_fields = ["consultation", "section", "author", "entered_by", "answered_by", "answered_at"]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    readonly_fields = ["author", "entered_by"]


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "commune", "starts_at", "status"]
    list_filter = ["status"]
    search_fields = ["title", "commune__name"]
    autocomplete_fields = ["commune"]
    inlines = [QuestionInline]
    readonly_fields = ["status", "published_on", "created_by"]


class MemberInline(admin.TabularInline):
    model = BoardMember
    extra = 0
    autocomplete_fields = ["village", "account"]


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "commune", "kind", "term_starts_on", "term_ends_on"]
    list_filter = ["kind"]
    search_fields = ["subject", "commune__name"]
    autocomplete_fields = ["commune", "elected_by"]
    inlines = [MemberInline]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "board", "received_on", "due_on", "status", "answered_on"]
    list_filter = ["status"]
    search_fields = ["title", "board__commune__name"]
    # The due date is the law's, the answer the commune's through the back office.
    readonly_fields = ["board", "due_on", "status", "answered_on", "answered_by", "escalated_at", "created_by"]


@admin.register(Execution)
class ExecutionAdmin(SimpleHistoryAdmin):
    list_display = ["matter", "kind", "on", "amount"]
    list_filter = ["kind"]
    search_fields = ["matter__title", "description"]
    readonly_fields = ["matter", "created_by"]
