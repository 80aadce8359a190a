"""Demo referrals and evaluations in every stage, some overdue (`seed_demo --referrals`).

`plan_referrals` decides everything in memory from the people plan and a day: which students,
which stage, every date. `seed_referrals` then writes it through `tandem.referrals.actions`, the
same checked and audited path as the pages, acting as the demo accounts (the case manager, the
psychologist, the 504 coordinator, the principal, the district directors). Stored deadlines are
computed by the rules engine as in real use.

Dates are backdated from "demo today": the real date when it falls in the 2026-27 school year,
else 2026-11-30. No step is dated after it. The same seed and day give the same referrals (their
public ids are the models' own random UUIDs).

A few students with an IEP also have a reevaluation story (`plan_reevaluations`): their first
evaluation three years back (Riverside keeps that year's calendar, so the engine can count its
timeline), then a triennial due soon, one overdue, one waived by agreement, and a parent's request
in progress.

Every step writes to the append-only audit log, so `seed_demo --reset` refuses once these exist.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from tandem.access.policy import Need, can
from tandem.accounts.models import User
from tandem.compliance import actions as deadlines
from tandem.compliance.models import DeadlineKind
from tandem.demo import concerns as concerns_demo
from tandem.demo import world as demo
from tandem.people.models import District, Role, SchoolCalendar, Staff, StaffRole, Student
from tandem.referrals import actions, queries, reevaluations
from tandem.referrals.actions import NoticeContent
from tandem.referrals.models import (
    AreaOfConcern,
    AssessmentArea,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    ConsentResponse,
    DisabilityCategory,
    EligibilityOutcome,
    NoticeAction,
    ReevaluationKind,
    Referral,
    ReferralSource,
    Track,
)
from tandem.rules import calendar as rules_calendar
from tandem.rules import deadlines as engine

Log = Callable[[str], None]

FALLBACK_TODAY = date(2026, 11, 30)  # demo today when the real date is outside 2026-27
YEAR_START = min(spec.first_day for spec in demo.DISTRICT_SPECS)
YEAR_END = max(spec.last_day for spec in demo.DISTRICT_SPECS)
# The engine's calendar for 2026-27 also covers the summer before it (actions._SUMMER_BEFORE).
_CALENDAR_REACH = timedelta(days=119)
# The evaluation a proposal announces starts two weeks after its notice: time to consent.
PROPOSED_ACTION_AFTER = timedelta(days=14)


class Stage(StrEnum):
    RECEIVED = "received"  # no case review yet
    CONSENT_PENDING = "consent_pending"  # reviewed, notice issued, consent requested
    EVALUATING = "evaluating"  # consent given, evaluation clock running, on track
    EVALUATION_OVERDUE = "evaluation_overdue"  # consent long ago, assessments still open
    ELIGIBILITY_PENDING = "eligibility_pending"  # assessments and report done
    ELIGIBLE_IEP = "eligible_iep"  # initial IEP meeting due
    IEP_MEETING_OVERDUE = "iep_meeting_overdue"  # eligible, IEP meeting past due
    ELIGIBLE_504 = "eligible_504"
    NOT_ELIGIBLE = "not_eligible"  # with prior written notice
    REQUEST_REFUSED = "request_refused"  # a parent's request refused with prior written notice
    CONSENT_REFUSED = "consent_refused"  # referral closed


# Stages of the students with no team yet: Riverside (spread over its four schools), Oak Valley.
RIVERSIDE_STAGES = (
    Stage.RECEIVED,
    Stage.RECEIVED,
    Stage.CONSENT_PENDING,
    Stage.CONSENT_PENDING,
    Stage.EVALUATING,
    Stage.EVALUATING,
    Stage.EVALUATING,
    Stage.EVALUATION_OVERDUE,
    Stage.EVALUATION_OVERDUE,
    Stage.ELIGIBILITY_PENDING,
    Stage.ELIGIBILITY_PENDING,
    Stage.ELIGIBLE_IEP,
    Stage.ELIGIBLE_IEP,
    Stage.IEP_MEETING_OVERDUE,
    Stage.ELIGIBLE_504,
    Stage.NOT_ELIGIBLE,
    Stage.NOT_ELIGIBLE,
    Stage.REQUEST_REFUSED,
    Stage.REQUEST_REFUSED,
    Stage.CONSENT_REFUSED,
    Stage.CONSENT_REFUSED,
)
OAK_VALLEY_STAGES = (
    Stage.RECEIVED,
    Stage.CONSENT_PENDING,
    Stage.EVALUATING,
    Stage.EVALUATION_OVERDUE,
    Stage.ELIGIBLE_IEP,
    Stage.NOT_ELIGIBLE,
    Stage.CONSENT_REFUSED,
)
# casemanager@'s caseload (Riverside Elementary) and coordinator504@'s students.
CASELOAD_STAGES = (
    Stage.EVALUATION_OVERDUE,
    Stage.ELIGIBILITY_PENDING,
    Stage.IEP_MEETING_OVERDUE,
    Stage.CONSENT_PENDING,
    Stage.EVALUATING,
)
COORDINATOR_504_STAGES = (Stage.ELIGIBLE_504, Stage.CONSENT_PENDING, Stage.RECEIVED)

_AREA = AreaOfConcern
# (areas of concern, description, IDEA category if eligible, 504 impairment)
CONCERNS = (
    (
        (_AREA.READING, _AREA.WRITING),
        "Reads well below grade level and avoids written work despite two rounds of small-group "
        "reading intervention.",
        DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        "Dyslexia",
    ),
    (
        (_AREA.MATH,),
        "Struggles with number sense and math facts; little progress after a semester of "
        "intervention.",
        DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        "Dyscalculia",
    ),
    (
        (_AREA.SPEECH_LANGUAGE,),
        "Hard to understand in class; peers and adults often ask for repetition.",
        DisabilityCategory.SPEECH_LANGUAGE_IMPAIRMENT,
        "Speech sound disorder",
    ),
    (
        (_AREA.ATTENTION, _AREA.BEHAVIOR),
        "Leaves seat often, rarely finishes independent work, several office referrals this term.",
        DisabilityCategory.OTHER_HEALTH_IMPAIRMENT,
        "Attention-deficit/hyperactivity disorder",
    ),
    (
        (_AREA.SOCIAL_EMOTIONAL,),
        "Withdrawn in class, frequent visits to the nurse, few peer interactions.",
        DisabilityCategory.EMOTIONAL_DISTURBANCE,
        "Generalized anxiety disorder",
    ),
    (
        (_AREA.READING, _AREA.SPEECH_LANGUAGE),
        "Struggles to decode and to follow multi-step directions; intervention data attached.",
        DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        "Language-based learning disability",
    ),
)
CONCERNS_504 = (
    (
        (_AREA.HEALTH,),
        "Type 1 diabetes diagnosed over the summer; needs glucose checks and snack breaks.",
        "Type 1 diabetes",
        ("endocrine", "concentrating"),
    ),
    (
        (_AREA.ATTENTION,),
        "Pediatrician's ADHD diagnosis; loses focus on tests and long assignments.",
        "Attention-deficit/hyperactivity disorder",
        ("concentrating", "learning"),
    ),
    (
        (_AREA.HEALTH, _AREA.MOTOR),
        "Severe peanut allergy and a wrist fracture; needs an allergy plan and a scribe.",
        "Severe food allergy",
        ("breathing", "performing_manual_tasks"),
    ),
)
INSTRUMENTS = {
    AssessmentArea.ACADEMIC: "WIAT-4",
    AssessmentArea.COGNITIVE_PSYCHOLOGICAL: "WISC-V",
    AssessmentArea.SPEECH_LANGUAGE: "CELF-5",
    AssessmentArea.BEHAVIORAL_OBSERVATION: "BASC-3 and classroom observation",
    AssessmentArea.HEALTH: "Health and developmental history",
    AssessmentArea.OCCUPATIONAL_THERAPY: "BOT-2",
}
SUMMARIES = {
    AssessmentArea.ACADEMIC: "Basic reading and written expression well below average.",
    AssessmentArea.COGNITIVE_PSYCHOLOGICAL: "Average reasoning; weak processing speed.",
    AssessmentArea.SPEECH_LANGUAGE: "Articulation errors and below-average receptive language.",
    AssessmentArea.BEHAVIORAL_OBSERVATION: "Off task in 40% of observed intervals.",
    AssessmentArea.HEALTH: "Vision and hearing screenings passed; history reviewed.",
    AssessmentArea.OCCUPATIONAL_THERAPY: "Fine-motor skills below age expectations.",
}
# Who usually gives each assessment, by a key resolved per school.
EVALUATOR_KEY = {
    AssessmentArea.ACADEMIC: "academic",
    AssessmentArea.SPEECH_LANGUAGE: "speech",
    AssessmentArea.OCCUPATIONAL_THERAPY: "speech",
}
METHODS = (ConsentMethod.IN_PERSON, ConsentMethod.MAIL, ConsentMethod.EMAIL, ConsentMethod.PORTAL)


# -- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedAssessment:
    area: str
    due: date
    completed: date | None


@dataclass
class PlannedReferral:
    student: int  # index into demo.Plan.students
    stage: Stage
    lead: str  # demo email of the acting account (falls back to the district director)
    source: str
    source_name: str
    areas: tuple[str, ...]
    description: str
    category: str
    impairment: str
    activities: tuple[str, ...]
    received: date
    track: str = Track.UNDECIDED
    review: date | None = None
    notice: date | None = None  # prior written notice proposing the evaluation
    consent_sent: date | None = None
    consent_answer: date | None = None
    plan_on: date | None = None
    assessments: list[PlannedAssessment] = field(default_factory=list)
    report: date | None = None
    decided: date | None = None
    method: str = ConsentMethod.IN_PERSON


def demo_today(today: date) -> date:
    """`today` when it is in the 2026-27 school year, else 2026-11-30."""
    return today if YEAR_START <= today <= YEAR_END else FALLBACK_TODAY


def engine_calendar(spec: demo.DistrictSpec) -> rules_calendar.SchoolCalendar:
    """The rules' calendar the actions will build from the seeded rows of `spec`."""
    days: set[date] = set()
    for _kind, _name, start, end in spec.closures:
        days.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return rules_calendar.SchoolCalendar(
        first_day=spec.first_day,
        last_day=spec.last_day,
        next_first_day=spec.next_first_day,
        non_school_days=frozenset(days),
        breaks=tuple(rules_calendar.Break(name, a, b) for _k, name, a, b in spec.closures),
    )


