"""What the meeting pages show, built from plain values: the views only fetch, act and render.

Every builder takes the meeting (or student) already through its gatekeeper and the `Access`
decision on the student, and hands the decision to the template as `access`: templates read
`access.can.schedule_meetings` and never ask the policy themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access.capabilities import Cap
from tandem.access.policy import Access
from tandem.accounts.models import User
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import School, Student
from tandem.people.relations import rights_holder, rights_holders
from tandem.plans.models import PlanVersion
from tandem.referrals.models import EligibilityDecision

from . import actions_scheduling, closed_days, notices, queries, rules
from .forms import CancelForm, ExcusalForm, MeetingForm, RecordForm, RescheduleForm, RespondForm
from .models import (
    EXCUSABLE_ROLES,
    MailStatus,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MeetingStatus,
    PlaceKind,
)

PAGE_SIZE = 25
SCOPES = ("upcoming", "past", "all")

# --- scheduling ---------------------------------------------------------------------------------


@dataclass
class Scheduling:
    """The scheduling page of one student: who may be invited, the form, the conflicts found.

    `scheduler` is the action that schedules (`actions_scheduling.schedule_meeting`, or an app above that
    schedules for its own record, such as a revision request, with the same arguments).
    """

    student: Student
    kind: str
    today: date
    purpose: str = ""
    scheduler: Callable[..., Meeting] = actions_scheduling.schedule_meeting
    conflicts: list[tuple[MeetingInvitee, actions_scheduling.TimeOption]] = field(
        default_factory=list
    )

    @classmethod
    def start(cls, student: Student, kind: str | None, *, today: date, **more: Any) -> Scheduling:
        chosen = kind if kind in MeetingKind.values else MeetingKind.ANNUAL_REVIEW
        return cls(student=student, kind=chosen, today=today, **more)  # type: ignore[arg-type]

    @cached_property
    def candidates(self) -> list[rules.Candidate]:
        return rules.candidates(self.student, self.kind, self.today)

    def _initial(self) -> dict[str, Any]:
        school = self.student.school
        initial: dict[str, Any] = {
            "kind": self.kind,
            "invitees": [c.key for c in self.candidates if c.required],
            "place_kind": PlaceKind.IN_PERSON,
            "place_details": school.name + (f", {school.address}" if school.address else ""),
            "minutes_1": 60,
        }
        if self.purpose:
            initial["purpose"] = self.purpose
        return initial

    def form(self, data: Any = None) -> MeetingForm:
        """Bound to `data`, unless it only asks to refresh the list of who must be invited."""
        initial = self._initial()
        if data is not None and "refresh" in data:
            initial = {**initial, **data.dict(), "invitees": initial["invitees"]}
            data = None
        return MeetingForm(
            data,
            initial=initial,
            candidates=self.candidates,
            guardians=rights_holders(self.student),
            zone=self.student.district.time_zone,
        )

    def action(self, actor: User, form: MeetingForm) -> Callable[[dict[str, Any]], Meeting]:
        """Schedule from the valid form; other meetings of the invitees then need a confirmation."""

        def schedule(data: dict[str, Any]) -> Meeting:
            times = form.times()
            chosen = [c for c in self.candidates if c.key in data["invitees"]]
            self.conflicts = actions_scheduling.conflicts_for(
                times=times,
                staff_ids=[c.staff_id for c in chosen if c.staff_id],
                guardian_ids=[c.guardian_id for c in chosen if c.guardian_id],
            )
            closed = closed_days.refusal(
                self.student,
                form.days(),
                bool(data.get("confirm_closed_days")),
                today=self.today,
            )
            if closed:
                raise ValidationError(closed)
            if self.conflicts and not data.get("confirm_conflicts"):
                raise ValidationError({"confirm_conflicts": [_conflicts_message()]})
            return self.scheduler(
                actor=actor,
                student=self.student,
                kind=data["kind"],
                times=times,
                place_kind=data["place_kind"],
                place_details=data["place_details"],
                invitee_keys=data["invitees"],
                outside=form.outside(),
                purpose=data.get("purpose", ""),
                plan=queries.plan_for_meeting(self.student, data["kind"]),
                waiver=form.waiver(),
            )

        return schedule

    def timing(self, form: MeetingForm) -> rules.NoticeTiming | None:
        """The notice lead time for the first day chosen (a hint; the action checks for real)."""
        cleaned = getattr(form, "cleaned_data", None) or {}
        first_day = cleaned.get("day_1") or self.today + timedelta(days=14)
        try:
            return rules.notice_timing(self.student, first_day)
        except Exception:  # noqa: BLE001 - no calendar, rule not in effect: no hint
            return None

    def context(self, form: MeetingForm, access: Access, **more: Any) -> dict[str, Any]:
        return {
            "student": self.student,
            "access": access,
            "form": form,
            "kind": self.kind,
            "candidates": self.candidates,
            "conflicts": self.conflicts,
            "timing": self.timing(form),
            "required_labels": [c.role_label for c in self.candidates if c.required],
            **more,
        }


def _conflicts_message() -> str:
    return _(
        "Some invitees have another meeting at this time. Choose another time, or check the box "
        "to schedule anyway."
    )


# --- the meeting page and its forms -------------------------------------------------------------


def _excusable(invitees: list[MeetingInvitee]) -> list[MeetingInvitee]:
    return [
        i
        for i in invitees
        if i.required and i.role in EXCUSABLE_ROLES and not hasattr(i, "excusal")
    ]


def excusal_form(meeting: Meeting, data: Any = None) -> ExcusalForm | None:
    """The excusal form, when a required member may still be excused (300.321(e))."""
    excusable = _excusable(list(meeting.invitees.all()))
    if not excusable and data is None:
        return None
    return ExcusalForm(data, invitees=excusable, guardians=rights_holders(meeting.student))


def record_form(meeting: Meeting, data: Any = None) -> RecordForm:
    """Attendance, notes, decisions, what the meeting changed and the next steps."""
    student = meeting.student
    invitees = list(meeting.invitees.all())
    versions = (
        PlanVersion.objects.filter(plan__student=student)
        .select_related("plan")
        .order_by("-created_at")[:20]
    )
    initial = {
        "notes": meeting.notes,
        "decisions": meeting.decisions,
        "parent_input": meeting.parent_input,
        **{
            f"came_{i.pk}": ("yes" if i.attended else "no")
            for i in invitees
            if i.attended is not None
        },
        **{f"how_{i.pk}": i.attended_how for i in invitees if i.attended_how},
    }
    return RecordForm(
        data,
        invitees=invitees,
        versions=list(versions),
        decisions=list(EligibilityDecision.objects.filter(student=student).order_by("-pk")[:10]),
        owners=[i.staff for i in invitees if i.staff_id],
        initial=initial,
    )


def detail(meeting: Meeting, access: Access, *, now: datetime, **forms: Any) -> dict[str, Any]:
    """The meeting for the team; those who schedule meetings get the forms to act on it."""
    zone = meeting.student.district.time_zone
    invitees = list(meeting.invitees.all())
    context: dict[str, Any] = {
        "student": meeting.student,
        "meeting": meeting,
        "access": access,
        "tz": zone,
        "invitees": invitees,
        "options": list(meeting.time_options.all()),
        "conflicts": queries.conflicts_of(meeting) if meeting.is_open else [],
        "notices": list(meeting.notices.select_related("guardian")),
        "next_steps": list(meeting.next_steps.select_related("owner__user")),
        "mails_waiting": meeting.mails.filter(status=MailStatus.QUEUED).count(),
        "started": meeting.starts_at <= now,
        "asked_times": [(i, p) for i in invitees for p in i.proposed_times],
    }
    if access.has(Cap.SCHEDULE_MEETINGS):
        context["excusal_form"] = excusal_form(meeting)
        context["record_form"] = record_form(meeting)
        context["reschedule_form"] = RescheduleForm(zone=zone)
        context["cancel_form"] = CancelForm()
    context.update(forms)
    return context


def respond_form(meeting: Meeting, data: Any = None) -> RespondForm:
    zone = meeting.student.district.time_zone
    return RespondForm(data, options=list(meeting.time_options.all()), zone=zone)


def respond(
    meeting: Meeting, access: Access, form: RespondForm, invitee: MeetingInvitee | None
) -> dict[str, Any]:
    """The family's page: what, when, where, who, and their answer."""
    return {
        "meeting": meeting,
        "student": meeting.student,
        "access": access,
        "invitee": invitee,
        "invitees": list(meeting.invitees.all()),
        "options": list(meeting.time_options.all()),
        "form": form,
        "tz": meeting.student.district.time_zone,
        "language": notices.language_of(invitee.guardian if invitee else None),
        "next_steps": list(meeting.next_steps.select_related("owner__user")),
    }


