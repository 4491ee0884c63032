from django.contrib import admin

from ecabinet.admin import AllTenantsAdmin
from meetings.models import Meeting, Participant


class ParticipantInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Participant
    extra = 0
    fields = ["user", "role"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Participant.all_tenants.select_related("user")


@admin.register(Meeting)
class MeetingAdmin(AllTenantsAdmin):
    list_display = ["title", "tenant", "scheduled_start", "status"]
    list_filter = ["tenant", "status"]
    search_fields = ["title"]
    readonly_fields = ["stream", "created_at", "created_by"]
    inlines = [ParticipantInline]
