from django.urls import path

from reports.minutes import api

R = "reports/meetings/<int:meeting_id>/records/"

urlpatterns = [
    path(R, api.RecordListApi.as_view(), name="record-list"),
    path(R + "<str:kind>/", api.RecordDetailApi.as_view(), name="record-detail"),
    path(R + "<str:kind>/draft/", api.RecordDraftApi.as_view(), name="record-draft"),
    path(R + "<str:kind>/issue/", api.RecordIssueApi.as_view(), name="record-issue"),
]
