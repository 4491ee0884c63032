from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Papers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db import transaction

        from documents.access import sync_readers
        from documents.actions import refuse_item_removal_with_papers
        from documents.selectors import papers_by_item
        from meetings import hooks
        from meetings.models import Meeting
        from meetings.papers import register_papers_provider

        def stamp_ahead(meeting: Meeting) -> None:
            from documents.tasks import stamp_meeting_papers

            tenant_id, meeting_id = meeting.tenant_id, meeting.pk
            transaction.on_commit(lambda: stamp_meeting_papers.enqueue(tenant_id, meeting_id))

        register_papers_provider(papers_by_item)
        hooks.register("participants_changed", sync_readers)
        hooks.register("published", stamp_ahead)
        hooks.register("item_removing", refuse_item_removal_with_papers)
