from django.urls import path

from voting import api

M = "meetings/<int:meeting_id>/"
B = M + "ballots/<int:ballot_id>/"

urlpatterns = [
    path(M + "positions/", api.PositionsApi.as_view(), name="api-positions"),
    path(M + "positions/cutoff/", api.PositionsCutoffApi.as_view(), name="api-positions-cutoff"),
    path(M + "consent-list/adopt/", api.ConsentAdoptApi.as_view(), name="api-consent-adopt"),
    path(M + "ballots/", api.BallotListApi.as_view(), name="api-ballot-list"),
    path(B, api.BallotDetailApi.as_view(), name="api-ballot-detail"),
    path(B + "vote/", api.VoteApi.as_view(), name="api-ballot-vote"),
    path(B + "close/", api.BallotCloseApi.as_view(), name="api-ballot-close"),
    path("slips/", api.SlipListApi.as_view(), name="api-slip-list"),
    path("slips/<int:slip_id>/", api.SlipDetailApi.as_view(), name="api-slip-detail"),
    path("slips/<int:slip_id>/answer/", api.SlipAnswerApi.as_view(), name="api-slip-answer"),
    path("slips/<int:slip_id>/papers/", api.SlipPapersApi.as_view(), name="api-slip-papers"),
    path("slips/<int:slip_id>/close/", api.SlipCloseApi.as_view(), name="api-slip-close"),
    path("voting-rules/", api.VotingRulesApi.as_view(), name="api-voting-rules"),
]
