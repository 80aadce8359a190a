"""The seeded demo contradicts itself nowhere (issue 10, "Demo data"): each state it shows is one
a real team could be in. One seed (it takes a while), several readings of it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from tandem.communication.models import Message
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.people.models import TeamMembership
from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus
from tandem.progress.queries import progress_for_goals
from tandem.revisions.models import RevisionRequest, Status
from tandem.rules import progress as engine

pytestmark = pytest.mark.django_db


def test_the_seeded_demo_holds_no_contradiction() -> None:
    call_command("seed_demo", "--students", "120", stdout=StringIO())
    goals = list(
        Goal.objects.filter(plan__status=PlanStatus.ACTIVE, plan__kind=PlanKind.IEP)
        .select_related("plan__student__district")
        .order_by("id")
    )
    progress = [gp for gp in progress_for_goals(goals) if gp.analysis is not None]
    assert progress
    # Mastery wins: no goal is shown mastered with "raise the goal" beside it.
    mastered = [gp for gp in progress if gp.state == "mastered"]
    assert mastered
    assert not [
        gp.goal.pk
        for gp in mastered
        if gp.analysis.headline.decision is engine.DecisionKind.RAISE_GOAL  # type: ignore[union-attr]
    ]
    # No year of one identical score.
    flat = [
        gp.goal.pk
        for gp in progress
        if len(gp.points) >= 20 and len({p.value for p in gp.points}) == 1
    ]
    assert not flat
    # Nobody with an active IEP is still waiting for an initial IEP meeting.
    active = Plan.objects.filter(status=PlanStatus.ACTIVE, kind=PlanKind.IEP).values("student_id")
    waiting = Deadline.objects.filter(
        kind=DeadlineKind.INITIAL_IEP_MEETING, met_on__isnull=True, student_id__in=active
    )
    assert not waiting.exists()
    # One row per person, student and role on a team.
    duplicates = (
        TeamMembership.objects.values("staff_id", "student_id", "role")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    # Pronouns in the family messages match the child.
    for message in Message.objects.select_related("student"):
        wrong = {"F": (" he ", " his "), "M": (" she ", " her ")}.get(message.student.sex, ())
        assert not any(word in f" {message.body} " for word in wrong), message.body
    # The deadlines the plans and meetings open are in the view's table.
    kinds = set(Deadline.objects.values_list("kind", flat=True))
    assert {
        DeadlineKind.ANNUAL_REVIEW,
        DeadlineKind.SECTION_504_ANNUAL_REVIEW,
        DeadlineKind.MEETING_NOTICE,
    } <= kinds
    # A request shown as answered by an amendment names the plan version that made it.
    amended = RevisionRequest.objects.filter(status=Status.AMENDED)
    assert amended.exists()
    for rr in amended.select_related("amendment__plan"):
        assert rr.amendment is not None and rr.amendment.plan.student_id == rr.student_id
        assert rr.amendment.amended_without_meeting and rr.amendment.parent_agreement_date
