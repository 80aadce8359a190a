"""Demo data for the revisions app, seeded by `manage.py seed_demo` after the plans."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from tandem.accounts.models import User
from tandem.compliance import actions as deadlines
from tandem.core import clock
from tandem.demo.personas import CASE_MANAGER, MADRE, PARENT
from tandem.people.models import StudentGuardian
from tandem.plans.actions_common import Changes
from tandem.plans.models import Plan
from tandem.plans.readiness import PlanNotReady
from tandem.revisions import actions
from tandem.revisions.models import RevisionRequest

# (parent email, child index, reason, proposed change, days ago, outcome)
REQUESTS = (
    (
        PARENT,
        0,
        "Reading homework takes two hours every night and ends in tears. The reading goal "
        "does not seem to be working.",
        "More small-group reading time at school, and shorter reading homework.",
        3,
        "",
    ),
    (
        PARENT,
        0,
        "The speech sessions clash with math, so my son misses new math lessons.",
        "Move speech to another time of day.",
        30,
        "amend",
    ),
    (
        MADRE,
        0,
        "Mi hija no entiende las tareas de matemáticas y dice que en clase va muy rápido.",
        "Más apoyo en matemáticas y tareas en español.",
        16,
        "",
    ),
)


def _children(email: str) -> list[Any]:
    return [
        link.student
        for link in StudentGuardian.objects.filter(
            guardian__user__email=email, educational_rights_holder=True
        )
        .select_related("student__district", "guardian__user")
        .order_by("-student__date_of_birth", "student_id")
    ]


def _amend_speech(
    manager: User, rr: RevisionRequest, *, agreed: Any, log: Callable[[str], None]
) -> None:
    """The case manager answers by amending the plan: speech after math, agreed in writing."""
    plan = Plan.objects.active_for(rr.student)
    speech = (
        plan.services.filter(name__icontains="speech").order_by("id").first()
        if plan is not None
        else None
    )
    if speech is None:
        log("  revision request left open: no speech service to move")
        return
    try:
        with transaction.atomic(), clock.fixed(agreed):
            actions.amend_for_request(
                actor=manager,
                revision=rr,
                changes=Changes(
                    update_services={speech.public_id: {"setting": "Speech room, after math"}}
                ),
                parent_agreement_date=agreed,
                reason="Speech moves to the afternoon, after math, as the parent asked. The "
                "parent agreed in writing to amend without a meeting.",
                today=agreed,
            )
    except (ValidationError, PermissionDenied, Http404, PlanNotReady) as error:
        log(f"  revision request left open: {error}")


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Open and resolved revision requests for the children of parent@ and madre@."""
    started = time.perf_counter()
    kids = {email: _children(email) for email in (PARENT, MADRE)}
    everyone = [s for group in kids.values() for s in group]
    if not everyone or RevisionRequest.objects.filter(student__in=everyone).exists():
        log("  revision requests: nothing to add")
        return
    users = {u.email: u for u in User.objects.filter(email__in=[PARENT, MADRE, CASE_MANAGER])}
    made = 0
    with transaction.atomic():
        for email, index, reason, change, days_ago, outcome in REQUESTS:
            if index >= len(kids[email]) or email not in users:
                continue
            student = kids[email][index]
            rr = actions.open_revision_request(
                actor=users[email], student=student, reason=reason, proposed_change=change
            )
            when = clock.now() - timedelta(days=days_ago)
            RevisionRequest.objects.filter(pk=rr.pk).update(created_at=when, acknowledged_at=when)
            deadlines.redate_deadlines(
                source=(actions.SOURCE_TYPE, str(rr.public_id)),
                trigger_on=when.date(),
                due_on=when.date() + timedelta(days=actions.threshold_days(student)),
            )
            manager = rr.case_manager or users.get(CASE_MANAGER)
            if outcome == "amend" and manager is not None:
                _amend_speech(manager, rr, agreed=when.date() + timedelta(days=2), log=log)
            made += 1
    log(f"  {made} revision requests ({time.perf_counter() - started:.1f} s)")
