"""Opinions and votes over the API: thin, through the same access checks,
operations and actions as the pages and the socket.

The session's writes (open, vote, close, positions, consent list) run the
operation of the same name that the socket runs (``voting.operations``).
Errors map to ``{"error", "detail"}`` through ``ecabinet.api.exception_handler``.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import actions as paper_actions
from documents.api import UPLOAD_ERRORS, PaperKindField, _UploadApi
from documents.models import Paper
from documents.validation import too_large
from ecabinet import audit
from ecabinet.api import AwareDateTimeField, Id, Input, NoInput, Serializer, body_of, errors, parse_request
from ecabinet.errors import Invalid
from ecabinet.models import User
from ecabinet.roles import Capability, TenantCapability, access_tenant
from ecabinet.tenancy import current_tenant
from meetings.access import MeetingAccess, access_meeting
from meetings.selectors import directory
from voting import actions, operations
from voting.access import access_ballot, access_slip
from voting.models import Majority, SlipAnswer
from voting.selectors import (
    ballot_state,
    ballots_of,
    positions_state,
    slip_list_for_user,
    slip_papers,
    slip_rows,
    slip_state,
)

WRITE_ERRORS = errors(400, 401, 403, 404, 409)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _access(
    request: Request, meeting_id: int, capability: Capability = Capability.VIEW_MEETING
) -> MeetingAccess:
    return access_meeting(request.user, meeting_id, capability=capability, request=request._request)


def _run(
    request: Request, meeting_id: int, name: str, *, path: dict[str, int] | None = None, code: int = 200
) -> Response:
    """Run the operation ``name`` with the request's body and the ids of its path, parsed by the
    operation's own input as a socket frame is."""
    operation = operations.OPERATIONS[name]
    access = _access(request, meeting_id, operation.capability)
    path = path or {}
    body = parse_request(body_of(operation.input, without=tuple(path)), request)  # the path's ids refused
    return Response(operations.run(name, access, {**body, **path}, request=request._request), status=code)


_vote_body = body_of(operations.VoteInput, without=("ballot_id",))


class StateSerializer(Serializer):
    """A JSON object; its fields are described in docs/ballots.md."""

    def to_representation(self, instance: Any) -> Any:
        return instance


# --- positions ----------------------------------------------------------------------------


class CutoffInput(Input):
    cutoff = AwareDateTimeField(allow_null=True)

    class Meta:
        ref_name = "PositionsCutoffInput"


