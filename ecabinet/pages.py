"""What every app's pages share: a form's first error in a sentence, and running
one action so that its refusal becomes a message for the person, not an error page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ecabinet.errors import ActionError


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