class _Dates:
    """Backdating in one district: school days and the engine's due dates."""

    def __init__(self, spec: demo.DistrictSpec, anchor: date) -> None:
        self.spec = spec
        self.anchor = anchor
        self.calendar = engine_calendar(spec)
        self.profile = engine.load_profile(spec.state)
        self.closed = self.calendar.non_school_days
        self.floor = spec.first_day - _CALENDAR_REACH  # earliest trigger with a calendar

    def back(self, days: int, start: date | None = None) -> date:
        """The working day `days` working days before `start` (default demo today); with 0,
        `start` itself or the working day before it."""
        day = start or self.anchor
        for _ in range(days):
            day -= timedelta(days=1)
            day = self.back(0, day)
        while day.weekday() >= 5 or day in self.closed:
            day -= timedelta(days=1)
        return day

    def due(self, rule: engine.Rule, trigger: date) -> date:
        return engine.compute(rule, self.profile, trigger, calendar=self.calendar).due

    def latest_overdue(self, rule: engine.Rule, start: date, by: int, *, room: int = 0) -> date:
        """The latest working day from `start` back whose `rule` deadline is `by` days past
        demo today; early in the school year, no earlier than `room` days after the first
        day the calendar covers (so the deadline may not be overdue yet)."""
        floor = self.floor + timedelta(days=room)
        day = start
        while day > floor and self.due(rule, day) >= self.anchor - timedelta(days=by):
            day = self.back(1, day)
        return max(day, floor)


