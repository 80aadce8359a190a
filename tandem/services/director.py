"""The director's numbers: every mandate a leader answers for, served, underserved or unserved.

A mandate is a service with a frequency in an active plan of a student the leader may read
(a district administrator: the district's schools; a principal: their school). Per mandate the
minutes of the last four complete weeks and of the year come from the same accounting as the
student's own page (`tandem.services.queries`, which runs `tandem.rules.services`); this module
only gathers every student's rows at once and sorts the mandates:

* **served**: delivered and made-up minutes are at least the district's threshold
  (`settings.SERVICES_SERVED_PERCENT`, default 90) of the minutes mandated over the last four
  weeks;
* **underserved**: below the threshold, with some minutes delivered;
* **unserved**: no minute delivered over the four weeks, or no provider assigned at all (the
  shortage docs/services.md speaks of: it does not lift the duty to deliver);
* **not due**: a provider is assigned and the four weeks owed nothing (a service that starts
  this week, or four weeks of holidays).

The provider of a mandate is whoever is assigned its discipline today: a provider assignment or
a team role of that discipline; for special education (specialized instruction), the case
manager. The discipline comes from the service's name by the same words the log page uses
(`tandem.progress.responsibility.role_for_service`).

A fixed number of queries, however many students, services and sessions (tests pin it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, DateField, F, Func, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from tandem.access.policy import schools_led_by, standing
from tandem.accounts.models import User
from tandem.compliance.actions import _Calendars
from tandem.people.models import (
    CaseloadAssignment,
    District,
    ProviderAssignment,
    School,
    Student,
    TeamMembership,
    TeamRole,
)
from tandem.plans.models import PlanStatus, Service, ServiceCategory
from tandem.progress.responsibility import role_for_service
from tandem.rules import services as rules
from tandem.rules.calendar import SchoolCalendar
from tandem.services import tallies
from tandem.services.compensatory import settings_for
from tandem.services.models import SessionAttendance
from tandem.services.queries import Window, _fallback_calendar, _window, mandate_of

DEFAULT_SERVED_PERCENT = 90
_WEEK = timedelta(days=7)


def served_percent(district: District | None = None) -> int:
    """The district's threshold: at least this percent of the mandated minutes is served.

    `District.settings["services"]["threshold_percent"]` (the same setting the case manager's
    alert reads), else `settings.SERVICES_SERVED_PERCENT`, else 90.
    """
    default = getattr(settings, "SERVICES_SERVED_PERCENT", DEFAULT_SERVED_PERCENT)
    chosen = ((district.settings or {}).get("services") or {}) if district is not None else {}
    try:
        return int(chosen.get("threshold_percent", default))
    except (TypeError, ValueError):
        return int(default)


# --- disciplines ---------------------------------------------------------------------------------

SLP, OT, PT, COUNSELING, PSYCHOLOGY, SPECIAL_EDUCATION, OTHER = (
    "slp",
    "ot",
    "pt",
    "counseling",
    "psychology",
    "special_education",
    "other",
)
DISCIPLINES: dict[str, Any] = {
    SLP: _("Speech-language"),
    OT: _("Occupational therapy"),
    PT: _("Physical therapy"),
    COUNSELING: _("Counseling"),
    PSYCHOLOGY: _("Psychological services"),
    SPECIAL_EDUCATION: _("Special education"),
    OTHER: _("Other"),
}
# The team role of each discipline, as `role_for_service` names it.
_ROLE_DISCIPLINE = {
    TeamRole.SPEECH_LANGUAGE: SLP,
    TeamRole.OCCUPATIONAL_THERAPIST: OT,
    TeamRole.PHYSICAL_THERAPIST: PT,
    TeamRole.COUNSELOR: COUNSELING,
    TeamRole.PSYCHOLOGIST: PSYCHOLOGY,
}
_SPECIAL_EDUCATION_ROLES = (TeamRole.CASE_MANAGER, TeamRole.SPECIAL_EDUCATION_TEACHER)


def discipline_of(service: Service) -> str:
    """slp, ot, pt, counseling, psychology, special_education or other."""
    return discipline_for(service.name, service.category)


def discipline_for(name: str, category: str) -> str:
    """`discipline_of` from a service's name and category."""
    role = role_for_service(name)
    if role in _ROLE_DISCIPLINE:
        return _ROLE_DISCIPLINE[role]  # type: ignore[index]
    if category == ServiceCategory.SPECIAL_EDUCATION:
        return SPECIAL_EDUCATION
    return OTHER


