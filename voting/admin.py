"""Slips, ballots and the tenants' reminder times, for national administrators.

Read-only: votes and answers change only through ``voting.actions``. Secret
ballots' counters and who-has-voted rows are not listed here at all; a
ballot's result (counts only for a secret one) is on the ballot.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ecabinet.admin import AllTenantsAdmin
from voting.models import Ballot, Slip, VotingSettings


class ReadOnlyAdmin(AllTenantsAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Slip)
class SlipAdmin(ReadOnlyAdmin):
    list_display = ["number", "question", "tenant", "deadline", "status"]
    list_filter = ["tenant", "status"]
    search_fields = ["question"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["question", "tenant", "meeting", "secret", "status", "closed_at"]
    list_filter = ["tenant", "secret", "status"]


@admin.register(VotingSettings)
class VotingSettingsAdmin(AllTenantsAdmin):
    list_display = ["tenant", "reminder_hours"]
