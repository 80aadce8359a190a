"""Forms of the meeting pages: input parsing only; the rules live in the actions."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import DATE, TIME, UswdsMixin

from .actions_record import Attendance, Outcome, StepSpec
from .actions_scheduling import OutsideInvitee, TimeOption, Waiver
from .models import ExcusalKind, MeetingKind, MemberRole, PlaceKind

DURATIONS = [
    (30, _("30 minutes")),
    (45, _("45 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30 minutes")),
    (120, _("2 hours")),
]
NUMBER_OF_OPTIONS = 3
NUMBER_OF_STEPS = 3


def _aware(day, time, zone: str) -> datetime:  # type: ignore[no-untyped-def]
    return datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone))


class MeetingForm(UswdsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type of meeting"), choices=MeetingKind.choices)
    purpose = forms.CharField(
        max_length=limits.NOTE,
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In plain words: what the team will talk about and decide."),
    )
    place_kind = forms.ChoiceField(
        label=_("How people meet"),
        choices=PlaceKind.choices,
        widget=forms.RadioSelect,
        initial=PlaceKind.IN_PERSON,
    )
    place_details = forms.CharField(
        label=_("Place, phone number or video link"),
        max_length=limits.LINE,
        error_messages={
            "required": _("Say where the meeting is: a room, a phone number or a link.")
        },
    )
    invitees = forms.MultipleChoiceField(
        label=_("Who is invited"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Invite at least the required members.")},
    )
    outside_name = forms.CharField(
        label=_("Someone else to invite: name"), required=False, max_length=limits.NAME
    )
    outside_role = forms.ChoiceField(
        label=_("Their role"),
        required=False,
        choices=[("", "—")]
        + [
            (r.value, r.label)
            for r in (
                MemberRole.AGENCY_REPRESENTATIVE,
                MemberRole.INTERPRETER,
                MemberRole.GENERAL_EDUCATION_TEACHER,
                MemberRole.RELATED_SERVICE_PROVIDER,
                MemberRole.OTHER,
            )
        ],
    )
    outside_email = forms.EmailField(label=_("Their email"), required=False)
    waiver_guardian = forms.ChoiceField(
        label=_("Parent who agreed to a shorter notice"),
        required=False,
        help_text=_(
            "Only when the notice is late and the parent agreed; where the state allows it."
        ),
    )
    waiver_note = forms.CharField(
        max_length=limits.NOTE,
        label=_("How and when the parent agreed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_conflicts = forms.BooleanField(
        label=_("Schedule anyway, even though some invitees have another meeting then"),
        required=False,
    )
    confirm_closed_days = forms.BooleanField(
        label=_("Meet anyway on a day the school is closed"), required=False
    )

    def __init__(self, *args: Any, candidates=(), guardians=(), zone: str = "UTC", **kwargs: Any):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["invitees"].choices = [
            (
                c.key,
                f"{c.name} · {c.role_label}" + (f" ({_('required')})" if c.required else ""),
            )
            for c in candidates
        ]
        self.fields["waiver_guardian"].choices = [("", "—")] + [
            (str(g.pk), str(g)) for g in guardians
        ]
        self.guardians = {str(g.pk): g for g in guardians}
        for number in range(1, NUMBER_OF_OPTIONS + 1):
            first = number == 1
            self.fields[f"day_{number}"] = forms.DateField(
                label=_("Day") if first else _("Other day"),
                widget=DATE,
                required=first,
                error_messages={"required": _("Choose the day of the meeting.")},
            )
            self.fields[f"start_{number}"] = forms.TimeField(
                label=_("Start time"), widget=TIME, required=first
            )
            self.fields[f"minutes_{number}"] = forms.TypedChoiceField(
                label=_("Length"), choices=DURATIONS, coerce=int, initial=60, required=first
            )
        # The USWDS classes on the fields just added.
        for name in [f for f in self.fields if f.split("_")[0] in ("day", "start", "minutes")]:
            widget = self.fields[name].widget
            widget.attrs["class"] = (
                "usa-select" if isinstance(widget, forms.Select) else "usa-input"
            )

    def option_groups(self) -> list[list[Any]]:
        return [
            [self[f"day_{n}"], self[f"start_{n}"], self[f"minutes_{n}"]]
            for n in range(1, NUMBER_OF_OPTIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(2, NUMBER_OF_OPTIONS + 1):
            day, start = data.get(f"day_{number}"), data.get(f"start_{number}")
            if bool(day) != bool(start):
                self.add_error(
                    f"start_{number}" if day else f"day_{number}",
                    _("Give both the day and the start time, or leave both empty."),
                )
        if data.get("day_1") and not data.get("start_1") and "start_1" not in self.errors:
            self.add_error("start_1", _("Choose the start time."))
        if data.get("outside_name") and not data.get("outside_role"):
            self.add_error("outside_role", _("Choose the role of the person you invite."))
        if bool(data.get("waiver_guardian")) != bool((data.get("waiver_note") or "").strip()):
            self.add_error(
                "waiver_note",
                _("Give both the parent who agreed and how they agreed, or neither."),
            )
        return data

    def days(self) -> dict[str, date]:
        """The proposed days by their field ("day_1": the first)."""
        return {
            f"day_{n}": self.cleaned_data[f"day_{n}"]
            for n in range(1, NUMBER_OF_OPTIONS + 1)
            if self.cleaned_data.get(f"day_{n}")
        }

    def times(self) -> list[TimeOption]:
        out = []
        for number in range(1, NUMBER_OF_OPTIONS + 1):
            day = self.cleaned_data.get(f"day_{number}")
            start = self.cleaned_data.get(f"start_{number}")
            if day and start:
                begins = _aware(day, start, self.zone)
                minutes = int(self.cleaned_data.get(f"minutes_{number}") or 60)
                out.append(TimeOption(begins, begins + timedelta(minutes=minutes)))
        return out

    def outside(self) -> list[OutsideInvitee]:
        name = (self.cleaned_data.get("outside_name") or "").strip()
        if not name:
            return []
        return [
            OutsideInvitee(
                name=name,
                role=self.cleaned_data.get("outside_role") or MemberRole.OTHER,
                email=self.cleaned_data.get("outside_email") or "",
            )
        ]

    def waiver(self) -> Waiver | None:
        """The parent's recorded agreement to a shorter notice, if one was given."""
        guardian = self.guardians.get(self.cleaned_data.get("waiver_guardian") or "")
        if guardian is None:
            return None
        return Waiver(guardian=guardian, note=self.cleaned_data.get("waiver_note", ""))


