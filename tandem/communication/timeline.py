"""Everything between the team and a family in one list, newest first: portal messages, the
contacts in the log (calls, meetings in person, letters) and the documents sent to the portal.
Three reads, merged in Python: a family's history is hundreds of entries, not millions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from tandem.communication.models import ContactEntry, Delivery, Message
from tandem.people.models import Student

KINDS = ("message", "contact", "document")
LIMIT = 300  # of each kind: the most recent; older entries stay in the log and its CSV


@dataclass(frozen=True)
class Entry:
    kind: str  # one of KINDS
    at: datetime  # for ordering; a contact's day is placed at the end of that day
    day: date
    obj: Any

    @property
    def is_message(self) -> bool:
        return self.kind == "message"

    @property
    def is_contact(self) -> bool:
        return self.kind == "contact"

    @property
    def is_document(self) -> bool:
        return self.kind == "document"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def timeline(student: Student, *, kind: str = "") -> list[Entry]:
    """The family's history with the team, newest first, optionally of one kind."""
    entries: list[Entry] = []
    if kind in ("", "message"):
        for m in (
            Message.objects.filter(student=student)
            .select_related("author")
            .order_by("-sent_at", "-id")[:LIMIT]
        ):
            entries.append(Entry("message", _local(m.sent_at), _local(m.sent_at).date(), m))
    if kind in ("", "contact"):
        zone = timezone.get_current_timezone()
        for c in (
            ContactEntry.objects.filter(student=student)
            .select_related("staff", "follow_up_owner")
            .order_by("-contacted_on", "-id")[:LIMIT]
        ):
            end_of_day = datetime.combine(c.contacted_on, time.max, tzinfo=zone)
            entries.append(Entry("contact", end_of_day, c.contacted_on, c))
    if kind in ("", "document"):
        for d in (
            Delivery.objects.filter(student=student)
            .select_related("guardian")
            .order_by("-delivered_at", "-id")[:LIMIT]
        ):
            local = _local(d.delivered_at)
            entries.append(Entry("document", local, local.date(), d))
    entries.sort(key=lambda e: (e.at, e.obj.pk), reverse=True)
    return entries
