"""A busy record for the student page: plans, goals with data, meetings, requests, referrals."""

from __future__ import annotations

from datetime import timedelta

from tandem.core import clock
from tandem.meetings.models import Meeting, MeetingInvitee, MeetingKind, MeetingStatus
from tandem.people.models import Student
from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus
from tandem.progress.models import DataPoint
from tandem.referrals.models import Referral, ReferralSource
from tandem.revisions.models import RevisionRequest, Source


def fill_record(world, student: Student, *, n: int) -> None:  # type: ignore[no-untyped-def]
    """`n` of each kind of record on the student page (one active plan per kind at most)."""
    cm = world.users["case_manager"]
    today = clock.today()
    guardian = student.guardian_links.select_related("guardian").first()
    for i in range(n):
        kind = PlanKind.IEP if i % 2 == 0 else PlanKind.SECTION_504
        in_force = Plan.objects.filter(student=student, kind=kind, status=PlanStatus.ACTIVE)
        plan = Plan.objects.create(
            student=student,
            kind=kind,
            status=PlanStatus.ENDED if in_force.exists() else PlanStatus.ACTIVE,
            created_by=cm,
        )
        for j in range(2):
            goal = Goal.objects.create(plan=plan, area=f"Area {i}.{j}", text="Read 90 wcpm.")
            for k in range(3):
                DataPoint.objects.create(
                    goal=goal,
                    goal_lineage=goal.lineage,
                    student=student,
                    taken_on=today - timedelta(days=7 * k),
                    score=40 + k,
                    value=40 + k,
                    recorded_by=cm,
                )
        start = clock.now() + timedelta(days=i + 1)
        meeting = Meeting.objects.create(
            student=student,
            kind=MeetingKind.ANNUAL_REVIEW,
            status=MeetingStatus.SCHEDULED,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            created_by=cm,
        )
        if guardian is not None:
            MeetingInvitee.objects.create(
                meeting=meeting, guardian=guardian.guardian, role="parent", required=True
            )
        RevisionRequest.objects.create(
            student=student, source=Source.PARENT, reason=f"Reason {i}", requested_by=cm
        )
        Referral.objects.create(
            student=student,
            source=ReferralSource.TEACHER,
            received_on=today - timedelta(days=i),
            description=f"Concern {i}",
            created_by=cm,
        )
