"""The secretariat's forms: they parse and check the shape of the input; the
rules of the meeting (states, who may take part) stay in ``meetings.actions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecabinet.errors import Invalid
from ecabinet.generics import ModelChoiceField
from ecabinet.models import Tenant, User
from ecabinet.roles import Role
from meetings import selectors
from meetings.actions import check_new_start
from meetings.models import AgendaItem, MeetingKind, Participant

DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _when(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, input_formats=DATETIME_INPUT, widget=DateTimeInput()
    )


def directory(tenant_id: int) -> Any:
    """The people of one tenant, for pickers."""
    return selectors.directory(Tenant(pk=tenant_id))


def refuse_a_past_start(value: Any, *, unchanged_from: Any = None) -> Any:
    """``meetings.actions.check_new_start``, as a form field's error."""
    try:
        check_new_start(value, unchanged_from=unchanged_from)
    except Invalid as exc:
        raise forms.ValidationError(str(exc.detail), code="past") from None
    return value


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    scheduled_start = _when(_("Start"))
    planned_end = _when(_("Planned end"), required=False)

    def clean_scheduled_start(self) -> Any:
        return refuse_a_past_start(
            self.cleaned_data.get("scheduled_start"), unchanged_from=self.initial.get("scheduled_start")
        )


class MeetingEditForm(MeetingForm):
    speaking_limit_seconds = forms.IntegerField(
        label=_("Speaking-time limit (seconds)"), min_value=15, max_value=3600
    )


class PresenterChoice(ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {obj.title}" if obj.title else str(obj.full_name or obj.username)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    presenting_unit = forms.CharField(label=_("Presenting unit"), max_length=300, required=False)
    presenter = PresenterChoice(label=_("Presenter"), queryset=User.objects.none(), required=False)
    presenter_name = forms.CharField(
        label=_("Presenter (if not in the directory)"), max_length=200, required=False
    )
    planned_minutes = forms.IntegerField(label=_("Planned minutes"), min_value=1, max_value=24 * 60)

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = directory(tenant_id)  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class ReorderForm(forms.Form):
    order = forms.CharField(max_length=20000)

    def clean_order(self) -> list[int]:
        raw = [part.strip() for part in self.cleaned_data["order"].split(",") if part.strip()]
        try:
            return [int(part) for part in raw]
        except ValueError as exc:
            raise forms.ValidationError(_("The new order must list item numbers.")) from exc


class ParticipantAddForm(forms.Form):
    user = PresenterChoice(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = directory(tenant_id)  # type: ignore[attr-defined]


class ParticipantChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    items = forms.ModelMultipleChoiceField(
        label=_("Invited to items"),
        queryset=AgendaItem.all_tenants.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = AgendaItem.objects.filter(  # type: ignore[attr-defined]
            meeting_id=meeting_id
        ).order_by("position", "id")


class SubstituteForm(forms.Form):
    substitute = PresenterChoice(label=_("Substitute"), queryset=User.objects.none())

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = directory(tenant_id)  # type: ignore[attr-defined]


class SubstituteProposalForm(forms.Form):
    substitute = PresenterChoice(label=_("Who attends for me"), queryset=User.objects.none())

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        from meetings.selectors import substitute_choices

        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = substitute_choices(meeting)  # type: ignore[attr-defined]


class SubstituteCandidatesForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("People members may propose as their substitute"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, tenant_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = directory(tenant_id)  # type: ignore[attr-defined]


class ActingChairForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Acting chair"), queryset=Participant.all_tenants.none(), required=False
    )

    def __init__(self, *args: Any, meeting_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(  # type: ignore[attr-defined]
            meeting_id=meeting_id, role=Role.VICE_CHAIR
        ).select_related("user")


class CopyForm(forms.Form):
    title = forms.CharField(label=_("Title of the new meeting"), max_length=300, required=False)
    scheduled_start = _when(_("Start"))

    def clean_scheduled_start(self) -> Any:
        return refuse_a_past_start(self.cleaned_data.get("scheduled_start"))


class MeetingRulesForm(forms.Form):
    quorum_percent = forms.IntegerField(
        label=_("Quorum: more than this percentage of the members"), min_value=1, max_value=100
    )
    speaking_limit_seconds = forms.IntegerField(
        label=_("Speaking-time limit for new meetings (seconds)"), min_value=15, max_value=3600
    )
    secret_ballot_early_close = forms.BooleanField(
        label=_("The chair may close a secret ballot before the quorum has voted"), required=False
    )


class BaselineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    minutes = forms.IntegerField(label=_("Minutes on paper"), min_value=1, max_value=24 * 60)
    source = forms.CharField(label=_("Source of the figure"), max_length=300)
    is_assumption = forms.BooleanField(label=_("An assumption, not a measured figure"), required=False)
