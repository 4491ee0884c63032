"""Meetings over the API: thin, through the same access checks and actions as
the pages and the socket.

Each view parses its body with a nested ``InputSerializer`` (unknown fields
and naive datetimes refused), fetches the meeting with ``access_meeting``
(tenant first; missing, foreign and not-a-participant are one 404), calls one
action (or, for the session, the operation of the same name the socket runs)
and answers with the shapes of ``meetings.payloads``. Errors of actions map
to ``{"error", "detail"}`` through ``ecabinet.api.exception_handler``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecabinet.api import (
    WRITE_ERRORS,
    AwareDateTimeField,
    ErrorSerializer,
    Flag,
    Id,
    Input,
    NoInput,
    Serializer,
    body_of,
    errors,
    parse_request,
)
from ecabinet.errors import Invalid, NotAllowed, NotFound
from ecabinet.models import User
from ecabinet.realtime import REPLAY_LIMIT, events_since, frames_for
from ecabinet.roles import Capability, Role, TenantCapability, access_tenant
from ecabinet.shapes import frame_serializer, serializer_for
from ecabinet.tenancy import current_tenant
from meetings import actions, operations
from meetings.access import MAX_ID, MeetingAccess, access_item, access_meeting
from meetings.models import MeetingKind, Participant, SubstituteProposal
from meetings.operations import enum_field
from meetings.payloads import (
    CommentResultShape,
    DirectoryUserShape,
    ItemResultShape,
    ItemShape,
    MeetingResultShape,
    MeetingShape,
    MeetingStateShape,
    OrderResultShape,
    ParticipantResultShape,
    SpeakRequestResultShape,
    SubstituteDecisionShape,
    SubstituteProposalResultShape,
    SubstitutesShape,
    item_payload,
    meeting_payload,
    participant_payload,
    substitute_proposal_payload,
)
from meetings.selectors import (
    directory,
    meeting_list_for_user,
    meeting_state,
    substitutes_state,
    tenant_rules,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _access(request: Request, meeting_id: int, capability: Capability) -> MeetingAccess:
    return access_meeting(request.user, meeting_id, capability=capability, request=request._request)


def _directory_user(user_id: int, message: str) -> User:
    """An active user of this tenant's directory, or ``Invalid(message)``."""
    user = directory(current_tenant()).filter(pk=user_id).first()
    if user is None:
        raise Invalid(message)
    return user


def _participant_of(access: MeetingAccess, participant_id: int) -> Participant:
    if not 0 < participant_id <= MAX_ID:
        raise NotFound()
    participant = (
        Participant.objects.select_related("user", "substitute_for__user")
        .filter(meeting=access.meeting, pk=participant_id)
        .first()
    )
    if participant is None:
        raise NotFound()
    return participant


# --- output: the shapes of meetings.payloads, read by the schema -------------------------

MeetingSerializer = serializer_for(MeetingShape)
ItemSerializer = serializer_for(ItemShape)
MeetingStateSerializer = serializer_for(MeetingStateShape)
MeetingResultSerializer = serializer_for(MeetingResultShape)
ItemResultSerializer = serializer_for(ItemResultShape)
ParticipantResultSerializer = serializer_for(ParticipantResultShape)
SpeakRequestResultSerializer = serializer_for(SpeakRequestResultShape)
CommentResultSerializer = serializer_for(CommentResultShape)
OrderResultSerializer = serializer_for(OrderResultShape)
DirectoryUserSerializer = serializer_for(DirectoryUserShape)
SubstituteProposalResultSerializer = serializer_for(SubstituteProposalResultShape)
SubstituteDecisionSerializer = serializer_for(SubstituteDecisionShape)
SubstitutesSerializer = serializer_for(SubstitutesShape)


# --- meetings -------------------------------------------------------------------------


