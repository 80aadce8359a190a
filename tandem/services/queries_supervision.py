"""Reads for the supervision of assistants: the sessions awaiting a supervisor's co-signature,
and each assistant's supervision minutes per period against the state's rule.

Who sees an assistant's supervision figures: the assistant, their supervisor, and the leaders
and coordinators of a district the assistant serves (`queries_providers`). The minutes name no
student. The co-signature queue does: it lists only sessions whose every student the supervisor
may record progress for; the others are counted, never named. So does each student's direct
supervision (SLPA): a student the reader may not see is counted, not named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef
from django.http import Http404

from tandem.access.capabilities import Cap
from tandem.access.policy import parse_public_id, standing, students_visible_to, students_with
from tandem.accounts.models import User
from tandem.people.models import District, Student
from tandem.rules import supervision as rules
from tandem.services import queries_providers
from tandem.services.actions import NOT_HELD
from tandem.services.models import (
    ASSISTANT_DISCIPLINES,
    ProviderProfile,
    ServiceSession,
    SessionAttendance,
    SupervisionKind,
    SupervisionLog,
)

PERIODS_SHOWN = {rules.Period.WEEK: 6, rules.Period.MONTH: 3}
OBSERVABLE_DAYS = 14  # how far back a supervisor may pick the sessions they observed


# --- the co-signature queue --------------------------------------------------------------------


@dataclass
class Awaiting:
    session: ServiceSession
    attendance: list[SessionAttendance]


@dataclass
class Queue:
    entries: list[Awaiting] = field(default_factory=list)
    hidden: int = 0  # awaiting, but with a student the supervisor does not serve


def _awaiting(staff_id: int) -> Any:
    return ServiceSession.objects.filter(
        provider_id__in=ProviderProfile.objects.filter(supervisor_id=staff_id).values("staff_id"),
        needs_cosignature=True,
        signed_at__isnull=False,
        cosignature__isnull=True,
    )


def awaiting_cosignature(user: User) -> Queue:
    """The assistants' signed sessions awaiting `user`'s co-signature, oldest first (4 queries)."""
    staff_id = standing(user).staff_id
    if staff_id is None:
        return Queue()
    rows = list(
        SessionAttendance.objects.filter(session__in=_awaiting(staff_id))
        .select_related("session__provider__user", "student", "service")
        .order_by("session__day", "session__start_time", "session_id", "student__legal_last_name")
    )
    writable = set(
        students_with(user, Cap.RECORD_PROGRESS)
        .filter(pk__in={row.student_id for row in rows})
        .values_list("pk", flat=True)
    )
    grouped: dict[int, list[SessionAttendance]] = defaultdict(list)
    for row in rows:
        grouped[row.session_id].append(row)
    queue = Queue()
    for attendance in grouped.values():
        if all(row.student_id in writable for row in attendance):
            queue.entries.append(Awaiting(attendance[0].session, attendance))
        else:
            queue.hidden += 1
    return queue


def posted_sessions(values: list[str]) -> list[ServiceSession]:
    """The sessions a co-signature form names, by public id; an unknown one is not found."""
    keys = [parse_public_id(value) for value in dict.fromkeys(values)]
    found = {s.public_id: s for s in ServiceSession.objects.filter(public_id__in=keys)}
    if len(found) != len(keys):
        raise Http404
    return [found[key] for key in keys]


# --- supervision figures -----------------------------------------------------------------------


def supervisees(user: User) -> list[ProviderProfile]:
    """The assistants `user` supervises, by name."""
    staff_id = standing(user).staff_id
    if staff_id is None:
        return []
    return list(
        ProviderProfile.objects.filter(supervisor_id=staff_id)
        .select_related("staff__user")
        .order_by("staff__user__last_name", "staff__user__first_name", "id")
    )


def assistants_in_view(user: User, *, today: date) -> list[ProviderProfile]:
    """Assistants whose supervision `user` may see: their own, their supervisees', and those
    serving a district the user leads or coordinates."""
    staff_id = standing(user, today=today).staff_id
    if staff_id is None:
        return []
    profiles = list(
        ProviderProfile.objects.filter(discipline__in=ASSISTANT_DISCIPLINES).select_related(
            "staff__user", "supervisor__user"
        )
    )
    coordinated = queries_providers.coordinated_district_ids(user, today=today)
    served = queries_providers.served_district_ids([p.staff_id for p in profiles], today=today)
    seen = [
        p
        for p in profiles
        if staff_id in (p.staff_id, p.supervisor_id) or served.get(p.staff_id, set()) & coordinated
    ]
    return sorted(seen, key=lambda p: (p.staff.user.last_name, p.staff.user.first_name, p.pk))


@dataclass
class AssistantFigures:
    profile: ProviderProfile
    state: str
    rule: rules.SupervisionRule
    periods: list[tuple[rules.Figures, rules.Requirement]]
    # SLPAs: each student served lately and their last direct supervision (students_supervised).
    students: list[Any] = field(default_factory=list)

    @property
    def below(self) -> bool:
        return any(figures.below for figures, _req in self.periods)

    @property
    def assumed_start(self) -> bool:
        return any(req.assumed_start for _fig, req in self.periods)


def _states(profiles: list[ProviderProfile], today: date) -> dict[int, str]:
    """Each assistant's state: that of the district they serve (the first by id; 2 queries)."""
    served = queries_providers.served_district_ids([p.staff_id for p in profiles], today=today)
    ids = {min(ds) for ds in served.values() if ds}
    state_of = dict(District.objects.filter(pk__in=ids).values_list("pk", "state"))
    return {
        p.staff_id: state_of[min(served[p.staff_id])] if served.get(p.staff_id) else rules.FEDERAL
        for p in profiles
    }


