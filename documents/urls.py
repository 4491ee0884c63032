"""The papers pages: the secretariat's (manage_views), the signed links to stamped
copies (serving) and the tablet's reader (views)."""

from documents import manage_views, serving, views

app_name = "documents"

urlpatterns = [*manage_views.urlpatterns, *serving.urlpatterns, *views.urlpatterns]
