from django.urls import path

from reports.minutes import views

R = "reports/meetings/<int:meeting_id>/records/"

urlpatterns = [
    path(R, views.record_list, name="record-list"),
    path(R + "<str:kind>/", views.record_detail, name="record-detail"),
    path(R + "<str:kind>/draft/", views.record_draft, name="record-draft"),
    path(R + "<str:kind>/preview/", views.record_preview, name="record-preview"),
    path(R + "<str:kind>/issue/", views.record_issue, name="record-issue"),
]