def _assessment_areas(areas: Sequence[str]) -> list[str]:
    result = [AssessmentArea.COGNITIVE_PSYCHOLOGICAL]  # the psychoeducational evaluation
    if {_AREA.READING, _AREA.WRITING, _AREA.MATH} & set(areas):
        result.insert(0, AssessmentArea.ACADEMIC)
    if _AREA.SPEECH_LANGUAGE in areas:
        result.append(AssessmentArea.SPEECH_LANGUAGE)
    if {_AREA.ATTENTION, _AREA.BEHAVIOR, _AREA.SOCIAL_EMOTIONAL} & set(areas):
        result.append(AssessmentArea.BEHAVIORAL_OBSERVATION)
    if _AREA.MOTOR in areas:
        result.append(AssessmentArea.OCCUPATIONAL_THERAPY)
    return result[:3]


def _evaluation(
    r: PlannedReferral,
    d: _Dates,
    rng: random.Random,
    consent: date,
    *,
    done_by: date | None,
    open_areas: int = 0,
) -> None:
    """Review, notice, consent given on `consent`, the assessment plan opened that day:
    all complete by `done_by` but the last `open_areas` (none complete when `done_by` is None)."""
    consent = max(consent, d.floor)  # the calendar covers it, early in the school year too
    _consent_requested(r, d, rng, sent=d.back(5 + rng.randint(0, 5), consent))
    r.consent_answer = consent
    r.plan_on = consent  # opened the day consent arrives
    legal = d.due(engine.Rule.INITIAL_EVALUATION, consent)
    areas = _assessment_areas(r.areas)
    for n, area in enumerate(areas):
        due = max(r.plan_on, d.back(0, min(legal, r.plan_on + timedelta(days=21 + 7 * n))))
        completed = None
        if done_by is not None and n < len(areas) - open_areas:
            # Spread over the time between the plan and `done_by`, in order.
            span = max(0, (done_by - r.plan_on).days)
            completed = max(
                r.plan_on, d.back(0, r.plan_on + timedelta(span * (n + 1) // len(areas)))
            )
            completed = min(completed, done_by)
        r.assessments.append(PlannedAssessment(area, due, completed))


def _consent_requested(r: PlannedReferral, d: _Dates, rng: random.Random, *, sent: date) -> None:
    if r.track == Track.SECTION_504:
        r.review = sent
    else:
        r.review = d.back(2 + rng.randint(0, 2), sent)
        r.notice = sent
    r.consent_sent = sent
    r.received = d.back(4 + rng.randint(0, 8), r.review)
    r.method = rng.choice(METHODS)


def _decided(
    r: PlannedReferral, d: _Dates, rng: random.Random, decided: date
) -> None:  # eligibility on `decided` after a full evaluation
    r.decided = decided
    r.report = d.back(1 + rng.randint(0, 2), decided)
    consent = d.back(27 + rng.randint(0, 7), decided)
    _evaluation(r, d, rng, consent, done_by=d.back(1, r.report))


def _set_dates(r: PlannedReferral, d: _Dates, rng: random.Random, j: int) -> None:
    """Date every step of `r`; `j` (0-4) spreads referrals in the same stage apart."""
    stage = r.stage
    if stage is Stage.RECEIVED:
        r.received = d.back(1 + j)
    elif stage is Stage.CONSENT_PENDING:
        _consent_requested(r, d, rng, sent=d.back(2 + j))
    elif stage is Stage.EVALUATING:
        consent = d.back(4 + 2 * j)
        _evaluation(r, d, rng, consent, done_by=d.back(1), open_areas=2)
    elif stage is Stage.EVALUATION_OVERDUE:
        consent = d.latest_overdue(engine.Rule.INITIAL_EVALUATION, d.back(15), 2 + 2 * j)
        # The first assessment done, the last (often the psychologist's) still open.
        _evaluation(r, d, rng, consent, done_by=d.back(7), open_areas=1)
    elif stage is Stage.ELIGIBILITY_PENDING:
        consent = d.back(23 + j)
        r.report = d.back(1 + j)
        _evaluation(r, d, rng, consent, done_by=d.back(1, r.report))
    elif stage in (Stage.ELIGIBLE_IEP, Stage.NOT_ELIGIBLE):
        _decided(r, d, rng, d.back(2 + 2 * j))
    elif stage is Stage.IEP_MEETING_OVERDUE:
        decided = d.latest_overdue(engine.Rule.INITIAL_IEP_MEETING, d.back(10), 3 + 2 * j, room=70)
        _decided(r, d, rng, decided)
    elif stage is Stage.ELIGIBLE_504:
        if r.track == Track.SECTION_504:  # on gathered information, no formal evaluation
            r.decided = d.back(3 + j)
            r.review = d.back(8 + j, r.decided)
            r.received = d.back(4 + j, r.review)
        else:  # evaluated for an IEP, found eligible for a 504 plan instead
            _decided(r, d, rng, d.back(5 + j))
    elif stage is Stage.REQUEST_REFUSED:
        r.review = d.back(3 + 2 * j)
        r.received = d.back(6 + j, r.review)
    elif stage is Stage.CONSENT_REFUSED:
        answer = d.back(3 + 2 * j)
        _consent_requested(r, d, rng, sent=d.back(5 + j, answer))
        r.consent_answer = answer


def _students(plan: demo.Plan, district: int, school: int | None, taken: set[int]) -> list[int]:
    return [
        i
        for i, s in enumerate(plan.students)
        if s.district == district
        and (school is None or s.school == school)
        and s.program == ""
        and i not in taken
    ]


def plan_referrals(plan: demo.Plan, anchor: date) -> list[PlannedReferral]:
    """Every demo referral, deterministic for the people plan's seed and `anchor`."""
    rng = random.Random(f"tandem-demo-referrals-{plan.seed}")
    family_kids = {i for f in plan.demo_families.values() for i in plan.families[f].kids}
    taken = family_kids | {i for kids in plan.demo_students.values() for i in kids}
    # (student, stage, lead account, track) in order.
    chosen: list[tuple[int, Stage, str, str]] = []
    caseload = [i for i in plan.demo_students.get(demo.CASE_MANAGER, []) if i not in family_kids]
    rng.shuffle(caseload)
    for i, stage in zip(caseload, CASELOAD_STAGES, strict=False):
        chosen.append((i, stage, demo.CASE_MANAGER, Track.UNDECIDED))
    used = {i for i, *_ in chosen}
    coordinated = [
        i
        for i in plan.demo_students.get(demo.COORDINATOR_504, [])
        if i not in family_kids and i not in used
    ]
    rng.shuffle(coordinated)
    for i, stage in zip(coordinated, COORDINATOR_504_STAGES, strict=False):
        chosen.append((i, stage, demo.COORDINATOR_504, Track.SECTION_504))
    riverside_schools = [n for n, (d, _) in enumerate(plan.schools) if d == demo.RIVERSIDE]
    pools = {n: _students(plan, demo.RIVERSIDE, n, taken) for n in riverside_schools}
    for pool in pools.values():
        rng.shuffle(pool)
    for k, stage in enumerate(RIVERSIDE_STAGES):
        school = riverside_schools[k % len(riverside_schools)]
        if not pools[school]:
            continue
        lead = demo.PRINCIPAL if school == demo.RIVERSIDE_ELEMENTARY else demo.DIRECTOR
        chosen.append((pools[school].pop(), stage, lead, Track.UNDECIDED))
    oak = _students(plan, demo.OAK_VALLEY, None, taken)
    rng.shuffle(oak)
    for i, stage in zip(oak, OAK_VALLEY_STAGES, strict=False):
        chosen.append((i, stage, demo.OAK_VALLEY_DIRECTOR, Track.UNDECIDED))

    guardians = _guardian_names(plan, {i for i, *_ in chosen})
    dates = {d: _Dates(spec, anchor) for d, spec in enumerate(plan.districts)}
    result = []
    nth: Counter[Stage] = Counter()
    for i, stage, lead, track in chosen:
        student = plan.students[i]
        if track == Track.SECTION_504:
            areas, description, impairment, activities = rng.choice(CONCERNS_504)
            category = ""
            source = rng.choice((ReferralSource.PHYSICIAN_ORDER, ReferralSource.PARENT))
        else:
            areas, description, category, impairment = rng.choice(CONCERNS)
            activities = ("learning", "reading") if _AREA.READING in areas else ("learning",)
            source = ReferralSource.PARENT if rng.random() < 0.35 else ReferralSource.TEACHER
        if stage is Stage.REQUEST_REFUSED:
            source = ReferralSource.PARENT
        source_name = {
            ReferralSource.PARENT: guardians.get(i, "Parent"),
            ReferralSource.TEACHER: f"Grade {demo.GRADE_CODES[student.grade]} teacher",
            ReferralSource.PHYSICIAN_ORDER: "Dr. " + rng.choice(("Ng", "Patel", "Alvarez")),
        }[source]
        r = PlannedReferral(
            student=i,
            stage=stage,
            lead=lead,
            source=source,
            source_name=source_name,
            areas=tuple(areas),
            description=description,
            category=category,
            impairment=impairment,
            activities=tuple(activities),
            received=anchor,
            track=track,
        )
        # Referrals in the same stage land on different days.
        j = (2 * nth[stage] + rng.randint(0, 1)) % 5
        nth[stage] += 1
        _set_dates(r, dates[student.district], rng, j)
        result.append(r)
    return result


def _guardian_names(plan: demo.Plan, students: set[int]) -> dict[int, str]:
    names = {}
    for family in plan.families:
        for i in family.kids:
            if i in students and family.guardians:
                g = family.guardians[0]
                names[i] = f"{g.first} {g.last}"
    return names


# -- writing it ----------------------------------------------------------------------------


def _notice_proposing(first: str) -> NoticeContent:
    return NoticeContent(
        action_described=f"The district proposes a full initial evaluation of {first}.",
        reasons="The concerns in the referral persist despite general education interventions.",
        evaluation_basis="The referral, teacher input, intervention data, classroom observation.",
        procedural_safeguards_statement="You have protections under IDEA; a copy is enclosed.",
        sources_of_help="Parent Training and Information Center, (800) 555-0100.",
        options_considered="Continued interventions alone: rejected, progress is too slow.",
        other_factors="None.",
    )


def _notice_refusing_evaluation(first: str) -> NoticeContent:
    return NoticeContent(
        action_described=f"The district refuses the request to evaluate {first} now.",
        reasons="Grades and benchmark scores are at grade level; intervention has just begun.",
        evaluation_basis="Report cards, benchmark assessments, teacher input, attendance.",
        procedural_safeguards_statement="You have protections under IDEA; a copy is enclosed.",
        sources_of_help="Parent Training and Information Center, (800) 555-0100.",
        options_considered="An evaluation now: rejected until six weeks of intervention data.",
        other_factors="The team meets again in six weeks to review progress.",
    )


def _notice_not_eligible(first: str) -> NoticeContent:
    return NoticeContent(
        action_described=f"The district refuses to identify {first} as a child with a disability.",
        reasons="The evaluation found no disability that needs specially designed instruction.",
        evaluation_basis="The evaluation report and each assessment in it.",
        procedural_safeguards_statement="You have protections under IDEA; a copy is enclosed.",
        sources_of_help="Parent Training and Information Center, (800) 555-0100.",
        options_considered="Eligibility under IDEA: rejected, the criteria are not met.",
        other_factors="General education supports continue; the team may consider a 504 plan.",
    )


class _Writer:
    """Resolves planned people to rows and runs the actions."""

    def __init__(self, plan: demo.Plan) -> None:
        self.plan = plan
        emails = [
            demo.CASE_MANAGER,
            demo.PSYCHOLOGIST,
            demo.SLP,
            demo.COORDINATOR_504,
            demo.PRINCIPAL,
            demo.DIRECTOR,
            demo.OAK_VALLEY_DIRECTOR,
        ]
        self.users = {
            u.email: u for u in User.objects.filter(email__in=emails).select_related("staff")
        }
        self.directors = {
            demo.RIVERSIDE_SPEC.slug: self.users[demo.DIRECTOR],
            demo.OAK_VALLEY_SPEC.slug: self.users[demo.OAK_VALLEY_DIRECTOR],
        }
        self._evaluators: dict[int, dict[str, Staff]] = {}
        self._can: dict[tuple[int, int], bool] = {}

    def students(self, indexes: Sequence[int]) -> dict[int, Student]:
        planned = self.plan.students
        wanted = {
            (self.plan.districts[planned[i].district].slug, planned[i].sis_id): i for i in indexes
        }
        rows = Student.objects.filter(
            district__slug__in=demo.DEMO_SLUGS, sis_id__in=[sis for _, sis in wanted]
        ).select_related("district", "school")
        return {
            wanted[(s.district.slug, s.sis_id)]: s
            for s in rows
            if (s.district.slug, s.sis_id) in wanted
        }

    def may_write(self, user: User, student: Student) -> bool:
        key = (user.pk, student.pk)
        if key not in self._can:
            self._can[key] = can(user, Need.WRITE, student)
        return self._can[key]

    def actor(self, student: Student, *emails: str) -> User:
        """The first of `emails` who may change the student's record, else the director."""
        for email in emails:
            user = self.users.get(email)
            if user is not None and self.may_write(user, student):
                return user
        return self.directors[student.district.slug]

    def evaluators(self, student: Student, lead: User) -> dict[str, Staff]:
        school = student.school_id
        if school not in self._evaluators:
            roles = list(
                StaffRole.objects.filter(school_id=school)
                .select_related("staff")
                .order_by("staff_id")
            )
            demo_staff = {u.staff.pk for u in self.users.values() if hasattr(u, "staff")}

            def first(role: str, title: str = "") -> Staff | None:
                fits = [
                    r.staff
                    for r in roles
                    if r.role == role and (not title or r.staff.title == title)
                ]
                fits.sort(key=lambda s: (s.pk not in demo_staff, s.pk))  # demo accounts first
                return fits[0] if fits else None

            psych = first(Role.EVALUATOR) or lead.staff
            self._evaluators[school] = {
                "psych": psych,
                "academic": first(Role.CASE_MANAGER) or psych,
                "speech": first(Role.PROVIDER, "Speech-Language Pathologist") or psych,
            }
        return self._evaluators[school]

    def write(self, r: PlannedReferral, student: Student) -> Referral:
        """Take the referral through its stage with the actions, one dated step at a time."""
        planned = self.plan.students[r.student]
        first = planned.preferred_first or planned.first
        lead = self.actor(student, r.lead)
        psych = self.actor(student, demo.PSYCHOLOGIST, r.lead)
        referral = actions.create_referral(
            actor=lead,
            student=student,
            source=r.source,
            source_name=r.source_name,
            received_on=r.received,
            areas_of_concern=r.areas,
            description=r.description,
            track=Track.SECTION_504 if r.track == Track.SECTION_504 else Track.UNDECIDED,
        )
        if r.review is None:
            return referral
        if r.stage is Stage.REQUEST_REFUSED:
            actions.record_case_review(
                actor=lead,
                referral=referral,
                decided_on=r.review,
                decision=CaseReviewDecision.GENERAL_EDUCATION_INTERVENTION,
                reason="Six weeks of targeted intervention first; the team reviews the data then.",
                notice=_notice_refusing_evaluation(first),
            )
            return referral
        section_504 = r.track == Track.SECTION_504
        actions.record_case_review(
            actor=lead,
            referral=referral,
            decided_on=r.review,
            decision=CaseReviewDecision.GATHER_504_INFORMATION
            if section_504
            else CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
            reason="Gather medical and school information for a 504 plan."
            if section_504
            else "Suspected disability in the areas of concern; evaluate in each of them.",
        )
        if r.notice is not None:
            actions.issue_prior_written_notice(
                actor=lead,
                student=student,
                referral=referral,
                action=NoticeAction.PROPOSES,
                content=_notice_proposing(first),
                issued_on=r.notice,
                proposed_action_on=r.notice + PROPOSED_ACTION_AFTER,
            )
        if r.consent_sent is not None:
            consent = actions.request_consent(
                actor=lead,
                referral=referral,
                kind=ConsentKind.INITIAL_EVALUATION,
                sent_on=r.consent_sent,
                method=r.method,
            )
            if r.consent_answer is not None:
                refused = r.stage is Stage.CONSENT_REFUSED
                actions.record_consent_response(
                    actor=lead,
                    consent=consent,
                    response=ConsentResponse.REFUSED if refused else ConsentResponse.GIVEN,
                    received_on=r.consent_answer,
                    refused_reason="The parent prefers to wait and see how the year goes."
                    if refused
                    else "",
                )
        evaluators: list[Staff] = []
        if r.plan_on is not None:
            assessment_plan = actions.plan_assessments(
                actor=lead, referral=referral, created_on=r.plan_on
            )
            staff = self.evaluators(student, lead)
            for a in r.assessments:
                evaluator = staff[EVALUATOR_KEY.get(a.area, "psych")]
                evaluators.append(evaluator)
                assessment = actions.add_assessment(
                    actor=lead,
                    plan=assessment_plan,
                    area=a.area,
                    evaluator=evaluator,
                    due_on=a.due,
                    instrument=INSTRUMENTS[a.area],
                )
                if a.completed is not None:
                    by = psych if evaluator.user_id == psych.pk else lead
                    actions.complete_assessment(
                        actor=by,
                        assessment=assessment,
                        completed_on=a.completed,
                        summary=SUMMARIES[a.area],
                    )
        if r.report is not None:
            actions.complete_evaluation_report(
                actor=lead,
                referral=referral,
                completed_on=r.report,
                summary="Findings in each area assessed; see the assessments for scores.",
            )
        if r.decided is not None:
            self.decide(r, referral, lead, evaluators)
        return referral

    def decide(
        self, r: PlannedReferral, referral: Referral, lead: User, evaluators: list[Staff]
    ) -> None:
        assert r.decided is not None
        team = sorted({s.pk: s for s in [lead.staff, *evaluators]}.values(), key=lambda s: s.pk)
        common = {
            "actor": lead,
            "referral": referral,
            "decided_on": r.decided,
            "team_present": team,
            "parent_present": r.decided.day % 4 != 0,
            "parent_invited": True,  # when absent, the parent had been invited (300.306(a)(1))
        }
        if r.stage is Stage.ELIGIBLE_504:
            actions.decide_eligibility(
                **common,
                outcome=EligibilityOutcome.SECTION_504,
                impairment=r.impairment,
                major_life_activities=r.activities,
                substantial_limitation=True,
                no_evaluation_reason=""
                if r.report
                else "Physician's letter, the nurse's log and two teacher reports.",
            )
        elif r.stage is Stage.NOT_ELIGIBLE:
            actions.decide_eligibility(
                **common,
                outcome=EligibilityOutcome.NOT_ELIGIBLE,
                has_disability=False,
                adverse_effect=False,
                needs_sdi=False,
            )
            actions.issue_prior_written_notice(
                actor=lead,
                student=referral.student,
                referral=referral,
                action=NoticeAction.REFUSES,
                content=_notice_not_eligible(self.plan.students[r.student].first),
                issued_on=r.decided,
            )
        else:
            actions.decide_eligibility(
                **common,
                outcome=EligibilityOutcome.IEP,
                primary_category=r.category,
                has_disability=True,
                adverse_effect=True,
                needs_sdi=True,
            )


# -- reevaluations --------------------------------------------------------------------------


class ReevaluationStage(StrEnum):
    TRIENNIAL_DUE_SOON = "triennial_due_soon"
    TRIENNIAL_OVERDUE = "triennial_overdue"
    TRIENNIAL_WAIVED = "triennial_waived"
    PARENT_REQUEST = "parent_request"


# Days from "demo today minus three years" to the first eligibility decision.
REEVALUATION_OFFSETS = {
    ReevaluationStage.TRIENNIAL_DUE_SOON: 20,
    ReevaluationStage.TRIENNIAL_OVERDUE: -15,
    ReevaluationStage.TRIENNIAL_WAIVED: 40,
    ReevaluationStage.PARENT_REQUEST: 60,
}
_YEARS_BACK = 3


@dataclass(frozen=True)
class PlannedReevaluation:
    student: int
    stage: ReevaluationStage
    decided: date  # the first eligibility decision (IEP)
    today: date  # demo today
    areas: tuple[str, ...]
    description: str
    category: str


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def plan_reevaluations(
    plan: demo.Plan, anchor: date, referrals: Sequence[PlannedReferral]
) -> list[PlannedReevaluation]:
    """Four Riverside students with an IEP, none of them in a demo referral or family."""
    rng = random.Random(f"tandem-demo-reevaluations-{plan.seed}")
    family_kids = {i for f in plan.demo_families.values() for i in plan.families[f].kids}
    taken = family_kids | {r.student for r in referrals}
    caseload = [
        i
        for i in plan.demo_students.get(demo.CASE_MANAGER, [])
        if i not in taken and plan.students[i].program == "iep"
    ]
    others = [
        i
        for i, s in enumerate(plan.students)
        if s.district == demo.RIVERSIDE
        and s.school == demo.RIVERSIDE_ELEMENTARY
        and s.program == "iep"
        and i not in taken
        and i not in caseload
        and not any(i in kids for kids in plan.demo_students.values())
    ]
    rng.shuffle(caseload)
    rng.shuffle(others)
    base = _years_back(anchor, _YEARS_BACK)
    result = []
    for i, stage in zip([*caseload, *others], ReevaluationStage, strict=False):
        areas, description, category, _impairment = rng.choice(CONCERNS)
        result.append(
            PlannedReevaluation(
                student=i,
                stage=stage,
                decided=base + timedelta(days=REEVALUATION_OFFSETS[stage]),
                today=anchor,
                areas=tuple(areas),
                description=description,
                category=category,
            )
        )
    return result


def _historic_calendar(spec: demo.DistrictSpec, anchor: date) -> None:
    """The district's calendar of the school year three years back (no closures recorded)."""
    start = _years_back(anchor, _YEARS_BACK) - timedelta(days=60)
    year = start.year if start >= spec.first_day_in(start.year) else start.year - 1
    for y in (year, year + 1):
        first = spec.first_day_in(y)
        SchoolCalendar.objects.get_or_create(
            district=District.objects.get(slug=spec.slug),
            school=None,
            school_year=f"{y}-{y + 1}",
            defaults={
                "first_day": first,
                "last_day": spec.last_day.replace(year=y + 1),
                "next_first_day": spec.first_day_in(y + 1),
            },
        )


def _write_reevaluation(writer: _Writer, r: PlannedReevaluation, student: Student) -> None:
    """The first evaluation through the actions, then the reevaluation story of its stage."""
    lead = writer.actor(student, demo.CASE_MANAGER)
    first = writer.plan.students[r.student].preferred_first or writer.plan.students[r.student].first
    received = r.decided - timedelta(days=38)
    referral = actions.create_referral(
        actor=lead,
        student=student,
        source=ReferralSource.TEACHER,
        source_name="Classroom teacher",
        received_on=received,
        areas_of_concern=r.areas,
        description=r.description,
    )
    actions.record_case_review(
        actor=lead,
        referral=referral,
        decided_on=received + timedelta(days=5),
        decision=CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
        reason="Suspected disability in the areas of concern; evaluate in each of them.",
    )
    sent = received + timedelta(days=6)
    actions.issue_prior_written_notice(
        actor=lead,
        student=student,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=_notice_proposing(first),
        issued_on=sent,
        proposed_action_on=sent + PROPOSED_ACTION_AFTER,
    )
    consent = actions.request_consent(
        actor=lead,
        referral=referral,
        kind=ConsentKind.INITIAL_EVALUATION,
        sent_on=sent,
        method=ConsentMethod.IN_PERSON,
    )
    actions.record_consent_response(
        actor=lead,
        consent=consent,
        response=ConsentResponse.GIVEN,
        received_on=sent + timedelta(days=7),
    )
    plan_on = sent + timedelta(days=9)
    evaluation = actions.plan_assessments(actor=lead, referral=referral, created_on=plan_on)
    evaluator = writer.evaluators(student, lead)["psych"]
    area = AssessmentArea.ACADEMIC
    assessment = actions.add_assessment(
        actor=lead,
        plan=evaluation,
        area=area,
        evaluator=evaluator,
        due_on=plan_on + timedelta(days=20),
        instrument=INSTRUMENTS[area],
    )
    actions.complete_assessment(
        actor=lead,
        assessment=assessment,
        completed_on=plan_on + timedelta(days=18),
        summary=SUMMARIES[area],
    )
    actions.complete_evaluation_report(
        actor=lead,
        referral=referral,
        completed_on=plan_on + timedelta(days=20),
        summary="Findings in each area assessed; see the assessments for scores.",
    )
    actions.decide_eligibility(
        actor=lead,
        referral=referral,
        decided_on=r.decided,
        outcome=EligibilityOutcome.IEP,
        team_present=sorted({lead.staff, evaluator}, key=lambda s: s.pk),
        parent_present=True,
        primary_category=r.category,
        has_disability=True,
        adverse_effect=True,
        needs_sdi=True,
    )
    # The IEP meeting was held in time; Tandem's IEP pages record that, and they are not in the
    # demo yet, so the demo marks it met here.
    deadlines.meet_deadlines(
        student=student,
        kinds=[DeadlineKind.INITIAL_IEP_MEETING],
        on=r.decided + timedelta(days=21),
        actor=lead,
    )
    anchor = r.today
    guardian = queries.rights_holder(student)
    parent = f"{guardian.first_name} {guardian.last_name}" if guardian else "Parent"
    if r.stage is ReevaluationStage.TRIENNIAL_WAIVED:
        due = queries.reevaluation_due(student)
        assert due is not None
        reevaluations.waive_reevaluation(
            actor=lead,
            deadline=due,
            agreement=reevaluations.Agreement(
                parent_name=parent,
                parent_agreed_on=anchor - timedelta(days=12),
                district_name=lead.get_full_name() or lead.email,
                district_agreed_on=anchor - timedelta(days=10),
                note="Recent progress data and classroom work show the current needs clearly.",
            ),
        )
    elif r.stage is ReevaluationStage.PARENT_REQUEST:
        requested = anchor - timedelta(days=12)
        reevaluation = reevaluations.start_reevaluation(
            actor=lead,
            student=student,
            kind=ReevaluationKind.PARENT_REQUEST,
            requested_on=requested,
            requested_by=parent,
            areas_of_concern=r.areas,
            description="The parent asks for a reevaluation: new concerns at home and school.",
        )
        actions.issue_prior_written_notice(
            actor=lead,
            student=student,
            referral=reevaluation,
            action=NoticeAction.PROPOSES,
            content=_notice_proposing(first),
            issued_on=requested + timedelta(days=2),
        )
        consent = actions.request_consent(
            actor=lead,
            referral=reevaluation,
            kind=ConsentKind.REEVALUATION,
            sent_on=requested + timedelta(days=2),
            method=ConsentMethod.MAIL,
        )
        reevaluations.record_consent_attempt(
            actor=lead,
            consent=consent,
            attempted_on=requested + timedelta(days=8),
            method=ConsentMethod.PHONE,
            note="Called the home number; left a message about the consent form.",
        )


def seed_referrals(
    plan: demo.Plan, *, today: date | None = None, log: Log = lambda _: None
) -> Counter[str]:
    """Write the demo referrals for the seeded `plan`; nothing if the demo already has some."""
    started = time.perf_counter()
    if Referral.objects.filter(student__district__slug__in=demo.DEMO_SLUGS).exists():
        log("  the demo referrals already exist; nothing to add")
        return Counter()
    anchor = demo_today(today or timezone.localdate())
    planned = plan_referrals(plan, anchor)
    with transaction.atomic():
        writer = _Writer(plan)
        students = writer.students([r.student for r in planned])
        for r in planned:
            writer.write(r, students[r.student])
        again = plan_reevaluations(plan, anchor, planned)
        if again:
            _historic_calendar(demo.RIVERSIDE_SPEC, anchor)
            students = writer.students([r.student for r in again])
            for r2 in again:
                _write_reevaluation(writer, r2, students[r2.student])
        concerns_demo.seed_concern(anchor, log=log)  # a teacher's concern, still waiting
    counts = Counter(str(r.stage) for r in planned)
    counts.update(str(r2.stage) for r2 in again)
    log(
        f"  {len(planned) + len(again)} referrals as of {anchor.isoformat()}: "
        + ", ".join(f"{n} {stage}" for stage, n in counts.items())
        + f" ({time.perf_counter() - started:.1f} s)"
    )
    return counts
