"""`seed_demo`: IEPs and 504 Plans in every status, with version histories, repeatable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.demo import districts, personas, world
from tandem.demo import plans as plans_demo
from tandem.demo import referrals as referrals_demo
from tandem.demo.plans_stories import Story
from tandem.people.models import ClassEnrollment, Student
from tandem.plans.models import (
    Accommodation,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanVersion,
    SectionKey,
    VersionKind,
)
from tandem.rules.goals import Severity, check_goal

pytestmark = pytest.mark.django_db

SMALL = "120"


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--students", SMALL, *args, stdout=out)
    return out.getvalue()


def demo_plans():  # type: ignore[no-untyped-def]
    return Plan.objects.filter(student__district__slug__in=districts.DEMO_SLUGS)


def test_seeded_plans() -> None:
    """One seed (it takes a while), three readings of it, then a second run."""
    assert "plans as of" in seed()
    every_status_with_histories()
    family_children_caseload_and_teacher_roster_have_active_plans()
    plans_are_complete_and_goals_read_as_smart()

    plans = demo_plans()
    counts = (
        AuditEvent.objects.count(),
        plans.count(),
        PlanVersion.objects.count(),
        PlanSection.objects.count(),
    )
    assert "already exist" in seed()
    assert counts == (
        AuditEvent.objects.count(),
        plans.count(),
        PlanVersion.objects.count(),
        PlanSection.objects.count(),
    )


def every_status_with_histories() -> None:
    plans = demo_plans()
    statuses = set(plans.values_list("status", flat=True))
    # Every status but "discarded": a draft abandoned by mistake is no story the demo tells.
    assert statuses == set(PlanStatus.values) - {PlanStatus.DISCARDED}
    assert plans.filter(kind=PlanKind.SECTION_504, status=PlanStatus.ACTIVE).exists()

    kinds = set(PlanVersion.objects.filter(plan__in=plans).values_list("kind", flat=True))
    assert kinds == set(VersionKind.values)
    amendments = PlanVersion.objects.filter(plan__in=plans, kind=VersionKind.AMENDMENT)
    without_meeting = amendments.filter(amended_without_meeting=True)
    assert without_meeting.exists()
    assert all(a.parent_agreement_date for a in without_meeting)
    assert amendments.filter(amended_without_meeting=False).exists()  # a 504 team met
    correction = PlanVersion.objects.get(plan__in=plans, kind=VersionKind.CORRECTION)
    assert "speech room" in correction.reason

    ended = plans.get(status=PlanStatus.ENDED)
    assert ended.exit_reason and ended.exit_date
    # Every superseded plan was followed by an annual review of the same student.
    for old in plans.filter(status=PlanStatus.SUPERSEDED):
        assert plans.filter(based_on=old, status=PlanStatus.ACTIVE).exists()
    # The drafts and the proposed plan are annual reviews whose date is near.
    today = referrals_demo.demo_today(clock.today())
    for draft in plans.filter(status__in=[PlanStatus.DRAFT, PlanStatus.PROPOSED]):
        assert draft.based_on is not None
        assert draft.based_on.annual_review_due is not None
        assert 0 < (draft.based_on.annual_review_due - today).days <= 45


def family_children_caseload_and_teacher_roster_have_active_plans() -> None:
    active = demo_plans().filter(status=PlanStatus.ACTIVE)
    for first, last in (("Ethan", "Morgan"), ("Sofía", "Hernández")):
        student = Student.objects.get(legal_first_name=first, legal_last_name=last)
        assert active.filter(student=student, kind=PlanKind.IEP).exists()

    caseload = Student.objects.filter(
        case_managers__staff__user__email=personas.CASE_MANAGER
    ).distinct()
    assert caseload.exists()
    for student in caseload:
        assert demo_plans().filter(student=student, kind=PlanKind.IEP).exists()

    roster = Student.objects.filter(
        pk__in=ClassEnrollment.objects.filter(
            section__teacher__user__email=personas.TEACHER
        ).values("student")
    )
    with_accommodations = Accommodation.objects.filter(
        plan__in=active, plan__student__in=roster
    ).values("plan__student")
    assert with_accommodations.distinct().count() >= 2


def plans_are_complete_and_goals_read_as_smart() -> None:
    ieps = demo_plans().filter(kind=PlanKind.IEP, status=PlanStatus.ACTIVE)
    assert ieps.exists()
    for plan in ieps.annotate(
        n_goals=Count("goals", distinct=True),
        n_services=Count("services", distinct=True),
        n_items=Count("accommodations", distinct=True),
    ):
        assert 2 <= plan.n_goals <= 4
        assert 1 <= plan.n_services <= 3
        assert 3 <= plan.n_items <= 7
        keys = set(plan.sections.values_list("key", flat=True))
        assert {SectionKey.PLAAFP, SectionKey.LRE, SectionKey.STRENGTHS} <= keys
        for goal in plan.goals.all():
            analysis = check_goal(goal.text)
            assert analysis.smart.specific and analysis.smart.measurable
            assert analysis.smart.time_bound
            assert not [f for f in analysis.flags if f.severity is Severity.ERROR]
    assert Accommodation.objects.filter(plan__in=ieps, kind="modification").exists()


def test_the_plan_is_deterministic() -> None:
    people = world.plan_world(120, world.DEFAULT_SEED)
    today = referrals_demo.FALLBACK_TODAY
    a = plans_demo.plan_plans(people, today)
    b = plans_demo.plan_plans(world.plan_world(120, world.DEFAULT_SEED), today)
    assert a == b
    stories = {p.story for p in a}
    assert set(Story) <= stories