def _minutes(staff_ids: list[int], start: date, end: date) -> tuple[dict[Any, int], dict[Any, int]]:
    """(assistant, day) -> minutes of sessions held; (assistant, day, kind) -> supervision."""
    held = SessionAttendance.objects.filter(session=OuterRef("pk")).exclude(code__in=NOT_HELD)
    sessions: dict[Any, int] = defaultdict(int)
    for provider_id, day, minutes in (
        ServiceSession.objects.filter(provider_id__in=staff_ids, day__range=(start, end))
        .filter(Exists(held))
        .values_list("provider_id", "day", "minutes")
    ):
        sessions[(provider_id, day)] += minutes
    supervision: dict[Any, int] = defaultdict(int)
    for assistant_id, day, kind, minutes in (
        SupervisionLog.objects.filter(assistant_id__in=staff_ids, day__range=(start, end))
        .filter(void__isnull=True)  # an entry set aside no longer counts
        .values_list("assistant_id", "day", "kind", "minutes")
    ):
        supervision[(assistant_id, day, kind)] += minutes
    return sessions, supervision


def supervision_figures(profiles: list[ProviderProfile], *, today: date) -> list[AssistantFigures]:
    """Per assistant, the last periods of their state's rule: minutes against it (5 queries)."""
    if not profiles:
        return []
    states = _states(profiles, today)
    chosen = {}
    for p in profiles:
        rule = rules.rule_for(states[p.staff_id], p.discipline, on=today)
        chosen[p.staff_id] = (
            rule,
            rules.last_periods(rule.period, today, PERIODS_SHOWN[rule.period]),
        )
    start = min(periods[0][0] for _rule, periods in chosen.values())
    sessions, supervision = _minutes([p.staff_id for p in profiles], start, today)
    result = []
    for p in profiles:
        rule, periods = chosen[p.staff_id]
        rows = []
        for first, last in periods:
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            requirement = rules.requirement(
                rule, period_start=first, supervised_since=p.supervised_since
            )
            figures = rules.measure(
                requirement,
                start=first,
                end=last,
                today=today,
                service_minutes=sum(sessions.get((p.staff_id, d), 0) for d in days),
                direct=sum(
                    supervision.get((p.staff_id, d, SupervisionKind.DIRECT), 0) for d in days
                ),
                indirect=sum(
                    supervision.get((p.staff_id, d, SupervisionKind.INDIRECT), 0) for d in days
                ),
            )
            rows.append((figures, requirement))
        result.append(AssistantFigures(p, states[p.staff_id], rule, rows[::-1]))
    return result