class MeetingOutputSerializer(Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    scheduled_start = serializers.DateTimeField()
    status = serializers.CharField()
    my_role = enum_field(Role, allow_null=True)
    participant_count = serializers.IntegerField()
    last_seq = serializers.IntegerField(source="stream.last_seq")


class MeetingListApi(APIView):
    class InputSerializer(Input):
        title = serializers.CharField(max_length=300)
        kind = enum_field(MeetingKind, default=MeetingKind.REGULAR)
        place = serializers.CharField(max_length=300, required=False, allow_blank=True)
        scheduled_start = AwareDateTimeField()
        planned_end = AwareDateTimeField(required=False, allow_null=True)

        class Meta:
            ref_name = "MeetingCreate"

    @extend_schema(
        summary="My meetings",
        responses={200: MeetingOutputSerializer(many=True), 401: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        meetings = meeting_list_for_user(request.user).select_related("stream")
        return Response(MeetingOutputSerializer(meetings, many=True).data)

    @extend_schema(
        summary="Create a meeting (secretariat)",
        request=InputSerializer,
        responses={201: MeetingResultSerializer, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.CREATE_MEETINGS, request=request._request)
        data = parse_request(self.InputSerializer, request)
        actions.check_new_start(data["scheduled_start"])
        meeting = actions.do_create_meeting(tenant=current_tenant(), acting_user=_user(request), **data)
        return Response({"meeting": meeting_payload(meeting)}, status=status.HTTP_201_CREATED)


class MeetingDetailApi(APIView):
    class InputSerializer(Input):
        title = serializers.CharField(max_length=300, required=False)
        kind = enum_field(MeetingKind, required=False)
        place = serializers.CharField(max_length=300, required=False, allow_blank=True)
        scheduled_start = AwareDateTimeField(required=False)
        planned_end = AwareDateTimeField(required=False, allow_null=True)
        speaking_limit_seconds = serializers.IntegerField(min_value=15, max_value=3600, required=False)

        class Meta:
            ref_name = "MeetingUpdate"

    @extend_schema(
        summary="A meeting's live state, as this user may see it",
        responses={200: MeetingStateSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.VIEW_MEETING)
        return Response(meeting_state(access))

    @extend_schema(
        summary="Change a meeting (secretariat)",
        request=InputSerializer,
        responses={200: MeetingResultSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        changes = parse_request(self.InputSerializer, request)
        actions.check_new_start(changes.get("scheduled_start"), unchanged_from=access.meeting.scheduled_start)
        meeting = actions.do_update_meeting(access.meeting, changes=changes, acting_user=_user(request))
        return Response({"meeting": meeting_payload(meeting)})


class MeetingPublishApi(APIView):
    @extend_schema(
        summary="Publish the agenda (secretariat)",
        request=NoInput,
        responses={200: MeetingResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        parse_request(NoInput, request)
        meeting = actions.do_publish_meeting(access.meeting, acting_user=_user(request))
        return Response({"meeting": meeting_payload(meeting)})


class MeetingCopyApi(APIView):
    class InputSerializer(Input):
        scheduled_start = AwareDateTimeField()
        title = serializers.CharField(max_length=300, required=False)

        class Meta:
            ref_name = "MeetingCopy"

    @extend_schema(
        summary="Start a new meeting as a copy of this one (secretariat)",
        request=InputSerializer,
        responses={201: MeetingResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        actions.check_new_start(data["scheduled_start"])
        copy = actions.do_copy_meeting(access.meeting, acting_user=_user(request), **data)
        return Response({"meeting": meeting_payload(copy)}, status=status.HTTP_201_CREATED)


class ActingChairApi(APIView):
    class InputSerializer(Input):
        participant_id = Id(allow_null=True, help_text="A vice-chair's participant id; null: the chair.")

        class Meta:
            ref_name = "ActingChair"

    @extend_schema(
        summary="Name a vice-chair to run the session (secretariat or chair)",
        request=InputSerializer,
        responses={200: MeetingResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.VIEW_MEETING)
        if not access.allows(Capability.EDIT_MEETING):
            access.require(Capability.RUN_SESSION, request=request._request)
        data = parse_request(self.InputSerializer, request)
        participant = None
        if data["participant_id"] is not None:
            participant = Participant.objects.filter(
                meeting=access.meeting, pk=data["participant_id"]
            ).first()
            if participant is None:
                raise Invalid(_("Only a vice-chair of this meeting can act as chair."))
        meeting = actions.do_set_acting_chair(
            access.meeting, participant=participant, acting_user=_user(request)
        )
        return Response({"meeting": meeting_payload(meeting)})


# --- the agenda --------------------------------------------------------------------------


class _ItemFields(Input):
    summary = serializers.CharField(required=False, allow_blank=True)
    presenting_unit = serializers.CharField(max_length=300, required=False, allow_blank=True)
    presenter_id = Id(required=False, allow_null=True, help_text="A user of the tenant's directory.")
    presenter_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Someone not in the directory."
    )
    planned_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False)


def _item_changes(data: dict[str, Any]) -> dict[str, Any]:
    """The action's arguments: the presenter as a user of the directory."""
    if "presenter_id" in data:
        presenter_id = data.pop("presenter_id")
        data["presenter"] = (
            None
            if presenter_id is None
            else _directory_user(presenter_id, _("The presenter must be someone of this tenant's directory."))
        )
    return data


class ItemListApi(APIView):
    class InputSerializer(_ItemFields):
        title = serializers.CharField(max_length=500)

        class Meta:
            ref_name = "ItemCreate"

    @extend_schema(
        summary="Add an agenda item (secretariat)",
        request=InputSerializer,
        responses={201: ItemResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        item = actions.do_add_item(access.meeting, acting_user=_user(request), **_item_changes(data))
        return Response({"item": item_payload(item)}, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    class InputSerializer(_ItemFields):
        title = serializers.CharField(max_length=500, required=False)

        class Meta:
            ref_name = "ItemUpdate"

    @extend_schema(
        summary="Change an agenda item (secretariat)",
        request=InputSerializer,
        responses={200: ItemResultSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, meeting_id: int, item_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        item = actions.do_update_item(
            access_item(access, item_id), changes=_item_changes(data), acting_user=_user(request)
        )
        return Response({"item": item_payload(item)})

    @extend_schema(
        summary="Remove an item not yet discussed (secretariat)",
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, meeting_id: int, item_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        actions.do_remove_item(access_item(access, item_id), acting_user=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemReorderApi(APIView):
    class InputSerializer(Input):
        order = serializers.ListField(
            child=Id(), max_length=1000, help_text="Every item id of the agenda, once, in the new order."
        )

        class Meta:
            ref_name = "ItemReorder"

    @extend_schema(
        summary="Put the agenda in a new order (secretariat)",
        request=InputSerializer,
        responses={200: OrderResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        order = actions.do_reorder_items(access.meeting, order=data["order"], acting_user=_user(request))
        return Response({"order": order})


class ItemMoveApi(APIView):
    class InputSerializer(Input):
        offset = serializers.ChoiceField(choices=[(-1, "up"), (1, "down")], help_text="-1 up, 1 down.")

        class Meta:
            ref_name = "ItemMove"

    @extend_schema(
        summary="Move an item up or down by one place (secretariat)",
        request=InputSerializer,
        responses={200: OrderResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int, item_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        order = actions.do_move_item(
            access_item(access, item_id), offset=data["offset"], acting_user=_user(request)
        )
        return Response({"order": order})


# --- participants ----------------------------------------------------------------------


class ParticipantListApi(APIView):
    class InputSerializer(Input):
        user_id = Id(help_text="A user of the tenant's directory (GET /api/v1/directory/).")
        role = enum_field(Role)

        class Meta:
            ref_name = "ParticipantCreate"

    @extend_schema(
        summary="Invite someone of the directory (secretariat)",
        request=InputSerializer,
        responses={201: ParticipantResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        user = _directory_user(data["user_id"], _("Only people of this tenant's directory can take part."))
        participant = actions.do_add_participant(
            access.meeting, user=user, role=data["role"], acting_user=_user(request)
        )
        return Response({"participant": participant_payload(participant)}, status=status.HTTP_201_CREATED)


class ParticipantDetailApi(APIView):
    class InputSerializer(Input):
        role = enum_field(Role, required=False)
        item_ids = serializers.ListField(
            child=Id(), max_length=1000, required=False, help_text="The items a guest is invited to."
        )

        class Meta:
            ref_name = "ParticipantUpdate"

    @extend_schema(
        summary="Change a participant's role or invited items (secretariat)",
        request=InputSerializer,
        responses={200: ParticipantResultSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, meeting_id: int, participant_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        participant = actions.do_change_participant(
            _participant_of(access, participant_id), acting_user=_user(request), **data
        )
        return Response({"participant": participant_payload(participant)})

    @extend_schema(
        summary="Remove a participant who has not yet taken part (secretariat)",
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, meeting_id: int, participant_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        actions.do_remove_participant(_participant_of(access, participant_id), acting_user=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParticipantSubstituteApi(APIView):
    class InputSerializer(Input):
        user_id = Id(help_text="Who attends for this member (ủy quyền).")

        class Meta:
            ref_name = "Substitute"

    @extend_schema(
        summary="Name a substitute (secretariat, at once) or propose one for yourself (member, for approval)",
        description=(
            "The secretariat names a substitute, in effect at once (201, the substitute's participant). "
            "A member names one for themselves from the meeting's allowed substitutes: that is a "
            "proposal (202), in effect when the chair or the secretariat approves it. Nobody removed "
            "from the meeting can be named."
        ),
        request=InputSerializer,
        responses={
            201: ParticipantResultSerializer,
            202: SubstituteProposalResultSerializer,
            **WRITE_ERRORS,
        },
    )
    def post(self, request: Request, meeting_id: int, participant_id: int) -> Response:
        access = _access(request, meeting_id, Capability.VIEW_MEETING)
        participant = _participant_of(access, participant_id)
        is_self = access.participant is not None and access.participant.pk == participant.pk
        data = parse_request(self.InputSerializer, request)
        substitute = _directory_user(
            data["user_id"], _("Only people of this tenant's directory can take part.")
        )
        if is_self and not access.allows(Capability.EDIT_MEETING):
            proposal = actions.do_propose_substitute(
                participant, substitute=substitute, acting_user=_user(request)
            )
            return Response(
                {"proposal": substitute_proposal_payload(proposal)}, status=status.HTTP_202_ACCEPTED
            )
        access.require(Capability.EDIT_MEETING, request=request._request)
        stand_in = actions.do_name_substitute(participant, substitute=substitute, acting_user=_user(request))
        return Response({"participant": participant_payload(stand_in)}, status=status.HTTP_201_CREATED)


class SubstitutesApi(APIView):
    class InputSerializer(Input):
        candidate_ids = serializers.ListField(
            child=Id(), max_length=500, help_text="Whom members may propose as their substitute."
        )

        class Meta:
            ref_name = "SubstituteCandidates"

    @extend_schema(
        summary="Substitute proposals and the people members may propose",
        responses={200: SubstitutesSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        return Response(substitutes_state(_access(request, meeting_id, Capability.VIEW_MEETING)))

    @extend_schema(
        summary="Set whom members may propose as their substitute (secretariat)",
        request=InputSerializer,
        responses={200: SubstitutesSerializer, **WRITE_ERRORS},
    )
    def put(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.EDIT_MEETING)
        data = parse_request(self.InputSerializer, request)
        message = _("Only people of this tenant's directory can take part.")
        users = [_directory_user(pk, message) for pk in dict.fromkeys(data["candidate_ids"])]
        actions.do_set_substitute_candidates(access.meeting, users=users, acting_user=_user(request))
        return Response(substitutes_state(access))

    @extend_schema(
        summary="Propose who attends for you (a member or vice-chair who cannot attend)",
        description="In effect once the chair or the secretariat approves; only from the allowed people.",
        request=ParticipantSubstituteApi.InputSerializer,
        responses={202: SubstituteProposalResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.VIEW_MEETING)
        if access.participant is None or access.role not in (Role.MEMBER, Role.VICE_CHAIR):
            raise NotAllowed(_("Only a member or vice-chair can name a substitute."))
        data = parse_request(ParticipantSubstituteApi.InputSerializer, request)
        substitute = _directory_user(
            data["user_id"], _("Only people of this tenant's directory can take part.")
        )
        participant = _participant_of(access, access.participant.pk)
        proposal = actions.do_propose_substitute(
            participant, substitute=substitute, acting_user=_user(request)
        )
        return Response({"proposal": substitute_proposal_payload(proposal)}, status=status.HTTP_202_ACCEPTED)


def _proposal_of(access: MeetingAccess, proposal_id: int) -> SubstituteProposal:
    """A proposal of this meeting; who may act on it is the action's and the view's check."""
    if not 0 < proposal_id <= MAX_ID:
        raise NotFound()
    proposal = (
        SubstituteProposal.objects.select_related("participant__user", "substitute", "decided_by")
        .filter(meeting=access.meeting, pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise NotFound()
    return proposal


class SubstituteDecisionApi(APIView):
    class InputSerializer(Input):
        approve = serializers.BooleanField(
            help_text="True: the substitute attends from now on; false: refused."
        )
        note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)

        class Meta:
            ref_name = "SubstituteDecision"

    @extend_schema(
        summary="Approve or refuse a member's substitute (chair, acting chair or secretariat)",
        request=InputSerializer,
        responses={200: SubstituteDecisionSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int, proposal_id: int) -> Response:
        access = _access(request, meeting_id, Capability.VIEW_MEETING)
        proposal = _proposal_of(access, proposal_id)
        if not access.decides_substitutes:
            raise NotAllowed(_("Only the chair or the secretariat approves a substitute."))
        data = parse_request(self.InputSerializer, request)
        decided, stand_in = actions.do_decide_substitute(
            proposal, approve=data["approve"], note=data["note"], acting_user=_user(request)
        )
        return Response(
            {
                "proposal": substitute_proposal_payload(decided),
                "participant": participant_payload(stand_in) if stand_in is not None else None,
            }
        )


class SubstituteWithdrawApi(APIView):
    @extend_schema(
        summary="Withdraw your substitute proposal before it is decided (the member)",
        request=NoInput,
        responses={200: SubstituteProposalResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int, proposal_id: int) -> Response:
        access = _access(request, meeting_id, Capability.VIEW_MEETING)
        proposal = _proposal_of(access, proposal_id)
        parse_request(NoInput, request)
        withdrawn = actions.do_withdraw_substitute(proposal, acting_user=_user(request))
        return Response({"proposal": substitute_proposal_payload(withdrawn)})


class DirectoryApi(APIView):
    @extend_schema(
        summary="The tenant's active users, for inviting (secretariat)",
        responses={200: DirectoryUserSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.CREATE_MEETINGS, request=request._request)
        users = directory(current_tenant()).values("id", "full_name", "title", "unit")
        return Response(list(users))


class BaselineOutputSerializer(Serializer):
    kind = enum_field(MeetingKind)
    kind_label = serializers.CharField()
    minutes = serializers.IntegerField(allow_null=True)
    source = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    is_assumption = serializers.BooleanField()


class RulesOutputSerializer(Serializer):
    quorum_percent = serializers.IntegerField()
    speaking_limit_seconds = serializers.IntegerField()
    secret_ballot_early_close = serializers.BooleanField(
        help_text="Whether the chair may close a secret ballot before the quorum has voted."
    )
    baselines = BaselineOutputSerializer(many=True)


class MeetingRulesApi(APIView):
    """The tenant's quorum, default speaking-time limit and paper-era baselines."""

    class InputSerializer(Input):
        quorum_percent = serializers.IntegerField(min_value=1, max_value=100)
        speaking_limit_seconds = serializers.IntegerField(min_value=15, max_value=3600)
        secret_ballot_early_close = Flag(
            required=False,
            help_text=(
                "Whether the chair may close a secret ballot before the quorum has voted; "
                "left out, it stays as it is."
            ),
        )

        class Meta:
            ref_name = "MeetingRulesInput"

    @extend_schema(
        summary="The tenant's meeting rules", responses={200: RulesOutputSerializer, **errors(401)}
    )
    def get(self, request: Request) -> Response:
        return Response(tenant_rules(current_tenant()))

    @extend_schema(
        summary="Change the quorum and the speaking-time limit (secretariat)",
        request=InputSerializer,
        responses={200: RulesOutputSerializer, **errors(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.SET_RULES, request=request._request)
        data = parse_request(self.InputSerializer, request)
        actions.do_set_meeting_settings(tenant=current_tenant(), acting_user=_user(request), **data)
        return Response(tenant_rules(current_tenant()))


class BaselineApi(APIView):
    class InputSerializer(Input):
        minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
        source = serializers.CharField(max_length=300)  # type: ignore[assignment]
        is_assumption = serializers.BooleanField(default=False)

        class Meta:
            ref_name = "BaselineInput"

    @extend_schema(
        summary="Set how long a kind of meeting took on paper (secretariat)",
        request=InputSerializer,
        responses={200: RulesOutputSerializer, **errors(400, 401, 403, 404)},
    )
    def put(self, request: Request, kind: str) -> Response:
        access_tenant(request.user, TenantCapability.SET_RULES, request=request._request)
        if kind not in MeetingKind.values:
            raise NotFound()
        data = parse_request(self.InputSerializer, request)
        actions.do_set_baseline(tenant=current_tenant(), kind=kind, acting_user=_user(request), **data)
        return Response(tenant_rules(current_tenant()))


# --- the session: the socket's operations, by the same names ------------------------------


@dataclass(frozen=True)
class Op:
    """One method of a session route: the operation it runs (whose input and answer it takes)."""

    name: str  # a key of meetings.operations.OPERATIONS
    summary: str
    status: int = status.HTTP_200_OK
    # URL parts handed to the operation, e.g. ("comment_id",): not in the body
    from_path: tuple[str, ...] = field(default=())
    operation_id: str | None = None


def _body(op: Op) -> type[Serializer]:
    """The API body of ``op``: the operation's input without what the path gives."""
    return body_of(operations.OPERATIONS[op.name].input, without=op.from_path)


def _operation_method(op: Op) -> Callable[..., Response]:
    operation = operations.OPERATIONS[op.name]
    if operation.output is None:
        raise TypeError(f"the operation {op.name} declares no answer for the schema")
    answer = serializer_for(operation.output)

    @extend_schema(
        summary=op.summary,
        request=_body(op),
        responses={op.status: answer, **WRITE_ERRORS},
        description=f"Runs the session operation `{op.name}`, as the socket action of that name does.",
        operation_id=op.operation_id,
    )
    def method(self: APIView, request: Request, meeting_id: int, **path: int) -> Response:
        access = _access(request, meeting_id, operation.capability)
        for name in op.from_path:
            if not 0 < path[name] <= MAX_ID:
                raise NotFound()
        body = parse_request(_body(op), request)  # unknown fields, and the path's, refused first
        result = operations.run(op.name, access, {**body, **path}, request=request._request)
        return Response(result, status=op.status)

    return method


def operation_api(class_name: str, **methods: Op) -> type[APIView]:
    """An API view whose methods each run one session operation."""
    return type(class_name, (APIView,), {m: _operation_method(op) for m, op in methods.items()})


StartApi = operation_api("StartApi", post=Op("meeting.start", "Start the session (chair)"))
AdjournApi = operation_api("AdjournApi", post=Op("meeting.adjourn", "Adjourn the session (chair)"))
ResumeApi = operation_api("ResumeApi", post=Op("meeting.resume", "Resume the session (chair)"))
CloseApi = operation_api("CloseApi", post=Op("meeting.close", "Close the meeting (chair)"))
ItemOpenApi = operation_api(
    "ItemOpenApi",
    post=Op("item.open", "Open the given or the next item (chair)"),
)
ItemOpenByIdApi = operation_api(
    "ItemOpenByIdApi",
    post=Op(
        "item.open",
        "Open this item (chair)",
        from_path=("item_id",),
        operation_id="v1_meetings_items_open_by_id",
    ),
)
ConcludeApi = operation_api(
    "ConcludeApi",
    post=Op("item.conclude", "Conclude the current item (chair)"),
)
DeferApi = operation_api("DeferApi", post=Op("item.defer", "Defer the current item (chair)"))
SpeakRequestApi = operation_api(
    "SpeakRequestApi",
    post=Op(
        "speak.request",
        "Ask to speak on the current item (participants)",
        status=status.HTTP_201_CREATED,
    ),
)
MySpeakRequestApi = operation_api(
    "MySpeakRequestApi",
    delete=Op("speak.withdraw", "Withdraw my waiting request"),
)
FloorApi = operation_api(
    "FloorApi",
    post=Op("floor.give", "Give the floor to a request (chair)"),
    delete=Op("floor.end", "End the current speech (chair)"),
)
CheckInApi = operation_api(
    "CheckInApi",
    post=Op("attendance.check_in", "Check in, in the room or remote"),
)
CommentListApi = operation_api(
    "CommentListApi",
    post=Op(
        "comment.add",
        "Comment on an item (participants)",
        status=status.HTTP_201_CREATED,
    ),
)
CommentDetailApi = operation_api(
    "CommentDetailApi",
    patch=Op(
        "comment.edit",
        "Edit my comment (the old text is kept)",
        from_path=("comment_id",),
    ),
    delete=Op(
        "comment.withdraw",
        "Withdraw my comment (the text is kept in the trace)",
        from_path=("comment_id",),
    ),
)


# --- replay -------------------------------------------------------------------------------


class MeetingEventsApi(APIView):
    """Events of a meeting after ``since``, for a client that missed some."""

    class QuerySerializer(Serializer):
        since = serializers.IntegerField(min_value=0, max_value=2**63 - 1)
        limit = serializers.IntegerField(min_value=1, max_value=REPLAY_LIMIT, required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("since", int, required=True, description="Last seq the client has."),
            OpenApiParameter("limit", int, required=False, description=f"At most {REPLAY_LIMIT}."),
        ],
        responses={
            200: inline_serializer(
                "EventReplay",
                {
                    "last_seq": serializers.IntegerField(),
                    "more": serializers.BooleanField(),
                    "events": frame_serializer(),
                },
            ),
            **errors(400, 401, 404),
        },
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, Capability.VIEW_MEETING)
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data.get("limit", REPLAY_LIMIT)
        events = events_since(access.meeting.stream, query.validated_data["since"], limit=limit)
        last_seq = max([access.meeting.stream.last_seq] + [event.seq for event in events[-1:]])
        return Response(
            {
                "last_seq": last_seq,
                "more": len(events) >= limit,
                "events": frames_for(events, access.can_see),
            }
        )
