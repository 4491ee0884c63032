"""The papers API: papers and versions (api), notes (api_notes)."""

from documents import api, api_notes

app_name = "documents_api"

urlpatterns = [*api.urlpatterns, *api_notes.urlpatterns]
