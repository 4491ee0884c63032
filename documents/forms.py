"""The secretariat's paper forms: they parse the shape of the input; what a
paper must be (a real PDF, not secret, within the limit) and who may receive
it stay in ``documents.validation`` and ``documents.actions``.

Choices (items, participants) are handed in from lists the view has already
read, so a page with several forms costs no query per form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from documents.actions import MAX_GRACE_DAYS, MAX_NOTE, MAX_TITLE, MAX_UNIT, upload_ceiling_mb
from documents.models import Paper

WHOLE_MEETING = ""


class PaperFileField(forms.FileField):
    """The PDF; an empty file is let through to ``check_pdf``, which refuses it in its own words."""

    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_empty_file=True, **kwargs)


class _ItemMixin(forms.Form):
    item = forms.TypedChoiceField(
        label=_("Agenda item"), coerce=int, empty_value=None, required=False, choices=()
    )

    def set_items(self, items: list[Any]) -> None:
        choices: list[tuple[Any, str]] = [(WHOLE_MEETING, str(_("The whole meeting")))]
        choices += [(item.pk, f"{item.position}. {item.title}") for item in items]
        self.fields["item"].choices = choices  # type: ignore[attr-defined]
        self._items = {item.pk: item for item in items}

    def clean_item(self) -> Any:
        item_id = self.cleaned_data.get("item")
        return None if item_id is None else self._items.get(item_id)


class _RecipientsMixin(forms.Form):
    restricted = forms.BooleanField(
        label=_("Only for the people named below (e.g. the chair and vice-chairs)"), required=False
    )
    recipients = forms.TypedMultipleChoiceField(
        label=_("Who receives it"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    downloadable = forms.BooleanField(label=_("May be downloaded (otherwise view only)"), required=False)

    def set_people(self, people: list[Any]) -> None:
        """``people``: the meeting's participants' users."""
        self.fields["recipients"].choices = [  # type: ignore[attr-defined]
            (user.pk, f"{user.full_name or user.username} — {user.title}" if user.title else user.full_name)
            for user in people
        ]
        self._people = {user.pk: user for user in people}

    def clean_recipients(self) -> list[Any]:
        return [self._people[pk] for pk in self.cleaned_data.get("recipients", []) if pk in self._people]


class PaperUploadForm(_ItemMixin, _RecipientsMixin):
    file = PaperFileField(label=_("PDF file"))
    title = forms.CharField(label=_("Paper title"), max_length=MAX_TITLE)
    kind = forms.ChoiceField(
        label=_("Kind of paper"), choices=Paper.Kind.choices, initial=Paper.Kind.SUBMISSION
    )
    presenting_unit = forms.CharField(label=_("Presenting unit"), max_length=MAX_UNIT, required=False)
    declared_secret = forms.BooleanField(
        label=_("This paper is marked secret (Mật, Tối mật, Tuyệt mật)"), required=False
    )
    confirmed_unreadable = forms.BooleanField(
        label=_("I have checked every page myself: none is marked Mật, Tối mật or Tuyệt mật"),
        required=False,
        help_text=_("Needed only when eCabinet says some pages are pictures it could not read."),
    )

    field_order = [
        "file",
        "title",
        "kind",
        "presenting_unit",
        "item",
        "restricted",
        "recipients",
        "downloadable",
        "declared_secret",
        "confirmed_unreadable",
    ]


class PaperDetailsForm(_ItemMixin):
    title = forms.CharField(label=_("Paper title"), max_length=MAX_TITLE)
    kind = forms.ChoiceField(label=_("Kind of paper"), choices=Paper.Kind.choices)
    presenting_unit = forms.CharField(label=_("Presenting unit"), max_length=MAX_UNIT, required=False)

    field_order = ["title", "kind", "presenting_unit", "item"]


class PaperReplaceForm(forms.Form):
    file = PaperFileField(label=_("PDF file of the new version"))
    change_note = forms.CharField(label=_("What changed"), max_length=MAX_NOTE, required=False)
    declared_secret = forms.BooleanField(
        label=_("This paper is marked secret (Mật, Tối mật, Tuyệt mật)"), required=False
    )
    confirmed_unreadable = forms.BooleanField(
        label=_("I have checked every page myself: none is marked Mật, Tối mật or Tuyệt mật"),
        required=False,
        help_text=_("Needed only when eCabinet says some pages are pictures it could not read."),
    )


class DistributionForm(_RecipientsMixin):
    pass


class PaperSettingsForm(forms.Form):
    max_upload_mb = forms.IntegerField(label=_("Largest paper (MB)"), min_value=1)
    grace_days = forms.IntegerField(
        label=_("Days papers stay readable after the meeting closes"), min_value=0, max_value=MAX_GRACE_DAYS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The server's ceiling, read now: it is a setting of the deployment.
        field = self.fields["max_upload_mb"]
        field.max_value = upload_ceiling_mb()  # type: ignore[attr-defined]
        field.validators.append(MaxValueValidator(upload_ceiling_mb()))
        field.widget.attrs["max"] = upload_ceiling_mb()
