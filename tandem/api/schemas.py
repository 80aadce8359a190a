from __future__ import annotations

from datetime import date
from uuid import UUID

from ninja import Schema


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
