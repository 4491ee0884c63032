from django.urls import path

from meetings import views

manage = "meetings/<int:meeting_id>/manage/"

app_name = "meetings"

urlpatterns = [
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/rules/", views.meeting_rules, name="meeting-rules"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/display/", views.meeting_display, name="meeting-display"),
    path(manage, views.meeting_manage, name="meeting-manage"),
    path(f"{manage}meeting/", views.meeting_update, name="meeting-update"),
    path(f"{manage}publish/", views.meeting_publish, name="meeting-publish"),
    path(f"{manage}copy/", views.meeting_copy, name="meeting-copy"),
    path(f"{manage}acting-chair/", views.meeting_acting_chair, name="meeting-acting-chair"),
    path(f"{manage}items/", views.item_add, name="item-add"),
    path(f"{manage}items/order/", views.item_reorder, name="item-reorder"),
    path(f"{manage}items/<int:item_id>/", views.item_update, name="item-update"),
    path(f"{manage}items/<int:item_id>/move/", views.item_move, name="item-move"),
    path(f"{manage}items/<int:item_id>/remove/", views.item_remove, name="item-remove"),
    path(f"{manage}participants/", views.participant_add, name="participant-add"),
    path(f"{manage}participants/<int:participant_id>/", views.participant_change, name="participant-change"),
    path(
        f"{manage}participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant-remove",
    ),
    path(
        f"{manage}participants/<int:participant_id>/substitute/",
        views.participant_substitute,
        name="participant-substitute",
    ),
    path(f"{manage}substitute-candidates/", views.substitute_candidates, name="substitute-candidates"),
    path(
        "meetings/<int:meeting_id>/substitutes/propose/", views.substitute_propose, name="substitute-propose"
    ),
    path(
        "meetings/<int:meeting_id>/substitutes/<int:proposal_id>/decide/",
        views.substitute_decide,
        name="substitute-decide",
    ),
    path(
        "meetings/<int:meeting_id>/substitutes/<int:proposal_id>/withdraw/",
        views.substitute_withdraw,
        name="substitute-withdraw",
    ),
]