# --- statuses ------------------------------------------------------------------------------------

SERVED, UNDERSERVED, UNSERVED, NOT_DUE = "served", "underserved", "unserved", "not_due"
STATUSES: dict[str, Any] = {
    SERVED: _("Served"),
    UNDERSERVED: _("Underserved"),
    UNSERVED: _("Unserved"),
    NOT_DUE: _("No minutes due yet"),
}
NO_PROVIDER, NONE_DELIVERED, BELOW = "no_provider", "none_delivered", "below_threshold"
REASONS: dict[str, Any] = {
    NO_PROVIDER: _("No provider assigned"),
    NONE_DELIVERED: _("No minutes delivered in the last 4 weeks"),
    BELOW: _("Below the threshold"),
}


def status_of(four_weeks: rules.Totals, has_provider: bool, threshold: int) -> tuple[str, str]:
    """(status, reason): see the module docstring."""
    if not has_provider:
        return UNSERVED, NO_PROVIDER
    if four_weeks.mandated == 0:
        return NOT_DUE, ""
    if four_weeks.delivered + four_weeks.made_up == 0:
        return UNSERVED, NONE_DELIVERED
    percent = four_weeks.percent or 0
    return (SERVED, "") if percent >= threshold else (UNDERSERVED, BELOW)


# --- who is asking, and the filters --------------------------------------------------------------


def is_leader(user: User) -> bool:
    """District administrators and principals: the only readers of the director's numbers."""
    s = standing(user)
    return bool(s.admin_district_ids or s.admin_school_ids)


def leader_students(user: User) -> QuerySet[Student]:
    """Students of the schools `user` leads (the policy's `schools_led_by`; one query).

    A leader's tie grants READ on every student of the schools they lead (capabilities.py), so
    these are a part of `students_with(user, Cap.READ)` (tests/services/test_director.py checks
    it); the school ids are read once so the queries below filter on a short list, not on the
    policy's whole expression again and again.
    """
    schools = list(schools_led_by(user).values_list("pk", flat=True))
    return Student.objects.filter(school_id__in=schools)


def schools_of(user: User) -> list[School]:
    return list(schools_led_by(user).order_by("name", "id"))


@dataclass(frozen=True, slots=True)
class Filters:
    school: School | None = None
    discipline: str | None = None

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.school is not None:
            params["school"] = str(self.school.public_id)
        if self.discipline:
            params["discipline"] = self.discipline
        return params


def parse_filters(user: User, school: str | None, discipline: str | None) -> Filters:
    """The filters from request parameters; an unknown value is refused naming the parameter."""
    chosen = None
    if school:
        try:
            key = UUID(str(school))
        except ValueError:
            key = None
        chosen = schools_led_by(user).filter(public_id=key).first() if key else None
        if chosen is None:
            raise ValidationError({"school": _("Unknown school.")})
    if discipline and discipline not in DISCIPLINES:
        raise ValidationError(
            {
                "discipline": _("Unknown discipline. Choose one of: %(choices)s.")
                % {"choices": ", ".join(DISCIPLINES)}
            }
        )
    return Filters(school=chosen, discipline=discipline or None)


# --- the rows ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """A service with a frequency, read as plain values: a district holds tens of thousands, and
    building a service, plan and student object for each was most of the page's time."""

    pk: int
    public_id: UUID
    name: str
    category: str
    lineage: UUID
    student_id: int
    student_public_id: UUID
    first_name: str
    last_name: str
    sis_id: str
    school_id: int
    district_id: int
    mandate: rules.Mandate


