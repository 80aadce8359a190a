"""Template helpers for the meetings section of the student page."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template

from tandem.core import clock
from tandem.meetings.models import Meeting, MeetingStatus

register = template.Library()

RECENT = timedelta(days=60)


@register.simple_tag
def student_meetings(student):  # type: ignore[no-untyped-def]
    """Upcoming meetings and those of the last 60 days (the page already passed the policy)."""
    since = clock.now() - RECENT
    return list(
        Meeting.objects.filter(student=student, ends_at__gte=since)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("invitees")
        .order_by("starts_at", "id")[:10]
    )


@register.filter
def moment(value: object) -> datetime | None:
    """A time the family asked for, stored as ISO text, as a datetime the page can format
    (`{{ p.starts_at|moment|timezone:tz|date:"DATETIME_FORMAT" }}`); None if unreadable."""
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