def document_language(meeting: Meeting, requested: str | None) -> str:
    """The language asked for, else that of the parent who receives notices."""
    if requested in notices.LANGUAGES:
        return requested  # type: ignore[return-value]
    return notices.language_of(rights_holder(meeting.student))


# --- the list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    """The list's filters as asked (`?scope=&kind=&status=&school=`), unknown values dropped."""

    scope: str
    kind: str
    status: str
    school: str
    school_id: int | None
    schools: list[School]

    @classmethod
    def from_query(cls, query: Mapping[str, str], schools: list[School]) -> ListFilter:
        scope = query.get("scope", "upcoming")
        school = query.get("school", "")
        chosen = next((s for s in schools if str(s.public_id) == school), None) if school else None
        return cls(
            scope=scope if scope in SCOPES else "upcoming",
            kind=query.get("kind", ""),
            status=query.get("status", ""),
            school=school,
            school_id=(chosen.pk if chosen else -1) if school else None,
            schools=schools,
        )

    def query(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "kind": self.kind,
            "status": self.status,
            "school_id": self.school_id,
        }

    def context(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "kind": self.kind,
            "status": self.status,
            "school": self.school,
            "schools": self.schools,
            "kinds": MeetingKind.choices,
            "statuses": MeetingStatus.choices,
        }


def list_download(request: HttpRequest, meetings: QuerySet[Meeting], fmt: str) -> HttpResponse:
    """Every meeting of the filtered list (not only the page shown), as a file."""
    header = [
        _("When"),
        _("Student"),
        _("Student id"),
        _("Meeting"),
        _("School"),
        _("Status"),
        _("Family's answer"),
    ]

    def row(m: Meeting) -> list[object]:
        when = timezone.localtime(m.starts_at, ZoneInfo(m.student.district.time_zone))
        answers = "; ".join(
            str(i.get_response_display()) for i in m.invitees.all() if i.guardian_id
        )
        return [
            when.strftime("%Y-%m-%d %H:%M") if m.starts_at else "",
            m.student.display_name,
            m.student.sis_id,
            str(m.get_kind_display()),
            m.student.school.name,
            str(m.get_status_display()),
            answers,
        ]

    return downloads.download(
        request,
        items=meetings.iterator(chunk_size=2000),
        title=_("Meetings"),
        header=header,
        row=row,
        whose=lambda m: (m.student.district_id, m.student_id),
        fmt=fmt,
        filename=f"meetings-{clock.today().isoformat()}",
        action=Action.MEETINGS__EXPORTED,
    )
