"""Meetings: agendas, participants, the live session."""