@dataclass(slots=True)
class MandateRow:
    """One mandate and its minutes over the last four weeks and the year to date.

    Plain figures and names; `student` and `service` are read from the database only when asked
    (one query each; `attach` reads a list's at once).
    """

    line: Line
    school: School
    discipline: str
    providers: list[str]
    tally: tallies.Tally
    status: str
    reason: str
    threshold: int
    _student: Student | None = None
    _service: Service | None = None

    @property
    def student(self) -> Student:
        if self._student is None:
            self._student = Student.objects.get(pk=self.line.student_id)
        return self._student

    @property
    def service(self) -> Service:
        if self._service is None:
            self._service = Service.objects.get(pk=self.line.pk)
        return self._service

    @property
    def student_name(self) -> str:
        return f"{self.line.first_name} {self.line.last_name}"

    @property
    def service_name(self) -> str:
        return self.line.name

    @property
    def four_weeks(self) -> Window:
        return self.tally.windows[0]

    @property
    def year(self) -> Window:
        return self.tally.windows[1]

    @property
    def provider(self) -> str:
        return ", ".join(self.providers)

    @property
    def discipline_label(self) -> str:
        return str(DISCIPLINES[self.discipline])

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason]) if self.reason else ""

    @property
    def needs_attention(self) -> bool:
        return self.status in (UNDERSERVED, UNSERVED)


def attach(rows: Sequence[MandateRow]) -> None:
    """Read the students and services of `rows` at once (two queries), for callers that need
    the objects themselves rather than the row's names and figures."""
    students = Student.objects.in_bulk({row.line.student_id for row in rows})
    services = Service.objects.in_bulk({row.line.pk for row in rows})
    for row in rows:
        row._student = students[row.line.student_id]
        row._service = services[row.line.pk]


def _counted(students: QuerySet[Student], filters: Filters) -> QuerySet[Service]:
    """Services with a frequency in the active plans of `students`, as a query."""
    found = (
        Service.objects.filter(plan__status=PlanStatus.ACTIVE, plan__student__in=students)
        .filter(minutes__isnull=False, times__isnull=False)
        .exclude(per="")
    )
    if filters.school is not None:
        found = found.filter(plan__student__school=filters.school)
    return found


_LINE_FIELDS = (
    "pk",
    "public_id",
    "name",
    "category",
    "lineage",
    "plan__student_id",
    "plan__student__public_id",
    "plan__student__preferred_first_name",
    "plan__student__legal_first_name",
    "plan__student__preferred_last_name",
    "plan__student__legal_last_name",
    "plan__student__sis_id",
    "plan__student__school_id",
    "plan__student__district_id",
    "minutes",
    "times",
    "per",
    "start_date",
    "end_date",
    "plan__effective_from",
    "plan__effective_to",
)


def _lines(students: QuerySet[Student], filters: Filters, today: date) -> list[Line]:
    """The mandates, by school, student and service (one query, values only)."""
    found = (
        _counted(students, filters)
        .order_by(
            "plan__student__school__name",
            "plan__student__legal_last_name",
            "plan__student__legal_first_name",
            "plan__student_id",
            "name",
            "id",
        )
        .values_list(*_LINE_FIELDS)
    )
    lines = []
    disciplines: dict[tuple[str, str], str] = {}
    for (pk, public_id, name, category, lineage, student_id, student_public_id, preferred_first,
         legal_first, preferred_last, legal_last, sis_id, school_id, district_id, minutes, times,
         per, start, end, plan_from, plan_to) in found.iterator(chunk_size=5000):  # fmt: skip
        if not (minutes and times):
            continue  # no frequency: nothing is owed (Service.has_frequency)
        if filters.discipline:
            key = (name, category)
            if key not in disciplines:
                disciplines[key] = discipline_for(name, category)
            if disciplines[key] != filters.discipline:
                continue
        mandate = mandate_of(
            minutes, times, per, start=start or plan_from, end=end or plan_to, today=today
        )
        lines.append(
            Line(
                pk,
                public_id,
                name,
                category,
                lineage,
                student_id,
                student_public_id,
                preferred_first or legal_first,
                preferred_last or legal_last,
                sis_id,
                school_id,
                district_id,
                mandate,
            )
        )
    return lines


