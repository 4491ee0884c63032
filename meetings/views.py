"""Meeting pages: thin, through the same access checks as the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ecabinet.errors import NotFound
from ecabinet.roles import Role
from meetings.access import access_meeting
from meetings.selectors import meeting_list_for_user, participant_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    meetings = [] if user.tenant_id is None else list(meeting_list_for_user(user))  # type: ignore[union-attr]
    return render(request, "meetings/home.html", {"meetings": meetings})


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        access = access_meeting(request.user, meeting_id, request=request)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": access.meeting,
            "role": access.role,
            "participants": participant_list(access.meeting),
            "role_labels": {value: str(label) for value, label in Role.choices},
        },
    )
