from django.urls import path

from voting import api

M = "meetings/<int:meeting_id>/"
B = M + "ballots/<int:ballot_id>/"

app_name = "voting_api"

urlpatterns = [
    path(M + "positions/", api.PositionsApi.as_view(), name="positions"),
    path(M + "positions/cutoff/", api.PositionsCutoffApi.as_view(), name="positions-cutoff"),
    path(M + "consent-list/adopt/", api.ConsentAdoptApi.as_view(), name="consent-adopt"),
    path(M + "ballots/", api.BallotListApi.as_view(), name="ballot-list"),
    path(B, api.BallotDetailApi.as_view(), name="ballot-detail"),
    path(B + "vote/", api.VoteApi.as_view(), name="ballot-vote"),
    path(B + "close/", api.BallotCloseApi.as_view(), name="ballot-close"),
    path("slips/", api.SlipListApi.as_view(), name="slip-list"),
    path("slips/<int:slip_id>/", api.SlipDetailApi.as_view(), name="slip-detail"),
    path("slips/<int:slip_id>/answer/", api.SlipAnswerApi.as_view(), name="slip-answer"),
    path("slips/<int:slip_id>/papers/", api.SlipPapersApi.as_view(), name="slip-papers"),
    path("slips/<int:slip_id>/close/", api.SlipCloseApi.as_view(), name="slip-close"),
    path("voting-rules/", api.VotingRulesApi.as_view(), name="voting-rules"),
]
