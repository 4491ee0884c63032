from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ecabinet.navigation import HOME, MEETING, Link, register_link
        from ecabinet.realtime import register_events
        from ecabinet.roles import TenantCapability, TenantRole, register_tenant_role
        from meetings.events import EVENTS
        from meetings.selectors import chairs_a_meeting
        from meetings.socket import register_socket_actions

        register_events(EVENTS)
        register_socket_actions()
        register_tenant_role(TenantRole.CHAIR, chairs_a_meeting)
        register_link(
            HOME,
            Link("rules-link", _("Meeting rules"), "meetings:meeting-rules", TenantCapability.SET_RULES, 60),
        )
        register_link(
            MEETING,
            Link(
                "display-link",
                _("Hall display"),
                "meetings:meeting-display",
                order=30,
                shown=lambda access: access.shows_hall_display,
            ),
        )
        register_link(
            HOME,
            Link(
                "create-meeting",
                _("New meeting"),
                "meetings:meeting-create",
                TenantCapability.CREATE_MEETINGS,
                70,
                primary=True,
            ),
        )
