"""`seed_demo`: referrals and evaluations in every stage, some overdue, repeatable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import AuditEvent, User
from tandem.demo import personas, world
from tandem.demo import referrals as referrals_demo
from tandem.referrals.models import (
    AgreementKind,
    Assessment,
    CaseReviewDecision,
    Consent,
    ConsentKind,
    ConsentResponse,
    Deadline,
    DeadlineBasis,
    DeadlineKind,
    EligibilityOutcome,
    NoticeAction,
    Purpose,
    ReevaluationAgreement,
    ReevaluationKind,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.referrals.queries import (
    DeadlineStatus,
    deadline_status,
    deadlines_visible_to,
    referrals_for,
)

pytestmark = pytest.mark.django_db

SMALL = "120"
RUNNING = (DeadlineStatus.ON_TRACK, DeadlineStatus.DUE_30, DeadlineStatus.DUE_14)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--students", SMALL, *args, stdout=out)
    return out.getvalue()


def demo_today() -> date:
    return referrals_demo.demo_today(timezone.localdate())


def deadline(referral: Referral, kind: str) -> Deadline | None:
    return Deadline.objects.filter(student=referral.student, kind=kind).first()


def status(referral: Referral, kind: str) -> DeadlineStatus | None:
    found = deadline(referral, kind)
    return deadline_status(found, demo_today()) if found else None


def outcome(referral: Referral) -> str | None:
    decision = getattr(referral, "eligibility", None) if hasattr(referral, "eligibility") else None
    return decision.outcome if decision else None


def notices(referral: Referral, action: str) -> bool:
    return referral.notices.filter(action=action).exists()


def open_assessments(referral: Referral) -> bool:
    return Assessment.objects.filter(plan__referral=referral, completed_on=None).exists()


# Each stage of the brief, told from the stored records alone.
STAGES: dict[str, Callable[[Referral], bool]] = {
    "received": lambda r: r.status == ReferralStatus.OPEN and not hasattr(r, "case_review"),
    "consent requested, pending": lambda r: (
        r.status == ReferralStatus.OPEN
        and r.consents.filter(
            kind=ConsentKind.INITIAL_EVALUATION, response=ConsentResponse.PENDING
        ).exists()
    ),
    "evaluation on track": lambda r: (
        r.status == ReferralStatus.IN_EVALUATION
        and status(r, DeadlineKind.INITIAL_EVALUATION) in RUNNING
    ),
    "evaluation overdue, assessments open": lambda r: (
        r.status == ReferralStatus.IN_EVALUATION
        and status(r, DeadlineKind.INITIAL_EVALUATION) == DeadlineStatus.OVERDUE
        and open_assessments(r)
    ),
    "report done, eligibility pending": lambda r: (
        r.status == ReferralStatus.IN_EVALUATION
        and hasattr(r, "evaluation_report")
        and not open_assessments(r)
    ),
    "eligible for an IEP": lambda r: (
        outcome(r) == EligibilityOutcome.IEP
        and deadline(r, DeadlineKind.INITIAL_IEP_MEETING) is not None
    ),
    "initial IEP meeting overdue": lambda r: (
        outcome(r) == EligibilityOutcome.IEP
        and status(r, DeadlineKind.INITIAL_IEP_MEETING) == DeadlineStatus.OVERDUE
    ),
    "eligible for a 504 plan": lambda r: outcome(r) == EligibilityOutcome.SECTION_504,
    "not eligible, with notice": lambda r: (
        outcome(r) == EligibilityOutcome.NOT_ELIGIBLE and notices(r, NoticeAction.REFUSES)
    ),
    "parent request refused with notice": lambda r: (
        r.status == ReferralStatus.CLOSED
        and r.source == ReferralSource.PARENT
        and r.case_review.decision == CaseReviewDecision.GENERAL_EDUCATION_INTERVENTION
        and notices(r, NoticeAction.REFUSES)
    ),
    "consent refused, closed": lambda r: (
        r.status == ReferralStatus.CLOSED
        and r.consents.filter(response=ConsentResponse.REFUSED).exists()
    ),
}


def stages_of(referrals: list[Referral]) -> dict[str, int]:
    return {name: sum(1 for r in referrals if test(r)) for name, test in STAGES.items()}


def snapshot() -> list[tuple[object, ...]]:
    """Everything but the random public ids and timestamps."""
    referrals = [
        (
            r.student.district.slug,
            r.student.sis_id,
            r.source,
            r.source_name,
            r.received_on,
            tuple(r.areas_of_concern),
            r.status,
            r.track,
            r.created_by.email,
        )
        for r in Referral.objects.select_related("student__district", "created_by")
    ]
    consents = list(
        Consent.objects.order_by("student__sis_id", "sent_on", "id").values_list(
            "student__sis_id", "sent_on", "method", "received_on", "response"
        )
    )
    deadlines = list(
        Deadline.objects.order_by("student__sis_id", "kind", "trigger_on", "due_on").values_list(
            "student__sis_id", "kind", "trigger_on", "due_on", "met_on", "citation"
        )
    )
    assessments = list(
        Assessment.objects.order_by("plan__referral__student__sis_id", "area").values_list(
            "plan__referral__student__sis_id",
            "area",
            "evaluator__user__email",
            "due_on",
            "completed_on",
        )
    )
    return sorted(referrals) + consents + deadlines + assessments


def test_every_stage_is_seeded_in_both_districts_with_overdue_deadlines() -> None:
    output = seed()
    assert "referrals as of" in output
    referrals = list(Referral.objects.select_related("student__district", "student__school"))
    counts = stages_of(referrals)
    assert all(counts.values()), counts

    riverside = [r for r in referrals if r.student.district.slug == "riverside"]
    oak_valley = [r for r in referrals if r.student.district.slug == "oak-valley"]
    assert len({r.student.school.code for r in riverside}) == 4
    assert len(oak_valley) >= 5
    assert stages_of(oak_valley)["evaluation overdue, assessments open"] >= 1
    first = [r for r in referrals if r.purpose == Purpose.INITIAL]
    assert len({r.student_id for r in first}) == len(first)  # one first referral a student

    today = demo_today()
    # The referral stages' own deadlines (other apps' demos add theirs, e.g. revision requests).
    overdue = [
        d
        for d in Deadline.objects.exclude(
            kind__in=[
                DeadlineKind.REVISION_REQUEST,
                # the plans' and meetings' own (a plan past its annual review is overdue)
                DeadlineKind.ANNUAL_REVIEW,
                DeadlineKind.SECTION_504_ANNUAL_REVIEW,
                DeadlineKind.TRANSITION_SERVICES,
                DeadlineKind.MEETING_NOTICE,
            ]
        )
        if deadline_status(d, today) == "overdue"
    ]
    assert {d.kind for d in overdue} == {
        DeadlineKind.ASSESSMENT_PLAN,  # a California referral not yet answered (56321(a))
        DeadlineKind.INITIAL_EVALUATION,
        DeadlineKind.INITIAL_IEP_MEETING,
        DeadlineKind.REEVALUATION,  # the overdue triennial
    }
    assert {d.state for d in overdue} == {"CA", "TX"}
    # Nothing is dated after demo today.
    assert not Referral.objects.filter(received_on__gt=today).exists()
    assert not Consent.objects.filter(sent_on__gt=today).exists()
    assert not Assessment.objects.filter(completed_on__gt=today).exists()


def test_the_reevaluation_stories_are_seeded() -> None:
    seed()
    today = demo_today()
    triennials = Deadline.objects.filter(kind=DeadlineKind.REEVALUATION).order_by("due_on")
    statuses = [deadline_status(d, today) for d in triennials]
    assert DeadlineStatus.OVERDUE in statuses
    assert DeadlineStatus.DUE_30 in statuses  # due in 20 days
    waived = triennials.get(status_basis=DeadlineBasis.WAIVED)
    agreement = ReevaluationAgreement.objects.get(kind=AgreementKind.WAIVER)
    assert agreement.deadline == waived
    following = triennials.get(source_id=str(agreement.public_id))
    assert (
        following.status_basis == DeadlineBasis.DUE
        and following.trigger_on == today - timedelta(days=10)
    )
    # The parent's request is open, consent pending with one recorded attempt.
    request = Referral.objects.get(purpose=Purpose.REEVALUATION)
    assert request.reevaluation_kind == ReevaluationKind.PARENT_REQUEST
    assert request.status == ReferralStatus.OPEN
    consent = request.consents.get(kind=ConsentKind.REEVALUATION)
    assert consent.response == ConsentResponse.PENDING and consent.attempts.count() == 1
    # Each first IEP meeting was held; no reevaluation story leaves it overdue.
    assert Deadline.objects.filter(
        student=request.student, kind=DeadlineKind.INITIAL_IEP_MEETING, met_on__isnull=False
    ).exists()


def test_the_demo_accounts_see_and_own_their_part() -> None:
    seed()
    today = demo_today()
    cm = User.objects.get(email=personas.CASE_MANAGER)
    mine = list(referrals_for(cm, today=today))
    assert len(mine) >= 4
    assert all(r.student.school.code == "RES" for r in mine)
    visible = list(deadlines_visible_to(cm, today=today))
    assert visible
    assert deadlines_visible_to(cm, today=today, status=DeadlineStatus.OVERDUE).exists()
    assert {r.created_by.email for r in mine} >= {personas.CASE_MANAGER}

    coordinator = User.objects.get(email=personas.COORDINATOR_504)
    # The coordinator serves schools (the school-evaluator tie: child find), so the list holds
    # every referral of those schools; the 504 ones are the coordinator's own.
    listed = list(referrals_for(coordinator, today=today))
    serves = set(
        coordinator.staff.roles.exclude(school=None).values_list("school__code", flat=True)
    )
    assert serves and {r.student.school.code for r in listed} <= serves
    section_504 = [r for r in listed if r.track == Track.SECTION_504]
    assert len(section_504) >= 2
    assert {r.created_by.email for r in section_504} == {personas.COORDINATOR_504}

    open_for_psych = Assessment.objects.filter(
        evaluator__user__email=personas.PSYCHOLOGIST, completed_on=None
    )
    assert open_for_psych.filter(due_on__lt=today).exists()
    # Every step is audited as the acting demo account.
    actors = set(
        AuditEvent.objects.filter(action__startswith="referral.").values_list(
            "actor__email", flat=True
        )
    )
    assert {personas.CASE_MANAGER, personas.COORDINATOR_504, personas.OAK_VALLEY_DIRECTOR} <= actors
    assert AuditEvent.objects.filter(
        action="assessment.completed", actor__email=personas.PSYCHOLOGIST
    ).exists()


def test_a_second_run_adds_nothing_and_reset_is_refused() -> None:
    seed()
    before = (Referral.objects.count(), Deadline.objects.count(), AuditEvent.objects.count())
    assert "already exist" in seed()
    plan = world.plan_world(int(SMALL))
    assert referrals_demo.seed_referrals(plan) == {}
    assert (
        Referral.objects.count(),
        Deadline.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    # The audit log is append-only, so the demo cannot be rebuilt in place any more.
    with pytest.raises(CommandError, match="append-only"):
        seed("--reset")
    assert Referral.objects.count() == before[0]


class _Rollback(Exception):
    pass


def test_the_same_seed_gives_the_same_referrals() -> None:
    try:
        with transaction.atomic():
            seed()
            first = snapshot()
            raise _Rollback
    except _Rollback:
        pass
    assert not Referral.objects.exists()
    seed()
    assert snapshot() == first
    assert len(first) > 100


def test_plans_are_deterministic_and_never_after_demo_today() -> None:
    plan = world.plan_world(int(SMALL), seed=7)
    day = date(2026, 10, 7)
    first = referrals_demo.plan_referrals(plan, day)
    assert first == referrals_demo.plan_referrals(world.plan_world(int(SMALL), seed=7), day)
    other = referrals_demo.plan_referrals(world.plan_world(int(SMALL), seed=8), day)
    assert [r.student for r in first] != [r.student for r in other]
    for r in first:
        steps = [r.received, r.review, r.notice, r.consent_sent, r.consent_answer, r.plan_on]
        steps += [a.completed for a in r.assessments] + [r.report, r.decided]
        assert all(step <= day for step in steps if step is not None)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 10, 7), date(2026, 10, 7)),
        (date(2027, 6, 10), date(2027, 6, 10)),
        (date(2026, 7, 1), date(2026, 11, 30)),
        (date(2027, 8, 1), date(2026, 11, 30)),
    ],
)
def test_demo_today_is_today_in_the_school_year_else_november_30(today, expected) -> None:
    assert referrals_demo.demo_today(today) == expected
