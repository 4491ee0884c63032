"""What every app's pages share: a form's first error in a sentence, running one
action so that its refusal becomes a message for the person, not an error page,
and the 404 and 403 pages for an access check's refusal (``RefusalMiddleware``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from ecabinet.errors import ActionError, NotAllowed, NotFound


def first_error(form: forms.Form) -> str:
    """One sentence for a person: the first field's label and its problem."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return str(_("The form is not valid."))


def attempt(request: HttpRequest, write: Callable[[], Any], done: str) -> Any:
    """Run one action; its refusal becomes a message for the person."""
    try:
        result = write()
    except ActionError as exc:
        messages.error(request, str(exc.detail))
        return None
    messages.success(request, done)
    return result


def submit(request: HttpRequest, form: Any, write: Callable[[dict[str, Any]], Any], done: str) -> Any:
    """Check a form, then run one action with its data; either refusal becomes a message."""
    if not form.is_valid():
        messages.error(request, first_error(form))
        return None
    return attempt(request, lambda: write(form.cleaned_data), done)


class RefusalMiddleware:
    """Pages let the access checks' ``NotFound`` and ``NotAllowed`` rise as they are:
    here they become the 404 and 403 pages, with the check's message. (The API
    maps them to its JSON errors itself, in ``ecabinet.api.exception_handler``.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception.detail)))
        if isinstance(exception, NotAllowed):
            return response_for_exception(request, PermissionDenied(str(exception.detail)))
        return None
