from django.urls import path

from voting import views

app_name = "voting"

urlpatterns = [
    path("meetings/<int:meeting_id>/positions/", views.positions, name="positions"),
    path("meetings/<int:meeting_id>/positions/give/", views.position_give, name="position-give"),
    path("meetings/<int:meeting_id>/positions/cutoff/", views.positions_cutoff, name="positions-cutoff"),
    path("meetings/<int:meeting_id>/consent-list/adopt/", views.consent_adopt, name="consent-adopt"),
    path("slips/", views.slip_list, name="slip-list"),
    path("slips/new/", views.slip_create, name="slip-create"),
    path("slips/rules/", views.slip_rules, name="slip-rules"),
    path("slips/<int:slip_id>/", views.slip_detail, name="slip-detail"),
    path("slips/<int:slip_id>/answer/", views.slip_answer, name="slip-answer"),
    path("slips/<int:slip_id>/papers/add/", views.slip_paper_add, name="slip-paper-add"),
    path("slips/<int:slip_id>/close/", views.slip_close, name="slip-close"),
]
