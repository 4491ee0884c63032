from django.urls import path

from meetings import api

M = "meetings/<int:meeting_id>/"

app_name = "meetings_api"

urlpatterns = [
    path("meetings/", api.MeetingListApi.as_view(), name="meeting-list"),
    path(M, api.MeetingDetailApi.as_view(), name="meeting-detail"),
    path(M + "events/", api.MeetingEventsApi.as_view(), name="meeting-events"),
    path(M + "publish/", api.MeetingPublishApi.as_view(), name="meeting-publish"),
    path(M + "copy/", api.MeetingCopyApi.as_view(), name="meeting-copy"),
    path(M + "acting-chair/", api.ActingChairApi.as_view(), name="meeting-acting-chair"),
    # the agenda
    path(M + "items/", api.ItemListApi.as_view(), name="item-list"),
    path(M + "items/reorder/", api.ItemReorderApi.as_view(), name="item-reorder"),
    path(M + "items/open/", api.ItemOpenApi.as_view(), name="item-open-next"),
    path(M + "items/current/conclude/", api.ConcludeApi.as_view(), name="item-conclude"),
    path(M + "items/current/defer/", api.DeferApi.as_view(), name="item-defer"),
    path(M + "items/<int:item_id>/", api.ItemDetailApi.as_view(), name="item-detail"),
    path(M + "items/<int:item_id>/move/", api.ItemMoveApi.as_view(), name="item-move"),
    path(M + "items/<int:item_id>/open/", api.ItemOpenByIdApi.as_view(), name="item-open"),
    # who takes part
    path(M + "participants/", api.ParticipantListApi.as_view(), name="participant-list"),
    path(
        M + "participants/<int:participant_id>/",
        api.ParticipantDetailApi.as_view(),
        name="participant-detail",
    ),
    path(
        M + "participants/<int:participant_id>/substitute/",
        api.ParticipantSubstituteApi.as_view(),
        name="participant-substitute",
    ),
    path(M + "substitutes/", api.SubstitutesApi.as_view(), name="substitutes"),
    path(
        M + "substitutes/<int:proposal_id>/decision/",
        api.SubstituteDecisionApi.as_view(),
        name="substitute-decision",
    ),
    path(
        M + "substitutes/<int:proposal_id>/withdraw/",
        api.SubstituteWithdrawApi.as_view(),
        name="substitute-withdraw",
    ),
    path("directory/", api.DirectoryApi.as_view(), name="directory"),
    path("meeting-rules/", api.MeetingRulesApi.as_view(), name="meeting-rules"),
    path("meeting-rules/baselines/<str:kind>/", api.BaselineApi.as_view(), name="baseline"),
    # the session
    path(M + "start/", api.StartApi.as_view(), name="meeting-start"),
    path(M + "adjourn/", api.AdjournApi.as_view(), name="meeting-adjourn"),
    path(M + "resume/", api.ResumeApi.as_view(), name="meeting-resume"),
    path(M + "close/", api.CloseApi.as_view(), name="meeting-close"),
    path(M + "check-in/", api.CheckInApi.as_view(), name="check-in"),
    path(M + "speak-requests/", api.SpeakRequestApi.as_view(), name="speak-request"),
    path(M + "speak-requests/mine/", api.MySpeakRequestApi.as_view(), name="speak-request-mine"),
    path(M + "floor/", api.FloorApi.as_view(), name="floor"),
    path(M + "comments/", api.CommentListApi.as_view(), name="comment-list"),
    path(M + "comments/<int:comment_id>/", api.CommentDetailApi.as_view(), name="comment-detail"),
]
