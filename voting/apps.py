"""Opinions and votes: positions before the session, opinion slips, ballots."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Opinions and votes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from documents.access import register_paper_owner
        from ecabinet.navigation import HOME, Link, register_link
        from ecabinet.realtime import register_events
        from ecabinet.recovery import register_missing
        from ecabinet.worker import register_sweep
        from voting.access import slip_paper_check, slip_paper_owner
        from voting.events import EVENTS
        from voting.panels import register_panels
        from voting.socket import register_socket_actions
        from voting.tasks import missing_result_sheets, sweep_slips

        register_paper_owner("slip", slip_paper_check, describe=slip_paper_owner)
        register_events(EVENTS)
        register_socket_actions()
        register_panels()
        register_sweep(sweep_slips)
        register_missing(missing_result_sheets)
        register_link(HOME, Link("slips-link", _("Opinion slips"), "voting:slip-list", order=10))
