"""The reads records pages need, with their query counts pinned by tests."""

from __future__ import annotations

from django.db.models import QuerySet

from tandem.people.models import Student
from tandem.records.models import Disclosure, RecordsRequest, RequestStatus


def disclosures(student: Student) -> QuerySet[Disclosure]:
    """The record of disclosures (99.32), newest first: for the parent and the record keepers."""
    return Disclosure.objects.filter(student=student).select_related("released_by")


def requests_of(student: Student) -> QuerySet[RecordsRequest]:
    return RecordsRequest.objects.filter(student=student).order_by("-requested_on", "-id")


def requests() -> QuerySet[RecordsRequest]:
    """For the gatekeeper: a request with its student."""
    return RecordsRequest.objects.select_related("student__school", "student__district")


def open_requests(students: QuerySet[Student]) -> QuerySet[RecordsRequest]:
    """Open requests of `students` (from the policy), soonest due first."""
    return (
        requests().filter(student__in=students, status=RequestStatus.OPEN).order_by("due_on", "id")
    )
