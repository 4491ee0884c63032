"""Forms of the voting pages: they check the shape of the input; the rules
(states, deadlines, who may answer) stay in ``voting.actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.actions import MAX_TITLE
from documents.forms import PaperFileField
from documents.models import Paper
from meetings.forms import DATETIME_INPUT, DateTimeInput
from voting.models import Majority, Position, SlipAnswer


class PositionForm(forms.Form):
    item_id = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = forms.ChoiceField(label=_("Position"), choices=Position.Kind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=5000, required=False)


class CutoffForm(forms.Form):
    cutoff = forms.DateTimeField(
        label=_("Cutoff for positions"), required=False, input_formats=DATETIME_INPUT, widget=DateTimeInput()
    )


class SlipForm(forms.Form):
    question = forms.CharField(label=_("Question asked"), max_length=500)
    draft = forms.CharField(
        label=_("Draft text"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=50_000
    )
    deadline = forms.DateTimeField(label=_("Deadline"), input_formats=DATETIME_INPUT, widget=DateTimeInput())
    recipients = forms.MultipleChoiceField(label=_("Members asked"), widget=forms.CheckboxSelectMultiple)
    majority = forms.ChoiceField(label=_("Majority"), choices=Majority.choices, initial=Majority.OF_MEMBERS)
    allow_change = forms.BooleanField(
        label=_("Answers may be changed before the close"), required=False, initial=True
    )

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {str(u.pk): u for u in users}
        self.fields["recipients"].choices = [  # type: ignore[attr-defined]
            (str(u.pk), f"{u.full_name} — {u.title}" if u.title else u.full_name) for u in users
        ]

    def clean_recipients(self) -> list[Any]:
        return [self.users[pk] for pk in self.cleaned_data["recipients"]]


class SlipPaperForm(forms.Form):
    file = PaperFileField(label=_("PDF file"))
    title = forms.CharField(label=_("Paper title"), max_length=MAX_TITLE)
    kind = forms.ChoiceField(label=_("Kind of paper"), choices=Paper.Kind.choices, initial=Paper.Kind.DRAFT)
    declared_secret = forms.BooleanField(
        label=_("This paper is marked secret (Mật, Tối mật, Tuyệt mật)"), required=False
    )
    confirmed_unreadable = forms.BooleanField(
        label=_("I have checked every page myself: none is marked Mật, Tối mật or Tuyệt mật"),
        required=False,
        help_text=_("Needed only when eCabinet says some pages are pictures it could not read."),
    )


class AnswerForm(forms.Form):
    choice = forms.ChoiceField(label=_("Answer"), choices=SlipAnswer.Choice.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )


class ReminderHoursForm(forms.Form):
    reminder_hours = forms.CharField(
        label=_("Reminders (hours before the deadline, separated by commas)"), max_length=100, required=False
    )

    def clean_reminder_hours(self) -> list[int]:
        text = self.cleaned_data["reminder_hours"].strip()
        if not text:
            return []
        try:
            return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Give whole numbers of hours, e.g. 24, 2.")) from exc
