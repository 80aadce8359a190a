"""Demo data for the progress app, seeded by `manage.py seed_demo` after the plans.

Every goal of a demo active IEP gets twice-weekly data from its plan's start to the demo's today,
shaped so the demo shows every decision state: on track, change instruction, raise the goal,
not enough data yet, and mastered. The SLP's speech and language goals and the goals of the
children of parent@ and madre@ are dealt first, so each of them sees several states; one SLP
goal is left a point short of its first decision, so recording a result changes it. Written
with bulk inserts straight from the shapes (the values are valid by construction: dated
between the plan's start and today, inside the goal's scale). Deterministic.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from tandem.core import clock
from tandem.demo import districts, personas
from tandem.demo import referrals as referrals_demo
from tandem.people.models import CaseloadAssignment, StudentGuardian, TeamMembership, TeamRole
from tandem.plans.models import Goal, PlanKind, PlanStatus
from tandem.progress.measures import Metric, metric_for
from tandem.progress.models import DataPoint, PhaseChange
from tandem.progress.queries import goal_dates, progress_for_goals
from tandem.progress.responsibility import ROLE_AREAS, area_matches
from tandem.rules import progress as engine

PLANNED: dict[int, str] = {}  # goal id -> the state its data were shaped for (last seed)
STATES = ("continue", "change_instruction", "raise_goal", "mastered", "insufficient_data")
# Small, fixed wobble around a shape, as a share of the distance from baseline to target.
_WOBBLE = (0.0, 0.04, -0.03, 0.02, -0.04, 0.03, -0.02, 0.01)
# Points kept at the mastery level after the move to maintenance: fewer than any rule's minimum
# (6), so no rule decides on the new phase.
MASTERED_KEPT = 5


def _demo_today() -> date:
    return referrals_demo.demo_today(clock.today())


def _baseline(metric: Any) -> float:
    t = metric.target
    if metric.direction is engine.Direction.DECREASE:
        return max(t * 2.5, t + 4)
    if metric.metric == Metric.RUBRIC:
        return 1.0
    return t * 0.5


def _clamp(value: float, metric: Any) -> float:
    value = max(metric.scale_min, min(metric.scale_max, value))
    if metric.metric in (Metric.COUNT,):
        return float(round(value))
    if metric.metric == Metric.RUBRIC:
        return float(round(value * 2) / 2)
    return round(value, 1)


def shape(state: str, metric: Any, weeks: list[float], total_weeks: float) -> list[float]:
    """Values for one goal in `state`, at `weeks` since its start (the aim spans total_weeks)."""
    base, target = _baseline(metric), metric.target
    span = target - base
    slope = span / total_weeks
    out: list[float] = []
    n = len(weeks)
    for i, w in enumerate(weeks):
        wobble = _WOBBLE[i % len(_WOBBLE)] * abs(span)
        if state == "continue":
            wobble /= 10  # on track: close to the aim line, so the trend matches its slope
        if state == "change_instruction":
            # Some growth, far too slow (0.3 of the aim line's pace), with the week-to-week
            # scatter of a real measure: never the same score for a year (a team would not
            # watch a flat line that long without acting; the data show a plateau, not a wall).
            v = base + 0.3 * slope * w + 3 * wobble
        elif state == "insufficient_data":
            v = base + wobble
        elif state == "raise_goal":
            v = base + 3.5 * slope * w + wobble
            v = min(v, target - 0.1 * span) if span > 0 else max(v, target - 0.1 * span)
        elif state == "mastered":
            # Mastery wins over "raise the goal": the goal's own criterion (what the IEP
            # promised, 300.320(a)(2)) is met, so the aim line's pace no longer matters. A team
            # seeing it moves the goal to maintenance: the seed records that instruction change
            # before the last 5 of the 6 points at the level (MASTERED_KEPT): the rules restart
            # their count and say "not enough data yet", not "raise the goal" beside "mastered".
            if i >= n - 6:
                v = target + abs(span) * 0.05 * (1 if span > 0 else -1)
            else:
                v = base + slope * 2.5 * w + wobble
        else:  # continue: along the aim line
            v = base + slope * w + wobble
        out.append(_clamp(v, metric))
    return out


def _measures(metric: Any, value: float, *, exact: bool = False) -> dict[str, Any]:
    kind = metric.metric
    if kind == Metric.PERCENT and exact:
        return {"percent": value, "value": value}
    if kind == Metric.PERCENT:
        correct = round(value / 5)
        return {"trials_correct": correct, "trials_total": 20, "value": correct * 5.0}
    if kind == Metric.PROMPTS:
        within = round(value / 10)
        prompts = ["independent"] * within + ["model"] * (10 - within)
        return {"prompts": prompts, "value": within * 10.0}
    field = {
        Metric.RATE: "rate_per_minute",
        Metric.DURATION: "duration_seconds",
        Metric.COUNT: "count",
        Metric.RUBRIC: "rubric_level",
    }.get(kind, "score")
    number: Any = int(value) if field == "count" else value
    return {field: number, "value": float(number)}


def _who_records(goals: list[Goal]) -> dict[int, Any]:
    """The user recording each student's data: the case manager, else the plan's author."""
    day = _demo_today()
    students = {g.plan.student_id for g in goals}
    writer = {
        a.student_id: a.staff.user
        for a in CaseloadAssignment.objects.active_on(day)
        .filter(student_id__in=students)
        .select_related("staff__user")
    }
    return writer


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Seed this app's demo records for the demo world `plan` (a tandem.demo.world plan)."""
    started = time.perf_counter()
    slugs = districts.DEMO_SLUGS
    if DataPoint.objects.filter(student__district__slug__in=slugs).exists():
        log("  the demo progress data already exist; nothing to add")
        return
    today = _demo_today()
    goals = list(
        Goal.objects.filter(
            plan__status=PlanStatus.ACTIVE,
            plan__kind=PlanKind.IEP,
            plan__student__district__slug__in=slugs,
        )
        .select_related("plan__student__district", "plan__created_by")
        .order_by("plan__student__legal_last_name", "plan__student__legal_first_name", "id")
    )
    if not goals:
        log("  no active IEP goals to add progress data to")
        return
    # The SLP's goals and the demo parents' children first, so they see every state.
    slp_students = set(
        TeamMembership.objects.filter(
            staff__user__email=personas.SLP, role=TeamRole.SPEECH_LANGUAGE
        ).values_list("student_id", flat=True)
    )
    speech_words = set(ROLE_AREAS[TeamRole.SPEECH_LANGUAGE])
    family = set(
        StudentGuardian.objects.filter(
            guardian__user__email__in=(personas.PARENT, personas.MADRE)
        ).values_list("student_id", flat=True)
    )

    def priority(g: Goal) -> int:
        if g.plan.student_id in slp_students and area_matches(g.area, speech_words):
            return 0
        return 1 if g.plan.student_id in family else 2

    goals.sort(key=priority)
    writers = _who_records(goals)
    history: dict[Any, list[tuple[date, Goal]]] = {}
    for g in (
        Goal.objects.filter(
            lineage__in={g.lineage for g in goals},
            plan__status__in=(PlanStatus.ACTIVE, PlanStatus.SUPERSEDED),
            plan__kind=PlanKind.IEP,
        )
        .select_related("plan")
        .order_by("id")
    ):
        history.setdefault(g.lineage, []).append((goal_dates(g.plan)[0], g))
    for line in history.values():
        line.sort(key=lambda item: (item[0], item[1].pk))
    points: list[DataPoint] = []
    changes: list[PhaseChange] = []
    dealt: Counter[str] = Counter()
    one_short_done = False
    turns: Counter[bool] = Counter()
    for goal in goals:
        metric = metric_for(goal)
        if metric.target is None:
            continue
        _start, target_on = goal_dates(goal.plan)
        # The goal's line through earlier plans (last year's IEP, before the annual review):
        # the data follow the lineage, recorded against the goal of the plan then in force.
        line = history.get(goal.lineage) or [(_start, goal)]
        start = line[0][0]
        first = start + timedelta(days=3)
        # Twice a week (Monday and Thursday of the plan's first week, and so on).
        days = [d for d in range(0, (today - first).days) if d % 7 in (0, 3)]
        # Coarse measures (rubric levels, prompt counts, counts) cannot sit on an aim line, so
        # they take the other states; every other goal cycles through all five.
        coarse = metric.metric in (Metric.RUBRIC, Metric.PROMPTS, Metric.COUNT)
        cycle = tuple(s for s in STATES if s != "continue") if coarse else STATES
        state = cycle[turns[coarse] % len(cycle)]
        turns[coarse] += 1
        if len(days) < 12:
            # Too short for the trend rule: only "not enough data" is honest to show.
            state = "insufficient_data"
        if not one_short_done and priority(goal) == 0 and len(days) >= 8:
            # The SLP's goal one point short of a decision (the browser test records it).
            state, one_short_done = "one_short", True
        if state == "insufficient_data":
            days = days[-4:]
        elif state == "one_short":
            days = days[-8:]
        if not days:
            continue
        dates = [first + timedelta(days=d) for d in days]
        total_weeks = max((target_on - start).days / 7, 1)
        weeks = [(d - start).days / 7 for d in dates]
        shaped = "change_instruction" if state == "one_short" else state
        values = shape(shaped, metric, weeks, total_weeks)
        recorder = writers.get(goal.plan.student_id) or goal.plan.created_by
        student_id = goal.plan.student_id
        for i, (on, v) in enumerate(zip(dates, values, strict=True)):
            measures = _measures(metric, v, exact=state == "continue")
            points.append(
                DataPoint(
                    goal=next((g for began, g in reversed(line) if began <= on), goal),
                    goal_lineage=goal.lineage,
                    student_id=student_id,
                    taken_on=on,
                    recorded_by=recorder,
                    note="" if i % 4 else "Weekly probe",
                    **measures,
                )
            )
        if state == "mastered" and len(dates) > MASTERED_KEPT:
            changes.append(
                PhaseChange(
                    goal=goal,
                    goal_lineage=goal.lineage,
                    student_id=student_id,
                    changed_on=dates[-MASTERED_KEPT] - timedelta(days=1),
                    description="Goal met: moved to maintenance and practice in new settings",
                    recorded_by=recorder,
                )
            )
        if state == "raise_goal" and len(dates) >= 16:
            changes.append(
                PhaseChange(
                    goal=goal,
                    goal_lineage=goal.lineage,
                    student_id=student_id,
                    changed_on=dates[3] + timedelta(days=1),
                    description="Added daily practice with visual cues",
                    recorded_by=recorder,
                )
            )
        dealt[state] += 1
        PLANNED[goal.pk] = state
    with transaction.atomic():
        DataPoint.objects.bulk_create(points, batch_size=2000)
        PhaseChange.objects.bulk_create(changes)
    # A goal shaped to run ahead (raise the goal) can meet its own criterion too: mastery wins
    # there as well, and the team moves it to maintenance like the goals shaped as mastered.
    maintained = []
    for gp in progress_for_goals(goals):
        headline = gp.analysis.headline.decision if gp.analysis is not None else None
        if gp.state != "mastered" or headline is not engine.DecisionKind.RAISE_GOAL:
            continue
        taken = sorted(p.taken_on for p in gp.points)
        if len(taken) <= MASTERED_KEPT:
            continue
        maintained.append(
            PhaseChange(
                goal=gp.goal,
                goal_lineage=gp.goal.lineage,
                student_id=gp.goal.plan.student_id,
                changed_on=taken[-MASTERED_KEPT] - timedelta(days=1),
                description="Goal met: moved to maintenance and practice in new settings",
                recorded_by=writers.get(gp.goal.plan.student_id) or gp.goal.plan.created_by,
            )
        )
    PhaseChange.objects.bulk_create(maintained)
    reached = Counter(gp.state for gp in progress_for_goals(goals))
    log(
        f"  {len(points)} data points for {sum(dealt.values())} goals; states: "
        + ", ".join(f"{n} {s}" for s, n in sorted(reached.items()))
        + f" ({time.perf_counter() - started:.1f} s)"
    )
