from django.urls import path

from meetings import api

M = "meetings/<int:meeting_id>/"

urlpatterns = [
    path("meetings/", api.MeetingListApi.as_view(), name="api-meeting-list"),
    path(M, api.MeetingDetailApi.as_view(), name="api-meeting-detail"),
    path(M + "events/", api.MeetingEventsApi.as_view(), name="api-meeting-events"),
    path(M + "publish/", api.MeetingPublishApi.as_view(), name="api-meeting-publish"),
    path(M + "copy/", api.MeetingCopyApi.as_view(), name="api-meeting-copy"),
    path(M + "acting-chair/", api.ActingChairApi.as_view(), name="api-meeting-acting-chair"),
    # the agenda
    path(M + "items/", api.ItemListApi.as_view(), name="api-item-list"),
    path(M + "items/reorder/", api.ItemReorderApi.as_view(), name="api-item-reorder"),
    path(M + "items/open/", api.ItemOpenApi.as_view(), name="api-item-open-next"),
    path(M + "items/current/conclude/", api.ConcludeApi.as_view(), name="api-item-conclude"),
    path(M + "items/current/defer/", api.DeferApi.as_view(), name="api-item-defer"),
    path(M + "items/<int:item_id>/", api.ItemDetailApi.as_view(), name="api-item-detail"),
    path(M + "items/<int:item_id>/move/", api.ItemMoveApi.as_view(), name="api-item-move"),
    path(M + "items/<int:item_id>/open/", api.ItemOpenByIdApi.as_view(), name="api-item-open"),
    # who takes part
    path(M + "participants/", api.ParticipantListApi.as_view(), name="api-participant-list"),
    path(
        M + "participants/<int:participant_id>/",
        api.ParticipantDetailApi.as_view(),
        name="api-participant-detail",
    ),
    path(
        M + "participants/<int:participant_id>/substitute/",
        api.ParticipantSubstituteApi.as_view(),
        name="api-participant-substitute",
    ),
    path("directory/", api.DirectoryApi.as_view(), name="api-directory"),
    path("meeting-rules/", api.MeetingRulesApi.as_view(), name="api-meeting-rules"),
    path("meeting-rules/baselines/<str:kind>/", api.BaselineApi.as_view(), name="api-baseline"),
    # the session
    path(M + "start/", api.StartApi.as_view(), name="api-meeting-start"),
    path(M + "adjourn/", api.AdjournApi.as_view(), name="api-meeting-adjourn"),
    path(M + "resume/", api.ResumeApi.as_view(), name="api-meeting-resume"),
    path(M + "close/", api.CloseApi.as_view(), name="api-meeting-close"),
    path(M + "check-in/", api.CheckInApi.as_view(), name="api-check-in"),
    path(M + "speak-requests/", api.SpeakRequestApi.as_view(), name="api-speak-request"),
    path(M + "speak-requests/mine/", api.MySpeakRequestApi.as_view(), name="api-speak-request-mine"),
    path(M + "floor/", api.FloorApi.as_view(), name="api-floor"),
    path(M + "comments/", api.CommentListApi.as_view(), name="api-comment-list"),
    path(M + "comments/<int:comment_id>/", api.CommentDetailApi.as_view(), name="api-comment-detail"),
]
