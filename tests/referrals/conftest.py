"""Builders for the referral tests: a Riverside calendar, private media, and steps of the path."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.people.models import (
    CalendarClosure,
    ClosureKind,
    Role,
    SchoolCalendar,
    TeamMembership,
    TeamRole,
)
from tandem.referrals import actions
from tandem.referrals.models import (
    AreaOfConcern,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    NoticeAction,
    ReferralSource,
)
from tests.factories import make_staff


def notice_content(**changes: str) -> actions.NoticeContent:
    values = {
        "action_described": "The district proposes a full initial evaluation.",
        "reasons": "Reading and speech concerns persist despite interventions.",
        "evaluation_basis": "Teacher input, DIBELS benchmarks, classroom observation.",
        "procedural_safeguards_statement": "You have protections; a copy is enclosed.",
        "sources_of_help": "Parent Training and Information Center, 555-0100.",
        "options_considered": "Continued interventions: rejected, progress too slow.",
        "other_factors": "None.",
    }
    values.update(changes)
    return actions.NoticeContent(**values)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def riverside_calendar(world):
    """2025-26 for the whole district: a 5-day Thanksgiving break and a 10-day winter break."""
    calendar = SchoolCalendar.objects.create(
        district=world.riverside,
        school_year="2025-2026",
        first_day=date(2025, 8, 13),
        last_day=date(2026, 6, 4),
        next_first_day=date(2026, 8, 12),
    )
    CalendarClosure.objects.create(
        calendar=calendar,
        kind=ClosureKind.BREAK,
        name="Thanksgiving break",
        start=date(2025, 11, 24),
        end=date(2025, 11, 28),
    )
    CalendarClosure.objects.create(
        calendar=calendar,
        kind=ClosureKind.BREAK,
        name="Winter break",
        start=date(2025, 12, 22),
        end=date(2026, 1, 2),
    )
    return calendar


@pytest.fixture
def cm(world):
    return world.users["case_manager"]


@pytest.fixture
def parent_referral(world, cm):
    return actions.create_referral(
        actor=cm,
        student=world.maya,
        source=ReferralSource.PARENT,
        source_name="Grace Lopez",
        received_on=date(2025, 10, 20),
        areas_of_concern=[AreaOfConcern.READING, AreaOfConcern.SPEECH_LANGUAGE],
        description="Maya struggles to decode and is hard to understand in class.",
    )


@pytest.fixture
def reviewed_referral(world, cm, parent_referral):
    actions.record_case_review(
        actor=cm,
        referral=parent_referral,
        decided_on=date(2025, 10, 27),
        decision=CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
        reason="Suspected SLD and speech-language impairment.",
    )
    actions.issue_prior_written_notice(
        actor=cm,
        student=world.maya,
        referral=parent_referral,
        action=NoticeAction.PROPOSES,
        content=notice_content(),
        issued_on=date(2025, 10, 28),
    )
    return parent_referral


@pytest.fixture
def consent_request(cm, reviewed_referral):
    return actions.request_consent(
        actor=cm,
        referral=reviewed_referral,
        kind=ConsentKind.INITIAL_EVALUATION,
        sent_on=date(2025, 10, 28),
        method=ConsentMethod.IN_PERSON,
    )


@pytest.fixture
def evaluating_referral(cm, riverside_calendar, reviewed_referral, consent_request):
    actions.record_consent_response(
        actor=cm, consent=consent_request, response="given", received_on=date(2025, 11, 10)
    )
    return reviewed_referral


@pytest.fixture
def coordinator(world):
    """North's 504 coordinator, on Leo's team in that role (nobody else is on Leo's team)."""
    staff = make_staff(
        "coordinator@r.test", [(Role.COORDINATOR_504, world.riverside, world.north)], first="Ines"
    )
    TeamMembership.objects.create(
        staff=staff, student=world.leo, role=TeamRole.COORDINATOR_504, start_date=date(2025, 8, 1)
    )
    world.users["coordinator"] = staff.user
    return staff.user