class _MondayOf(Func):
    """The Monday of a date's week, in the database's own date functions (Django's TruncWeek
    calls back into Python for every row on SQLite)."""

    output_field = DateField()
    template = "(date_trunc('week', %(expressions)s))::date"  # PostgreSQL

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        # To the week's Sunday (the day itself if a Sunday), then back six days.
        template = "date(%(expressions)s, 'weekday 0', '-6 days')"
        return self.as_sql(compiler, connection, template=template, **extra)


def _sessions(students: QuerySet[Student]) -> dict[tuple[int, UUID], list[rules.Session]]:
    """Every logged outcome of these students, by (student, service lineage), added up by week
    and attendance code in the database: one query.

    A district holds millions of session rows; reading each into Python was most of the count.
    The rules only ever add a week's minutes up (`rules.account`: delivered, made up, and the
    minutes lost per code), so one `rules.Session` per student, service, week and code gives the
    same figures: its minutes are the week's actual minutes and its planned minutes those plus
    the week's lost ones. A makeup counts in the week of the session it replaces (MIN-2): the
    student's own link first, then the session's. Weeks run Monday to Sunday, the periods of
    every service a plan can write (per day, week or month).
    """
    makeup = rules.Code.MAKEUP.value
    counted_day = Case(
        When(
            code=makeup,
            then=Coalesce("makes_up__session__day", "session__makeup_of__day", "session__day"),
        ),
        default=F("session__day"),
        output_field=DateField(),
    )
    weeks = (
        SessionAttendance.objects.filter(student__in=students)
        .annotate(week=_MondayOf(counted_day))
        .values("student_id", "lineage", "week", "code")
        .annotate(
            actual=Sum("minutes"),
            lost=Sum(Greatest(F("session__minutes") - F("minutes"), Value(0))),
        )
        .order_by()
        .values_list("student_id", "lineage", "week", "code", "actual", "lost")
    )
    codes = {code.value: code for code in rules.Code}
    found: dict[tuple[int, UUID], list[rules.Session]] = defaultdict(list)
    for student_id, lineage, week, code, actual, lost in weeks.iterator(chunk_size=5000):
        monday = week.date() if isinstance(week, datetime) else week
        found[(student_id, lineage)].append(
            rules.Session(
                day=monday,
                code=codes[code],
                minutes=actual,
                planned=actual + lost,
                makeup_for=monday if code == makeup else None,
            )
        )
    return found


def _staff_name(first: str, last: str, email: str) -> str:
    """`str(staff)` without building the rows: the user's full name, else their email."""
    return f"{first} {last}".strip() or email


_NAME = ("staff__user__first_name", "staff__user__last_name", "staff__user__email")


def _providers(students: QuerySet[Student], today: date) -> dict[tuple[int, str], set[str]]:
    """Names of the staff who serve each (student, discipline) today: three queries.

    `students` are those with a mandate counted, not every student of the district: a large
    district's team memberships are many times its mandates.
    """
    found: dict[tuple[int, str], set[str]] = defaultdict(set)
    assigned = (
        ProviderAssignment.objects.active_on(today)
        .filter(student__in=students)
        .values_list("student_id", "service_area", *_NAME)
    )
    for student_id, area, *name in assigned:
        role = role_for_service(area)
        if role in _ROLE_DISCIPLINE:
            found[(student_id, _ROLE_DISCIPLINE[role])].add(_staff_name(*name))  # type: ignore[index]
    roles = [*_ROLE_DISCIPLINE, *_SPECIAL_EDUCATION_ROLES]
    members = (
        TeamMembership.objects.active_on(today)
        .filter(student__in=students, role__in=roles)
        .values_list("student_id", "role", *_NAME)
    )
    for student_id, role, *name in members:
        discipline = _ROLE_DISCIPLINE.get(role, SPECIAL_EDUCATION)  # type: ignore[call-overload]
        found[(student_id, discipline)].add(_staff_name(*name))
    caseloads = (
        CaseloadAssignment.objects.active_on(today)
        .filter(student__in=students)
        .values_list("student_id", *_NAME)
    )
    for student_id, *name in caseloads:
        found[(student_id, SPECIAL_EDUCATION)].add(_staff_name(*name))
    return found


