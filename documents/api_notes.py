"""Notes over the API: a member's notes on a paper, and the ones shared with them.

Each view fetches the paper with ``access_paper`` (the same 404 for missing,
foreign and not received; 403 once reading has ended), parses its body with
a nested ``InputSerializer`` and calls one action of ``documents.notes``.
Another member's private note is a 404 like anything else not seen.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import notes
from documents.access import PaperAccess, access_paper
from ecabinet.api import Input, Serializer, errors, parse_request
from ecabinet.shapes import serializer_for

READ_ERRORS = errors(401, 403, 404)
WRITE_ERRORS = errors(400, 401, 403, 404, 409)


# The region is an input and is echoed in the answers: one class for both (made first).
RegionSerializer = serializer_for(notes.NoteRegionShape, base=Input)
NoteListSerializer = serializer_for(notes.NoteListShape)
NoteResultSerializer = serializer_for(notes.NoteResultShape)


def _paper(request: Request, paper_id: int) -> PaperAccess:
    return access_paper(request.user, paper_id, request=request._request)


def _parse(serializer_class: type[Serializer], request: Request) -> dict[str, Any]:
    data = parse_request(serializer_class, request)
    if "region" in data and data["region"] is not None:
        data["region"] = dict(data["region"])
    return data


def _answer(note: Any, access: PaperAccess) -> dict[str, Any]:
    note = notes.visible_notes_query(access).select_related("author", "version").get(pk=note.pk)
    return {"note": notes.note_payload(note, viewer_id=access.user.pk, current=access.version)}


class NoteListApi(APIView):
    class InputSerializer(Input):
        page = serializers.IntegerField(min_value=1)
        text = serializers.CharField(max_length=notes.MAX_TEXT)
        region = RegionSerializer(required=False, allow_null=True)
        shared = serializers.BooleanField(required=False, default=False)

        class Meta:
            ref_name = "NoteCreate"

    @extend_schema(
        operation_id="v1_papers_notes_list",
        summary="My notes on a paper, and those shared with me",
        responses={200: NoteListSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, paper_id: int) -> Response:
        access = _paper(request, paper_id)
        return Response({"notes": notes.visible_notes(access)})

    @extend_schema(
        summary="Add a note to a page of the current version",
        request=InputSerializer,
        responses={201: NoteResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, paper_id: int) -> Response:
        access = _paper(request, paper_id)
        data = _parse(self.InputSerializer, request)
        note = notes.do_add_note(access, acting_user=access.user, **data)
        return Response(_answer(note, access), status=status.HTTP_201_CREATED)


class NoteDetailApi(APIView):
    class InputSerializer(Input):
        page = serializers.IntegerField(min_value=1, required=False)
        text = serializers.CharField(max_length=notes.MAX_TEXT, required=False)
        region = RegionSerializer(required=False, allow_null=True)
        shared = serializers.BooleanField(required=False)

        class Meta:
            ref_name = "NoteUpdate"

    @extend_schema(summary="One note", responses={200: NoteResultSerializer, **READ_ERRORS})
    def get(self, request: Request, paper_id: int, note_id: int) -> Response:
        access = _paper(request, paper_id)
        note = notes.access_note(access, note_id)
        return Response(_answer(note, access))

    @extend_schema(
        summary="Change my note (it moves to the current version)",
        request=InputSerializer,
        responses={200: NoteResultSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, paper_id: int, note_id: int) -> Response:
        access = _paper(request, paper_id)
        note = notes.access_note(access, note_id, editing=True)
        data = _parse(self.InputSerializer, request)
        note = notes.do_edit_note(note, access, acting_user=access.user, **data)
        return Response(_answer(note, access))

    @extend_schema(summary="Delete my note", request=None, responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, paper_id: int, note_id: int) -> Response:
        access = _paper(request, paper_id)
        note = notes.access_note(access, note_id, editing=True)
        notes.do_delete_note(note, access, acting_user=access.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


P = "papers/<int:paper_id>/"

urlpatterns = [
    path(P + "notes/", NoteListApi.as_view(), name="paper-notes"),
    path(P + "notes/<int:note_id>/", NoteDetailApi.as_view(), name="paper-note"),
]