class PositionsApi(APIView):
    @extend_schema(
        summary="Positions before the session: mine, or everyone's for the chair and the secretariat",
        responses={200: StateSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        return Response(positions_state(_access(request, meeting_id)))

    @extend_schema(
        summary="Give or change my position on an item (members)",
        request=operations.PositionInput,
        responses={200: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        return _run(request, meeting_id, "position.give")


class PositionsCutoffApi(APIView):
    @extend_schema(
        summary="Set until when positions are taken (secretariat)",
        request=CutoffInput,
        responses={200: StateSerializer, **WRITE_ERRORS},
    )
    def put(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(CutoffInput, request)
        actions.do_set_positions_cutoff(access.meeting, cutoff=data["cutoff"], acting_user=_user(request))
        return Response(positions_state(access))


class ConsentAdoptApi(APIView):
    @extend_schema(
        summary="Adopt the consent list in one step (chair)",
        request=NoInput,
        responses={200: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        return _run(request, meeting_id, "consent.adopt")


# --- ballots ------------------------------------------------------------------------------


class BallotListApi(APIView):
    @extend_schema(
        summary="The meeting's ballots on the items I see",
        responses={200: StateSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id)
        return Response([ballot_state(access, b) for b in ballots_of(access)])

    @extend_schema(
        summary="Open a ballot on the current item (chair)",
        request=operations.BallotOpenInput,
        responses={201: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        return _run(request, meeting_id, "ballot.open", code=status.HTTP_201_CREATED)


class BallotDetailApi(APIView):
    @extend_schema(
        summary="One ballot: counts while open, names after the close of a named ballot",
        responses={200: StateSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int, ballot_id: int) -> Response:
        access = _access(request, meeting_id)
        return Response(ballot_state(access, access_ballot(access, ballot_id)))


class VoteApi(APIView):
    @extend_schema(
        summary="Vote (members, or the substitute they named)",
        request=_vote_body,
        responses={200: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int, ballot_id: int) -> Response:
        return _run(request, meeting_id, "ballot.vote", path={"ballot_id": ballot_id})


class BallotCloseApi(APIView):
    @extend_schema(
        summary="Close the ballot and count (chair)",
        request=NoInput,
        responses={200: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int, ballot_id: int) -> Response:
        return _run(request, meeting_id, "ballot.close", path={"ballot_id": ballot_id})


# --- opinion slips --------------------------------------------------------------------------


class SlipIssueInput(Input):
    question = serializers.CharField(max_length=500)
    draft = serializers.CharField(max_length=50_000, required=False, allow_blank=True)
    deadline = AwareDateTimeField()
    recipient_ids = serializers.ListField(child=Id(), min_length=1, max_length=500)
    majority = serializers.ChoiceField(choices=Majority.choices, required=False, default=Majority.OF_MEMBERS)
    allow_change = serializers.BooleanField(required=False, default=True)

    class Meta:
        ref_name = "SlipIssueInput"


class SlipAnswerInput(Input):
    choice = serializers.ChoiceField(choices=SlipAnswer.Choice.choices)
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    class Meta:
        ref_name = "SlipAnswerInput"


class SlipListApi(APIView):
    @extend_schema(
        summary="Opinion slips: all for the secretariat, those I am asked on otherwise",
        responses={200: StateSerializer(many=True), **errors(401)},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        rows = slip_rows(user, list(slip_list_for_user(user)[:200]))
        return Response(
            [
                {
                    "id": r["slip"].pk,
                    "number": r["slip"].number,
                    "question": r["slip"].question,
                    "deadline": r["slip"].deadline.isoformat(),
                    "status": r["slip"].status,
                    "asked": r["asked"],
                    "answered": r["answered"],
                    "mine": r["mine"],
                }
                for r in rows
            ]
        )

    @extend_schema(
        summary="Issue an opinion slip (secretariat)",
        request=SlipIssueInput,
        responses={201: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.MANAGE_SLIPS, request=request._request)
        data = parse_request(SlipIssueInput, request)
        ids = set(data.pop("recipient_ids"))
        users = list(directory(current_tenant()).filter(pk__in=ids))
        if len(users) != len(ids):
            raise Invalid(_("Only active users of this tenant can be asked."))
        slip = actions.do_issue_slip(
            tenant=current_tenant(), recipients=users, acting_user=_user(request), **data
        )
        return Response(slip_state(access_slip(request.user, slip.pk)), status=status.HTTP_201_CREATED)


class SlipDetailApi(APIView):
    @extend_schema(
        summary="One slip: my answer; who answered and the result for the secretariat",
        responses={200: StateSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, slip_id: int) -> Response:
        return Response(slip_state(access_slip(request.user, slip_id, request=request._request)))


class SlipAnswerApi(APIView):
    @extend_schema(
        summary="Answer a slip (the members asked)",
        request=SlipAnswerInput,
        responses={200: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, slip_id: int) -> Response:
        access = access_slip(request.user, slip_id, request=request._request)
        data = parse_request(SlipAnswerInput, request)
        actions.do_answer_slip(
            access.slip, user=_user(request), choice=data["choice"], text=data.get("text", "")
        )
        return Response(slip_state(access_slip(request.user, slip_id)))


class SlipCloseApi(APIView):
    @extend_schema(
        summary="Close a slip before its deadline (secretariat)",
        request=NoInput,
        responses={200: StateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, slip_id: int) -> Response:
        access = access_slip(request.user, slip_id, manage=True, request=request._request)
        parse_request(NoInput, request)
        actions.do_close_slip(access.slip, acting_user=_user(request))
        return Response(slip_state(access_slip(request.user, slip_id)))


class SlipPapersApi(_UploadApi):
    """A slip's papers: the list for whoever reads the slip; an upload for the secretariat."""

    class InputSerializer(Input):
        file = serializers.FileField(allow_empty_file=True, help_text="The paper as a PDF.")
        title = serializers.CharField(max_length=paper_actions.MAX_TITLE)
        kind = PaperKindField(default=Paper.Kind.DRAFT)
        declared_secret = serializers.BooleanField(
            default=False, help_text="The paper is marked Mật, Tối mật or Tuyệt mật: it is refused."
        )
        confirmed_unreadable = serializers.BooleanField(
            default=False,
            help_text=(
                "The uploader has looked at the pages eCabinet could not read (pictures without text) "
                "and none is marked secret; needed only when an upload was refused as `unreadable`."
            ),
        )

        class Meta:
            ref_name = "SlipPaperUpload"

    @extend_schema(
        summary="The papers of a slip, each with its reader page",
        responses={200: StateSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, slip_id: int) -> Response:
        return Response(slip_papers(access_slip(request.user, slip_id, request=request._request)))

    @extend_schema(
        summary="Give an open slip a paper (secretariat)",
        request={"multipart/form-data": InputSerializer},
        responses={201: StateSerializer, **UPLOAD_ERRORS},
    )
    def post(self, request: Request, slip_id: int) -> Response:
        access = access_slip(request.user, slip_id, manage=True, request=request._request)
        data = parse_request(self.InputSerializer, request)
        if self.size_limit is not None and self.size_limit.too_large:
            audit.record(
                audit.Kind.PAPER_UPLOAD_REFUSED,
                request=request._request,
                user=_user(request),
                reason="too_large",
                slip_id=access.slip.pk,
            )
            raise too_large(self.size_limit.limit_bytes)
        link = actions.do_attach_slip_paper(
            access.slip,
            upload=data["file"],
            title=data["title"],
            kind=data["kind"],
            declared_secret=data["declared_secret"],
            confirmed_unreadable=data["confirmed_unreadable"],
            acting_user=_user(request),
            request=request._request,
        )
        papers = slip_papers(access_slip(request.user, slip_id))
        return Response(
            {"paper": next(p for p in papers if p["id"] == link.paper_id), "papers": papers},
            status=status.HTTP_201_CREATED,
        )


class VotingRulesInput(Input):
    reminder_hours = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=720), max_length=6
    )

    class Meta:
        ref_name = "VotingRulesInput"


class VotingRulesApi(APIView):
    @extend_schema(
        summary="When slip reminders go out (hours before the deadline)",
        responses={200: StateSerializer, **errors(401)},
    )
    def get(self, request: Request) -> Response:
        return Response({"reminder_hours": actions.voting_settings(current_tenant()).reminder_hours})

    @extend_schema(
        summary="Change when slip reminders go out (secretariat)",
        request=VotingRulesInput,
        responses={200: StateSerializer, **errors(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.MANAGE_SLIPS, request=request._request)
        data = parse_request(VotingRulesInput, request)
        found = actions.do_set_voting_settings(
            tenant=current_tenant(), reminder_hours=data["reminder_hours"], acting_user=_user(request)
        )
        return Response({"reminder_hours": found.reminder_hours})
