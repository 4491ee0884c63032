from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ecabinet import api, views
from meetings import views as meetings_views

handler400 = "ecabinet.views.bad_request"
handler403 = "ecabinet.views.permission_denied"
handler404 = "ecabinet.views.page_not_found"
handler500 = "ecabinet.views.server_error"

# One ``urls`` and one ``api_urls`` per app, each with its namespace
# (``meetings:…``, ``meetings_api:…``); apps are listed top layer last.
api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", api.TokenLoginView.as_view(), name="api-token-login"),
    path("", include("meetings.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("voting.api_urls")),
    path("", include("reports.api_urls")),
]

urlpatterns = [
    # The home page is the project's (every page links to it); meetings draws it.
    path("", meetings_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("api/<path:rest>", api.api_not_found),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("ecabinet.verify")),
    path("", include("meetings.urls")),
    path("", include("documents.urls")),
    path("", include("voting.urls")),
    path("", include("reports.urls")),
]
