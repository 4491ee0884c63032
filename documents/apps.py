from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Papers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from documents.selectors import papers_by_item
        from meetings.papers import register_papers_provider

        register_papers_provider(papers_by_item)