def recent_logs(profiles: list[ProviderProfile], *, today: date) -> list[SupervisionLog]:
    """The supervision recorded for these assistants in the last 60 days, newest first."""
    return list(
        SupervisionLog.objects.filter(
            assistant_id__in=[p.staff_id for p in profiles], day__gte=today - timedelta(days=60)
        )
        .select_related("assistant__user", "supervisor__user", "void")
        .annotate(observed_count=Count("observed"))
        .order_by("-day", "-id")
    )


def observable_sessions(user: User, *, today: date) -> Any:
    """Sessions of the user's assistants in the last two weeks they may pick as observed.

    Only sessions whose every student the supervisor may read; the form shows them by date,
    time and size, never by name.
    """
    staff_id = standing(user, today=today).staff_id
    if staff_id is None:
        return ServiceSession.objects.none()
    hidden = SessionAttendance.objects.filter(session=OuterRef("pk")).exclude(
        student__in=students_visible_to(user)
    )
    return (
        ServiceSession.objects.filter(
            provider_id__in=ProviderProfile.objects.filter(supervisor_id=staff_id).values(
                "staff_id"
            ),
            day__range=(today - timedelta(days=OBSERVABLE_DAYS), today),
        )
        .exclude(Exists(hidden))
        .annotate(group=Count("attendance"))
        .select_related("provider__user")
        .order_by("-day", "-start_time", "-id")
    )


# --- each student's direct supervision (SLPA) ----------------------------------------------------

# docs/services.md SUP-1: ASHA asks the SLP to document direct supervision of each student an
# SLPA serves every 30 to 60 days; Tandem flags a student past the longer of the two.
STUDENT_EVERY_DAYS = 60


@dataclass
class StudentSupervision:
    """One student an SLPA served lately: when they began, and their last direct supervision."""

    student: Student | None  # None: the reader may not see the student (counted, not named)
    first_session: date
    last_observed: date | None
    due: date
    overdue: bool


def students_supervised(
    profiles: list[ProviderProfile], user: User, *, today: date
) -> dict[int, list[StudentSupervision]]:
    """Per SLPA: each student they served in the last 60 days, with the last day a supervisor
    recorded direct supervision observing a session of that student (3 queries)."""
    slpas = [p.staff_id for p in profiles if p.discipline == rules.SLPA]
    if not slpas:
        return {}
    since = today - timedelta(days=STUDENT_EVERY_DAYS)
    served = (
        SessionAttendance.objects.filter(session__provider_id__in=slpas)
        .exclude(code__in=NOT_HELD)
        .values("session__provider_id", "student_id")
        .annotate(first=Min("session__day"), last=Max("session__day"))
        .filter(last__gte=since)
        .values_list("session__provider_id", "student_id", "first")
    )
    rows = list(served)
    observed: dict[tuple[int, int], date] = {
        (assistant, student): day
        for assistant, student, day in SupervisionLog.objects.filter(
            assistant_id__in=slpas, kind=SupervisionKind.DIRECT, void__isnull=True
        )
        .values("assistant_id", "observed__attendance__student_id")
        .annotate(last=Max("day"))
        .filter(observed__attendance__student_id__isnull=False)
        .values_list("assistant_id", "observed__attendance__student_id", "last")
    }
    visible = Student.objects.in_bulk(
        students_visible_to(user)
        .filter(pk__in={student for _a, student, _f in rows})
        .values_list("pk", flat=True)
    )
    found: dict[int, list[StudentSupervision]] = defaultdict(list)
    for assistant, student_id, first in rows:
        last = observed.get((assistant, student_id))
        due = max(first, last or first) + timedelta(days=STUDENT_EVERY_DAYS)
        found[assistant].append(
            StudentSupervision(visible.get(student_id), first, last, due, today > due)
        )
    for entries in found.values():
        entries.sort(key=lambda e: (not e.overdue, e.due, e.student is None,
                                    e.student.last_name if e.student else ""))  # fmt: skip
    return dict(found)
