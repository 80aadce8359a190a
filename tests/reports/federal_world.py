"""Small worlds for the federal counts: students with IEPs (a version each), eligibility, exits."""

from __future__ import annotations

from datetime import date
from typing import Any

from tandem.people.models import Enrollment, Student
from tandem.plans.models import Plan, PlanKind, PlanStatus, PlanVersion
from tandem.referrals.models import EligibilityDecision, Referral
from tests.factories import make_student

COUNT_DAY = date(2025, 10, 1)
TODAY = date(2026, 3, 2)
# 400 of a 1,800-minute week outside the regular class: 77% inside, RC79TO40.
PULL_OUT = {"category": "special_education", "name": "Reading", "minutes": 80, "times": 5,
            "per": "week", "setting": "Resource room"}  # fmt: skip
SPEECH = {"category": "related", "name": "Speech", "minutes": 30, "times": 2, "per": "week",
          "setting": "Speech room"}  # fmt: skip


def iep(student: Student, actor: Any, *, start: date = date(2025, 8, 20),
        end: date | None = date(2026, 8, 19), status: str = PlanStatus.ACTIVE,
        services: list[dict[str, Any]] | None = None, lre: dict[str, Any] | None = None,
        kind: str = PlanKind.IEP, exit_reason: str = "", exit_date: date | None = None) -> Plan:  # fmt: skip
    plan = Plan.objects.create(
        student=student, kind=kind, status=status, meeting_date=start, effective_from=start,
        effective_to=end, created_by=actor, exit_reason=exit_reason, exit_date=exit_date,
    )  # fmt: skip
    snapshot = {
        "plan": {"kind": kind},
        "sections": {"lre": lre or {}},
        "services": [SPEECH] if services is None else services,
        "accommodations": [],
        "goals": [],
    }
    PlanVersion.objects.create(plan=plan, number=1, kind="original", snapshot=snapshot,
                               content_hash="x" * 64, created_by=actor)  # fmt: skip
    return plan


def eligible(student: Student, actor: Any, category: str = "specific_learning_disability",
             on: date = date(2025, 6, 1)) -> EligibilityDecision:  # fmt: skip
    referral = Referral.objects.create(
        student=student, source="parent", received_on=on.replace(day=1),
        areas_of_concern=["reading"], description="Reading", created_by=actor,
    )  # fmt: skip
    return EligibilityDecision.objects.create(
        referral=referral, student=student, decided_on=on, outcome="iep",
        primary_category=category, decided_by=actor,
    )  # fmt: skip


def counted_student(school: Any, actor: Any, *, first: str, born: date, grade: str = "3",
                    category: str = "specific_learning_disability", **extra: Any) -> Student:  # fmt: skip
    """A student with an IEP in effect on COUNT_DAY, an eligibility and a race."""
    plan_options = {k: extra.pop(k) for k in ("start", "end", "status", "services", "lre",
                                              "exit_reason", "exit_date") if k in extra}  # fmt: skip
    extra.setdefault("race_white", True)
    student = make_student(school, first=first, last="Count", grade=grade, date_of_birth=born,
                           enrollment_date=date(2024, 8, 20), **extra)  # fmt: skip
    Enrollment.objects.create(student=student, school=school, grade=grade,
                              entry_date=date(2024, 8, 20))  # fmt: skip
    eligible(student, actor, category)
    iep(student, actor, **plan_options)
    return student
