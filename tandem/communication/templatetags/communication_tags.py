from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from tandem.communication.models import ContactEntry, ContactMethod, Delivery, Message
from tandem.people.models import Student

register = template.Library()


def _count(qs: Any) -> Any:
    return Coalesce(
        Subquery(
            qs.order_by().values("student_id").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def section_figures(student: Any, user: Any) -> dict[str, Any]:
    """Unread messages, the last contact and the family's documents, in one query."""
    contact = ContactEntry.objects.filter(student=OuterRef("pk")).order_by("-contacted_on", "-id")
    row = (
        Student.objects.filter(pk=student.pk)
        .annotate(
            unread=_count(
                Message.objects.filter(student=OuterRef("pk")).exclude(reads__reader=user)
            ),
            last_contact_on=Subquery(contact.values("contacted_on")[:1]),
            last_contact_method=Subquery(contact.values("method")[:1]),
            sent=_count(Delivery.objects.filter(student=OuterRef("pk"))),
            unopened=_count(Delivery.objects.filter(student=OuterRef("pk"), opened_at=None)),
        )
        .values("unread", "last_contact_on", "last_contact_method", "sent", "unopened")
        .first()
    ) or {}
    method = row.get("last_contact_method")
    row["last_contact_label"] = ContactMethod(method).label if method else ""
    return row


@register.inclusion_tag("communication/_section.html")
def communication_section(student: Any, user: Any, can_write: bool = False) -> dict[str, Any]:
    return {"student": student, "f": section_figures(student, user), "can_write": can_write}
