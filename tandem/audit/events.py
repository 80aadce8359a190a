"""The audit log's only write path: one event per read or write of student data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tandem.accounts.models import AuditEvent, AuditListing, User
from tandem.audit import chain, context, listings
from tandem.audit.catalogue import Action


def record(
    *,
    actor: User | None,
    action: str,
    student: Model | None = None,
    district: Model | None = None,
    target: Model | None = None,
    detail: dict[str, Any] | None = None,
    purpose: str | None = None,
    students: Iterable[int | Model] | None = None,
    district_id: int | None = None,
) -> AuditEvent:
    """Append one event; the request's channel, address and stated purpose come from context.

    One INSERT, chained onto the log's last event in the same statement (tandem/audit/chain.py).
    `students` are the students a list, an export or an API page showed: the event carries their
    count and digest, and one index row each lets "who opened this record" find it.
    """
    if action not in Action._value2member_map_:
        raise ValueError(f"unknown audit action {action!r}: add it to tandem/audit/catalogue.py")
    ctx = context.current()
    if district is not None:
        district_id = district.pk
    elif student is not None:
        district_id = student.district_id  # type: ignore[attr-defined]
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.get_full_name() or actor.email)
        if actor and actor.is_authenticated
        else "",
        action=action,
        district_id=district_id,
        student=student,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(getattr(target, "public_id", None) or getattr(target, "pk", "") or "")
        if target is not None
        else "",
        channel=ctx.channel,
        ip=ctx.ip,
        purpose=(purpose if purpose is not None else ctx.purpose)[:300],
        detail=detail or {},
    )
    if students is None:
        return chain.append(event)
    ids = listings.student_ids(students)
    event.detail = {**event.detail, "students_listed": listings.digest(ids)}
    # One unit with the event; no savepoint of its own (two queries fewer on every list page):
    # if the index rows fail, the request's transaction fails with them.
    with transaction.atomic(savepoint=False):
        chain.append(event)
        AuditListing.objects.bulk_create(
            (AuditListing(event_id=event.pk, student_id=pk) for pk in ids), batch_size=2000
        )
    return event
