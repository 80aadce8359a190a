"""Reads for referrals and deadlines, scoped by the one access policy."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.access.models import User
from tandem.access.policy import students_visible_to
from tandem.people.models import School
from tandem.referrals.models import Deadline, DeadlineBasis, Referral

SOON = timedelta(days=14)
LATER = timedelta(days=30)


class DeadlineStatus(models.TextChoices):
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    OVERDUE = "overdue", _("Overdue")
    DUE_14 = "due_14", _("Due within 14 days")
    DUE_30 = "due_30", _("Due within 30 days")
    ON_TRACK = "on_track", _("On track")
    NOT_APPLICABLE = "not_applicable", _("Does not apply")


def deadline_status(deadline: Deadline, today: date) -> DeadlineStatus:
    """Where a stored deadline stands on `today`."""
    if deadline.met_on is not None:
        return DeadlineStatus.MET if deadline.met_on <= deadline.due_on else DeadlineStatus.MET_LATE
    if deadline.status_basis != DeadlineBasis.DUE:
        return DeadlineStatus.NOT_APPLICABLE
    if deadline.due_on < today:
        return DeadlineStatus.OVERDUE
    if deadline.due_on <= today + SOON:
        return DeadlineStatus.DUE_14
    if deadline.due_on <= today + LATER:
        return DeadlineStatus.DUE_30
    return DeadlineStatus.ON_TRACK


def _status_filter(status: str, today: date) -> Q:
    # The same table as deadline_status, in SQL (a test holds the two together).
    unmet = Q(met_on__isnull=True, status_basis=DeadlineBasis.DUE)
    conditions = {
        DeadlineStatus.MET: Q(met_on__isnull=False, met_on__lte=F("due_on")),
        DeadlineStatus.MET_LATE: Q(met_on__isnull=False, met_on__gt=F("due_on")),
        DeadlineStatus.OVERDUE: unmet & Q(due_on__lt=today),
        DeadlineStatus.DUE_14: unmet & Q(due_on__gte=today, due_on__lte=today + SOON),
        DeadlineStatus.DUE_30: unmet & Q(due_on__gt=today + SOON, due_on__lte=today + LATER),
        DeadlineStatus.ON_TRACK: unmet & Q(due_on__gt=today + LATER),
        DeadlineStatus.NOT_APPLICABLE: Q(met_on__isnull=True) & ~Q(status_basis=DeadlineBasis.DUE),
    }
    return conditions[DeadlineStatus(status)]


def referrals_for(user: User, *, today: date | None = None) -> QuerySet[Referral]:
    """The referrals of every student `user` may read, newest first."""
    return (
        Referral.objects.filter(student__in=students_visible_to(user, today=today))
        .select_related("student", "student__school", "created_by")
        .order_by("-received_on", "-id")
    )


def deadlines_visible_to(
    user: User,
    *,
    today: date,
    status: str | None = None,
    school: School | None = None,
    kind: str | None = None,
) -> QuerySet[Deadline]:
    """Stored deadlines of the students `user` may read, soonest first, optionally filtered."""
    deadlines = Deadline.objects.filter(student__in=students_visible_to(user, today=today))
    if status is not None:
        deadlines = deadlines.filter(_status_filter(status, today))
    if school is not None:
        deadlines = deadlines.filter(school=school)
    if kind is not None:
        deadlines = deadlines.filter(kind=kind)
    return deadlines.select_related("student", "school", "district").order_by("due_on", "id")