class _CalendarsByDistrict:
    """Each district's stored calendars, read once (two queries a district)."""

    def __init__(self, today: date) -> None:
        self._today = today
        self._districts: dict[int, _Calendars] = {}
        self._schools: dict[int, SchoolCalendar | None] = {}

    def for_line(self, line: Line) -> SchoolCalendar | None:
        """The calendar of the line's school, found once per school."""
        if line.school_id in self._schools:
            return self._schools[line.school_id]
        if line.district_id not in self._districts:
            self._districts[line.district_id] = _Calendars(District(pk=line.district_id))
        found = self._districts[line.district_id].for_school(line.school_id, self._today)
        self._schools[line.school_id] = found
        return found


def _count(
    mandate: rules.Mandate,
    calendar: SchoolCalendar | None,
    sessions: Sequence[rules.Session],
    today: date,
    minute_rules: rules.MinuteRules,
) -> tuple[Window, Window]:
    """The last four complete weeks and the year to date, as the student's page counts them."""
    periods = rules.account(
        mandate, calendar or _fallback_calendar(mandate.start, mandate.end), sessions, minute_rules
    )
    monday = today - timedelta(days=today.weekday())
    year_start = mandate.start
    if calendar is not None and calendar.first_day > year_start:
        year_start = calendar.first_day
    return (
        _window("four_weeks", periods, monday - 4 * _WEEK, monday - timedelta(days=1)),
        _window("year", periods, year_start, monday + timedelta(days=6)),
    )


def _counter(
    calendars: _CalendarsByDistrict, today: date, minute_rules: dict[int, rules.MinuteRules]
) -> tallies.Count:
    """Counts a chunk of mandates live: their students' sessions in one query.

    A mandate with no session logged owes the same as any other with its amount, dates and
    calendar: those figures are counted once and shared (the windows are frozen).
    """
    same: dict[Any, tuple[Window, Window]] = {}

    def count(chunk: list[Line]) -> dict[int, tuple[Window, Window]]:
        sessions = _sessions(Student.objects.filter(pk__in={line.student_id for line in chunk}))
        found = {}
        for line in chunk:
            calendar = calendars.for_line(line)
            chosen = minute_rules[line.district_id]
            logged = sessions.get((line.student_id, line.lineage), ())
            if logged:
                found[line.pk] = _count(line.mandate, calendar, logged, today, chosen)
                continue
            key = (line.mandate, id(calendar), chosen)
            if key not in same:
                same[key] = _count(line.mandate, calendar, (), today, chosen)
            found[line.pk] = same[key]
        return found

    return count


def mandate_rows(user: User, *, today: date, filters: Filters = Filters()) -> list[MandateRow]:
    """Every mandate of the students `user` leads, filtered, by school then student.

    The minutes come from the kept tallies (`tandem.services.tallies`), counted here for the
    mandates whose tally is missing or no longer true.
    """
    students = leader_students(user)
    if filters.school is not None:
        students = students.filter(school=filters.school)
    return _rows_of(students, filters, today)


def count_ahead(*, today: date) -> int:
    """Count every district's mandates now (the daily minutes check), so that the first visit
    of the day reads kept tallies instead of counting; returns the mandates counted."""
    return sum(
        len(_rows_of(Student.objects.filter(district=district), Filters(), today))
        for district in District.objects.order_by("pk")
    )


