"""What the records pages show, built from plain values: the views fetch, act and render."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tandem.access.capabilities import Cap
from tandem.access.policy import Access
from tandem.core import clock
from tandem.records import queries
from tandem.records.models import RecordsRequest


def student_url(student: Any) -> str:
    return reverse("records_student", args=[student.public_id])


def student_records(access: Access) -> dict[str, Any]:
    """A student's disclosures and requests, and what the viewer may do with them."""
    student = access.student
    return {
        "student": student,
        "access": access,
        "disclosures": list(queries.disclosures(student)),
        "requests": list(queries.requests_of(student)),
        "keeper": access.has(Cap.KEEP_RECORDS),
        "family": access.has(Cap.ACT_AS_FAMILY),
        "today": clock.today(),
    }


def answer(request: RecordsRequest, access: Access, form: Any) -> dict[str, Any]:
    return {
        "rr": request,
        "student": request.student,
        "access": access,
        "form": form,
        "today": clock.today(),
    }
