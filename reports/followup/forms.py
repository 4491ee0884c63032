"""Forms of follow-up tasks: they parse the input's shape; the rules (who,
when, which dates) stay in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecabinet.models import User
from meetings.forms import PresenterChoice
from meetings.models import AgendaItem
from reports.followup.actions import MAX_TEXT, MAX_TITLE, MAX_UNIT
from reports.models import MeetingRecord

DATE_INPUT = ["%Y-%m-%d", "%d/%m/%Y"]
MEETING_AS_A_WHOLE = "meeting"
NOTICE = "notice"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class _TaskFields(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=MAX_TITLE)
    detail = forms.CharField(
        label=_("Detail"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assignee = PresenterChoice(label=_("Assigned to (person)"), queryset=User.objects.none(), required=False)
    assignee_unit = forms.CharField(label=_("Assigned to (unit)"), max_length=MAX_UNIT, required=False)
    due_date = forms.DateField(label=_("Due date"), input_formats=DATE_INPUT, widget=DateInput())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people  # type: ignore[attr-defined]
        self.fields["assignee_unit"].widget.attrs["list"] = "unit-names"


class TaskAssignForm(_TaskFields):
    source = forms.ChoiceField(label=_("From the conclusion of"))

    field_order = ["source", "title", "detail", "assignee", "assignee_unit", "due_date"]

    def __init__(
        self,
        *args: Any,
        items: list[AgendaItem],
        notice: MeetingRecord | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(MEETING_AS_A_WHOLE, str(_("the meeting as a whole")))]
        if notice is not None:
            choices.append((NOTICE, str(_("the conclusion notice"))))
        choices += [(f"item-{item.pk}", f"{item.position}. {item.title}") for item in items]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]
        self._items = {f"item-{item.pk}": item for item in items}
        self._notice = notice

    def source_of(self) -> dict[str, Any]:
        """The item or the notice the task comes from, as the action takes them."""
        source = self.cleaned_data["source"]
        return {
            "item": self._items.get(source),
            "record": self._notice if source == NOTICE else None,
        }


class TaskEditForm(_TaskFields):
    pass


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Progress"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class FinishForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