def _rows_of(students: QuerySet[Student], filters: Filters, today: date) -> list[MandateRow]:
    lines = _lines(students, filters, today)
    if not lines:
        return []
    counted = _counted(students, filters)
    # Only the students with a mandate counted: a subquery, however many there are.
    providers = _providers(Student.objects.filter(pk__in=counted.values("plan__student_id")), today)
    calendars = _CalendarsByDistrict(today)
    # A district has a few dozen schools: one object each, shared by the rows (two queries).
    schools = School.objects.in_bulk({line.school_id for line in lines})
    districts = District.objects.in_bulk({line.district_id for line in lines})
    thresholds = {pk: served_percent(district) for pk, district in districts.items()}
    minute_rules = {
        pk: settings_for(district.settings).minute_rules for pk, district in districts.items()
    }
    # Mandates repeat (the same minutes, dates and school calendar): each shape digested once.
    digests: dict[tuple[rules.Mandate, int, rules.MinuteRules], str] = {}
    shapes = {}
    for line in lines:
        calendar = calendars.for_line(line)
        chosen = minute_rules[line.district_id]
        key = (line.mandate, id(calendar), chosen)
        if key not in digests:
            digests[key] = tallies.shape_of(line.mandate, calendar, chosen)
        shapes[line.pk] = digests[key]
    count = _counter(calendars, today, minute_rules)
    kept = tallies.windows(lines, counted, shapes=shapes, today=today, count=count)
    disciplines: dict[tuple[str, str], str] = {}
    rows = []
    for line in lines:
        key = (line.name, line.category)
        if key not in disciplines:
            disciplines[key] = discipline_for(line.name, line.category)
        discipline = disciplines[key]
        names = sorted(providers.get((line.student_id, discipline), ()))
        tally = kept[line.pk]
        threshold = thresholds[line.district_id]
        status, reason = status_of(tally.four, bool(names), threshold)
        rows.append(
            MandateRow(
                line, schools[line.school_id], discipline, names, tally, status, reason, threshold
            )
        )
    return rows


# --- the summaries -------------------------------------------------------------------------------


@dataclass(slots=True)
class Group:
    """Mandates added up under one school, discipline or provider."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    mandated: int = 0  # the last four weeks
    delivered: int = 0  # delivered and made up, the last four weeks
    owed: int = 0  # compensatory minutes owed, the year to date

    @property
    def mandates(self) -> int:
        return sum(self.counts.values())

    @property
    def percent(self) -> int | None:
        if not self.mandated:
            return None
        return (200 * self.delivered + self.mandated) // (2 * self.mandated)

    def add(self, row: MandateRow) -> None:
        totals = row.tally.four
        self.counts[row.status] += 1
        self.mandated += totals.mandated
        self.delivered += totals.delivered + totals.made_up
        self.owed += row.tally.year.owed


def _key(row: MandateRow, by: str) -> str:
    if by == "school":
        return str(row.school.public_id)
    if by == "discipline":
        return row.discipline
    return row.provider or NO_PROVIDER


def _label(row: MandateRow, by: str) -> str:
    if by == "school":
        return row.school.name
    if by == "discipline":
        return row.discipline_label
    return row.provider or str(_("No provider assigned"))


def groups(rows: Sequence[MandateRow], by: str) -> tuple[list[Group], Group]:
    """The rows added up by "school", "discipline" or "provider", and the total."""
    found: dict[str, Group] = {}
    total = Group("", str(_("Total")))
    for row in rows:
        key = _key(row, by)
        if key not in found:
            found[key] = Group(key, _label(row, by))
        found[key].add(row)
        total.add(row)
    ordered = sorted(found.values(), key=lambda g: (g.key == NO_PROVIDER, g.label.lower()))
    return ordered, total


def attention(rows: Sequence[MandateRow]) -> list[MandateRow]:
    """Underserved and unserved mandates, the most owed first."""
    found = [row for row in rows if row.needs_attention]
    return sorted(
        found,
        key=lambda r: (
            -r.tally.year.owed,
            r.status != UNSERVED,
            r.school.name,
            r.line.last_name,
            r.line.name,
        ),
    )
