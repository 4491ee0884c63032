"""Which language a request is answered in.

Vietnamese unless the person chose English (the language switch sets a
cookie): a minister's tablet set to English must still show the Government's
own words. Programs calling the API may also ask with Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(cookies: dict[str, str]) -> str | None:
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else None


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith("/api/")
        language = chosen_language(request.COOKIES)
        if language is None and is_api:
            language = translation.get_language_from_request(request)
        language = language or settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if is_api else ("Cookie",))
        return response
