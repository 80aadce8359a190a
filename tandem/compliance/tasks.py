"""Background work for compliance (django-tasks): recomputing deadlines, the daily digest."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from tandem import audit
from tandem.compliance.actions import recompute_district_deadlines
from tandem.compliance.queries import (
    DeadlineStatus,
    digest_deadlines_for,
    staff_with_digest_deadlines,
)
from tandem.people.models import District


@task()
def recompute_deadlines(district_id: int) -> dict[str, int]:
    """Recompute the unmet stored deadlines of one district (after its calendar changed)."""
    district = District.objects.filter(pk=district_id).first()
    if district is None:  # deleted since the task was queued
        return {"checked": 0, "changed": 0, "skipped": 0}
    return recompute_district_deadlines(district=district).as_dict()


@task()
def send_deadline_digests(today: str | None = None) -> int:
    """Email each staff member their students' deadlines that are overdue or due within 14 days.

    `today` is an ISO date (task arguments travel as JSON); it defaults to the server's date.
    Returns the number of emails sent.
    """
    day = date.fromisoformat(today) if today else timezone.localdate()
    link = settings.SITE_URL.rstrip("/") + reverse("deadline_list")
    messages = []
    for staff in staff_with_digest_deadlines(today=day):
        user = staff.user
        deadlines = digest_deadlines_for(user, staff=staff, today=day)
        if not deadlines:
            continue
        overdue = [d for d in deadlines if d.status == DeadlineStatus.OVERDUE]  # type: ignore[attr-defined]
        soon = [d for d in deadlines if d.status != DeadlineStatus.OVERDUE]  # type: ignore[attr-defined]
        context = {
            "user": user,
            "overdue": overdue,
            "soon": soon,
            "total": len(deadlines),
            "today": day,
            "link": link,
        }
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("compliance/email/digest_subject.txt", context)
            message = mail.EmailMultiAlternatives(
                subject=" ".join(subject.split()),
                body=render_to_string("compliance/email/digest.txt", context),
                to=[user.email],
            )
            message.attach_alternative(
                render_to_string("compliance/email/digest.html", context), "text/html"
            )
        messages.append(message)
        for district_id in sorted({d.district_id for d in deadlines}):
            audit.record(
                actor=None,
                action="deadlines.digest_sent",
                district=District(pk=district_id),
                detail={
                    "to": user.email,
                    "deadlines": sum(1 for d in deadlines if d.district_id == district_id),
                },
            )
    if messages:
        with mail.get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
