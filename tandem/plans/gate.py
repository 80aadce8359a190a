"""Gatekeepers for the plan pages and API: a plan is reached only through its student's access."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import Need, access_student, parse_public_id
from tandem.people.models import Student
from tandem.plans.models import Plan
from tandem.referrals.queries import rights_holder

LANGUAGES = ("en", "es")


def access_plan(
    user: User, plan_id: object, *, action: str | None = "plan.viewed", detail: Any = None
) -> tuple[Plan, Student]:
    """The plan and its student if `user` may read the student; otherwise 404. Audited."""
    key = parse_public_id(plan_id)
    plan = Plan.objects.select_related("student", "current_version").filter(public_id=key).first()
    if plan is None:
        raise Http404
    student = access_student(user, plan.student.public_id, need=Need.READ, action=None)
    plan.student = student  # with its school and district loaded
    if action:
        audit.record(actor=user, action=action, student=student, target=plan, detail=detail)
    return plan, student


def language_for(student: Student, requested: str | None = None) -> str:
    """?lang=en|es when asked, else the language of the parent who holds the rights."""
    if requested in LANGUAGES:
        return requested  # type: ignore[return-value]
    guardian = rights_holder(student)
    language = guardian.preferred_language if guardian else "en"
    return language if language in LANGUAGES else "en"
