from django.urls import path

from meetings import api

urlpatterns = [
    path("meetings/", api.MeetingListApi.as_view(), name="api-meeting-list"),
    path("meetings/<int:meeting_id>/events/", api.MeetingEventsApi.as_view(), name="api-meeting-events"),
]
