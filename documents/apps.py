from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Papers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from documents.access import sync_readers
        from documents.actions import refuse_item_removal_with_papers
        from documents.events import EVENTS
        from documents.models import paper_storage
        from documents.selectors import papers_by_item
        from documents.tasks import missing_stamped_copies, queue_meeting_stamping
        from ecabinet.backup import register_storage
        from ecabinet.navigation import CONSOLE, MEETING, RULES, Link, register_link
        from ecabinet.realtime import register_events
        from ecabinet.recovery import register_missing
        from ecabinet.roles import TenantCapability as T
        from meetings import hooks
        from meetings.paper_registry import register_paper_reader, register_papers_provider

        register_events(EVENTS)
        register_missing(missing_stamped_copies)
        register_storage("papers", lambda: paper_storage)
        register_papers_provider(papers_by_item)
        register_paper_reader("documents:paper-reader")
        register_link(
            RULES,
            Link("paper-settings-link", _("Paper settings"), "documents:paper-settings", T.SET_RULES, 10),
        )
        register_link(
            MEETING,
            Link(
                "reading-link",
                _("Who has read the papers"),
                "documents:meeting-papers-reading",
                order=10,
                shown=lambda access: access.prepares_or_chairs,
            ),
        )
        register_link(CONSOLE, Link("papers-link", _("Papers"), "documents:papers-manage", order=10))
        hooks.register("participants_changed", sync_readers)
        # After sync_readers: a new participant is a reader before their copies are made.
        hooks.register("participants_changed", queue_meeting_stamping)
        hooks.register("published", queue_meeting_stamping)
        hooks.register("item_removing", refuse_item_removal_with_papers)
