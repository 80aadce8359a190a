from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from ninja import Schema
from pydantic import StringConstraints

from tandem.core import limits

# The API's free-text inputs take their limits from tandem.core.limits, as the forms do (issue
# 16): a longer string is refused 422 naming the field, and the OpenAPI gives its maxLength so a
# client knows before sending. NUL is refused in every string by the parser (parser.py).
Name = Annotated[str, StringConstraints(max_length=limits.NAME)]
Search = Annotated[str, StringConstraints(max_length=limits.SEARCH)]


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorDetail


class SchoolRef(Schema):
    id: UUID
    name: str


class StudentSummary(Schema):
    id: UUID
    sis_id: str
    state_id: str
    first_name: str
    last_name: str
    legal_name: str
    date_of_birth: date
    grade: str
    school: SchoolRef


class GuardianOut(Schema):
    id: UUID
    name: str
    relationship: str
    educational_rights_holder: bool
    preferred_language: str
    # null when withheld: a parent is not given a guardian-without-rights' contact details
    email: str | None
    phone: str | None


class TeamMemberOut(Schema):
    name: str
    role: str
    start_date: date
    end_date: date | None


class EnrollmentOut(Schema):
    school: SchoolRef
    grade: str
    entry_date: date
    exit_date: date | None


class StudentDetail(StudentSummary):
    district: str
    enrollment_date: date
    exit_date: date | None
    home_language: str
    english_learner: bool
    sex: str
    federal_race_ethnicity: str
    guardians: list[GuardianOut]
    team: list[TeamMemberOut]
    enrollments: list[EnrollmentOut]


class StudentPage(Schema):
    items: list[StudentSummary]
    count: int
    page: int
    page_size: int
    pages: int


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents, each in the one error envelope."""
    return dict.fromkeys(codes, ErrorOut)


# What any read may answer besides 200: no or a bad token (401), out of reach (404), a bad
# parameter (422), over the rate limit (429).
READ_ERRORS = errors(401, 404, 422, 429)
# A write also: a body that is not JSON (400), a read-only token or a reader's role (403).
WRITE_ERRORS = errors(400, 401, 403, 404, 422, 429)
