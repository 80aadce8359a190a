"""A consent waiting for Maya's mother, a school calendar around today, and private media."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.people.models import SchoolCalendar
from tandem.referrals import actions
from tandem.referrals.models import (
    AreaOfConcern,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    NoticeAction,
    ReferralSource,
)


def notice_content() -> actions.NoticeContent:
    return actions.NoticeContent(
        action_described="The district proposes a full initial evaluation.",
        reasons="Reading and speech concerns persist despite interventions.",
        evaluation_basis="Teacher input, benchmarks, classroom observation.",
        procedural_safeguards_statement="You have protections; a copy is enclosed.",
        sources_of_help="Parent Training and Information Center, 555-0100.",
        options_considered="Continued interventions: rejected, progress too slow.",
        other_factors="None.",
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def calendar(world):
    """A Riverside school year around today, so the evaluation clock can start today."""
    today = timezone.localdate()
    return SchoolCalendar.objects.create(
        district=world.riverside,
        school_year=f"{today.year}-{today.year + 1}",
        first_day=today - timedelta(days=90),
        last_day=today + timedelta(days=200),
        next_first_day=today + timedelta(days=280),
    )


def make_consent(world, *, kind=ConsentKind.INITIAL_EVALUATION, student=None):
    cm = world.users["case_manager"]
    student = student or world.maya
    today = timezone.localdate()
    referral = actions.create_referral(
        actor=world.users["director"],
        student=student,
        source=ReferralSource.PARENT,
        source_name="Grace Lopez",
        received_on=today - timedelta(days=20),
        areas_of_concern=[
            AreaOfConcern.READING,
            AreaOfConcern.SPEECH_LANGUAGE,
            AreaOfConcern.MOTOR,
        ],
        description="Struggles to decode and is hard to understand in class.",
    )
    actions.record_case_review(
        actor=world.users["director"],
        referral=referral,
        decided_on=today - timedelta(days=15),
        decision=CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
        reason="Suspected SLD and speech-language impairment.",
    )
    actions.issue_prior_written_notice(
        actor=world.users["director"],
        student=student,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=notice_content(),
        issued_on=today - timedelta(days=14),
    )
    del cm
    return actions.request_consent(
        actor=world.users["director"],
        referral=referral,
        kind=kind,
        sent_on=today - timedelta(days=14),
        method=ConsentMethod.PORTAL,
    )


@pytest.fixture
def consent(world, calendar):
    return make_consent(world)
