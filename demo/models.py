"""What ``seed_demo`` made, so that it finds its own again by identity, never by
title: a secretary's copy of a demo meeting keeps its title, and a rehearsal
may add meetings and slips of any name. ``seed_demo --reset`` removes whatever
is not listed here (and the upcoming session, to make it afresh)."""

from __future__ import annotations

from django.db import models

from meetings.models import Meeting
from voting.models import Slip


class DemoMeeting(models.Model):
    class Part(models.TextChoices):
        UPCOMING = "upcoming", "upcoming session"
        PAST = "past", "past session, held through the actions"
        HISTORY = "history", "past session, written in bulk"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="demo")
    part = models.CharField(max_length=10, choices=Part.choices)

    def __str__(self) -> str:
        return f"{self.part}: {self.meeting_id}"


class DemoSlip(models.Model):
    class Part(models.TextChoices):
        OPEN = "open", "open slip"
        CLOSED = "closed", "closed slip"
        HISTORY = "history", "past slip, written in bulk"

    slip = models.OneToOneField(Slip, on_delete=models.CASCADE, related_name="demo")
    part = models.CharField(max_length=10, choices=Part.choices)

    def __str__(self) -> str:
        return f"{self.part}: {self.slip_id}"