class RescheduleForm(UswdsMixin, forms.Form):
    day_1 = forms.DateField(label=_("New day"), widget=DATE)
    start_1 = forms.TimeField(label=_("Start time"), widget=TIME)
    minutes_1 = forms.TypedChoiceField(label=_("Length"), choices=DURATIONS, coerce=int, initial=60)
    confirm_closed_days = forms.BooleanField(
        label=_("Meet anyway on a day the school is closed"), required=False
    )

    def __init__(self, *args: Any, zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def time(self) -> TimeOption:
        begins = _aware(self.cleaned_data["day_1"], self.cleaned_data["start_1"], self.zone)
        return TimeOption(begins, begins + timedelta(minutes=self.cleaned_data["minutes_1"]))


class CancelForm(UswdsMixin, forms.Form):
    reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("Why is the meeting cancelled?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExcusalForm(UswdsMixin, forms.Form):
    invitee = forms.ChoiceField(label=_("Member who will not attend"))
    kind = forms.ChoiceField(
        label=_("Kind of excusal"), choices=ExcusalKind.choices, widget=forms.RadioSelect
    )
    parent = forms.ChoiceField(label=_("Parent who agreed in writing"))
    parent_agreed_on = forms.DateField(
        label=_("Date of the parent's written agreement"), widget=DATE
    )
    district_agreed_on = forms.DateField(
        label=_("Date of the district's written agreement"), widget=DATE
    )
    member_input = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("The member's written input"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the member's area is discussed (300.321(e)(2))."),
    )
    member_input_on = forms.DateField(
        label=_("Date the written input was sent to the parent and the team"),
        required=False,
        widget=DATE,
    )

    def __init__(self, *args: Any, invitees=(), guardians=(), **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["invitee"].choices = [
            (str(i.pk), f"{i.display_name} · {i.get_role_display()}") for i in invitees
        ]
        self.fields["parent"].choices = [(str(g.pk), str(g)) for g in guardians]
        self.invitee_map = {str(i.pk): i for i in invitees}
        self.guardian_map = {str(g.pk): g for g in guardians}

    def arguments(self) -> dict[str, Any]:
        """What `actions.record_excusal` takes from the form."""
        data = self.cleaned_data
        return {
            "invitee": self.invitee_map[data["invitee"]],
            "kind": data["kind"],
            "parent": self.guardian_map[data["parent"]],
            "parent_agreed_on": data["parent_agreed_on"],
            "district_agreed_on": data["district_agreed_on"],
            "member_input": data.get("member_input", ""),
            "member_input_on": data.get("member_input_on"),
        }


class RecordForm(UswdsMixin, forms.Form):
    """Attendance, notes, decisions, what changed, parent input, next steps."""

    notes = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decisions = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent_input = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("What the parent said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan_version = forms.ChoiceField(label=_("Plan version this meeting produced"), required=False)
    eligibility = forms.ChoiceField(
        label=_("Eligibility decision this meeting made"), required=False
    )
    absence_reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("Reason for holding the meeting without an absent required member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when a required member was absent and not excused in writing."),
    )
    share_minutes = forms.BooleanField(
        label=_("Share the minutes with the team and the parent now"), required=False, initial=True
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args: Any, invitees=(), versions=(), decisions=(), owners=(), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = list(invitees)
        self.fields["plan_version"].choices = [("", "—")] + [
            (str(v.public_id), f"{v.plan.get_kind_display()} v{v.number} · {v.get_kind_display()}")
            for v in versions
        ]
        self.fields["eligibility"].choices = [("", "—")] + [
            (str(d.pk), f"{d.get_outcome_display()} · {d.decided_on}") for d in decisions
        ]
        self.version_map = {str(v.public_id): v for v in versions}
        self.decision_map = {str(d.pk): d for d in decisions}
        self.owner_map = {str(s.pk): s for s in owners}
        for invitee in self.invitees:
            self.fields[f"came_{invitee.pk}"] = forms.ChoiceField(
                label=_("Did %(name)s come?") % {"name": invitee.display_name},
                choices=[("yes", _("Came")), ("no", _("Did not come"))],
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                error_messages={"required": _("Say whether this person came.")},
            )
            self.fields[f"how_{invitee.pk}"] = forms.ChoiceField(
                label=_("How %(name)s took part") % {"name": invitee.display_name},
                choices=[("", "—"), *PlaceKind.choices],
                required=False,
            )
            self.fields[f"how_{invitee.pk}"].widget.attrs["class"] = "usa-select"
        owner_choices = [("", "—")] + [(str(s.pk), str(s.user)) for s in owners]
        for number in range(1, NUMBER_OF_STEPS + 1):
            self.fields[f"step_text_{number}"] = forms.CharField(
                label=_("Next step %(n)s") % {"n": number}, required=False, max_length=limits.LINE
            )
            self.fields[f"step_owner_{number}"] = forms.ChoiceField(
                label=_("Who does it"), choices=owner_choices, required=False
            )
            self.fields[f"step_owner_name_{number}"] = forms.CharField(
                label=_("Or: name of someone else (the parent, for example)"),
                required=False,
                max_length=limits.NAME,
            )
            self.fields[f"step_due_{number}"] = forms.DateField(
                label=_("Due date"), required=False, widget=DATE
            )
            for suffix in ("text", "owner_name", "due"):
                self.fields[f"step_{suffix}_{number}"].widget.attrs["class"] = "usa-input"
            self.fields[f"step_owner_{number}"].widget.attrs["class"] = "usa-select"

    def attendance_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(i, self[f"came_{i.pk}"], self[f"how_{i.pk}"]) for i in self.invitees]

    def step_rows(self) -> list[list[Any]]:
        return [
            [
                self[f"step_text_{n}"],
                self[f"step_owner_{n}"],
                self[f"step_owner_name_{n}"],
                self[f"step_due_{n}"],
            ]
            for n in range(1, NUMBER_OF_STEPS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, NUMBER_OF_STEPS + 1):
            text = (data.get(f"step_text_{number}") or "").strip()
            due = data.get(f"step_due_{number}")
            owner = data.get(f"step_owner_{number}") or data.get(f"step_owner_name_{number}")
            if text and not due:
                self.add_error(f"step_due_{number}", _("Give a due date for this step."))
            if text and not owner:
                self.add_error(f"step_owner_{number}", _("Say who does this step."))
            if not text and (due or owner):
                self.add_error(
                    f"step_text_{number}", _("Describe the next step, or clear its row.")
                )
        return data

    def attendance(self) -> dict[int, Attendance]:
        return {
            i.pk: Attendance(
                attended=self.cleaned_data.get(f"came_{i.pk}") == "yes",
                how=self.cleaned_data.get(f"how_{i.pk}") or "",
            )
            for i in self.invitees
            if self.cleaned_data.get(f"came_{i.pk}")
        }

    def outcome(self) -> Outcome:
        """What the meeting decided and who came, for `actions.mark_held`."""
        data = self.cleaned_data
        return Outcome(
            notes=data.get("notes", ""),
            decisions=data.get("decisions", ""),
            parent_input=data.get("parent_input", ""),
            absence_reason=data.get("absence_reason", ""),
            plan_version=self.version_map.get(data.get("plan_version") or ""),
            eligibility=self.decision_map.get(data.get("eligibility") or ""),
            attendance=self.attendance(),
            next_steps=self.steps(),
        )

    def steps(self) -> list[StepSpec]:
        out = []
        for number in range(1, NUMBER_OF_STEPS + 1):
            text = (self.cleaned_data.get(f"step_text_{number}") or "").strip()
            if not text:
                continue
            out.append(
                StepSpec(
                    text=text,
                    due_on=self.cleaned_data[f"step_due_{number}"],
                    owner=self.owner_map.get(self.cleaned_data.get(f"step_owner_{number}") or ""),
                    owner_name=self.cleaned_data.get(f"step_owner_name_{number}") or "",
                )
            )
        return out


class RespondForm(UswdsMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            ("accepted", _("Yes, I can come at this time and place")),
            ("proposed_other", _("I need a different time")),
            ("declined", _("I cannot come")),
        ],
        error_messages={"required": _("Choose your answer.")},
    )
    option = forms.ChoiceField(
        label=_("The time that works for you"), required=False, widget=forms.RadioSelect
    )
    proposed_day = forms.DateField(label=_("A day that works for you"), required=False, widget=DATE)
    proposed_time = forms.TimeField(
        label=_("A time that works for you"), required=False, widget=TIME
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Anything you want us to know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, options=(), zone: str = "UTC", **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.option_map = {str(o.pk): o for o in options}
        self.fields["option"].choices = [
            (
                str(o.pk),
                formats.date_format(
                    timezone.localtime(o.starts_at, zoneinfo.ZoneInfo(zone)), "DATETIME_FORMAT"
                ),
            )
            for o in options
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == "proposed_other":
            if not data.get("proposed_day"):
                self.add_error("proposed_day", _("Tell us a day that works for you."))
            if not data.get("proposed_time"):
                self.add_error("proposed_time", _("Tell us a time that works for you."))
        if data.get("answer") == "accepted" and len(self.option_map) > 1 and not data.get("option"):
            self.add_error("option", _("Choose the time that works for you."))
        return data

    def arguments(self) -> dict[str, Any]:
        """What `actions.respond` takes: one offered time is the answer when only one was offered."""
        data = self.cleaned_data
        options = list(self.option_map.values())
        option = self.option_map.get(data.get("option") or "")
        return {
            "answer": data["answer"],
            "option": option or (options[0] if len(options) == 1 else None),
            "proposed": self.proposed(),
            "note": data.get("note", ""),
        }

    def proposed(self) -> list[TimeOption]:
        day, time = self.cleaned_data.get("proposed_day"), self.cleaned_data.get("proposed_time")
        if not (day and time):
            return []
        begins = _aware(day, time, self.zone)
        return [TimeOption(begins, begins + timedelta(hours=1))]
