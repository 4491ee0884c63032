from django.contrib import admin

from ecabinet.admin import AllTenantsAdmin
from ecabinet.generics import TabularInline
from meetings.models import AgendaItem, Baseline, Meeting, MeetingSettings, Participant


class ParticipantInline(TabularInline):
    model = Participant
    fk_name = "meeting"
    extra = 0
    fields = ["user", "role", "cannot_attend", "substitute_for", "attendance", "checked_in_at"]
    raw_id_fields = ["user", "substitute_for"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Participant.all_tenants.select_related("user")


class AgendaItemInline(TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenting_unit", "planned_minutes", "status"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return AgendaItem.all_tenants.all()


@admin.register(Meeting)
class MeetingAdmin(AllTenantsAdmin):
    list_display = ["title", "tenant", "kind", "scheduled_start", "status"]
    list_filter = ["tenant", "kind", "status"]
    search_fields = ["title"]
    readonly_fields = ["stream", "created_at", "created_by", "current_item", "acting_chair", "copied_from"]
    inlines = [AgendaItemInline, ParticipantInline]


@admin.register(Baseline)
class BaselineAdmin(AllTenantsAdmin):
    list_display = ["tenant", "kind", "minutes", "source", "is_assumption"]
    list_filter = ["tenant", "kind", "is_assumption"]


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(AllTenantsAdmin):
    list_display = ["tenant", "quorum_percent", "speaking_limit_seconds"]
