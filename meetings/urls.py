from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
]
