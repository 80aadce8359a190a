"""Typed bodies and answers of the roster writes: students, enrolments, staff and assignments.

Every input refuses fields it does not know (422 naming them): a field sent but ignored would
read as saved. A text field is bounded by its column, which is narrower than the house's
limits for names (tandem.core.limits), so a long value is a 422, never a database error. In a
PATCH body a field left out is unchanged; null is refused, since no field here can be empty.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Model
from ninja import Schema
from pydantic import ConfigDict, Field

from tandem.accounts.models import User
from tandem.api.schemas import ErrorDetail, SchoolRef
from tandem.core import limits
from tandem.people.models import (
    Enrollment,
    Grade,
    ProviderAssignment,
    Role,
    Sex,
    Staff,
    Student,
)
from tandem.people.team import REASON_MAX


def column(model: type[Model], name: str) -> int:
    """The column's width, or the house's limit for a name if that is narrower."""
    width = getattr(model._meta.get_field(name), "max_length", None) or limits.NAME
    return min(int(width), limits.NAME)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


def _left_out() -> Any:
    """A PATCH field's default: left out, unchanged (null itself is refused by the type)."""
    return Field(None)


def _text(model: type[Model], name: str, default: Any = ..., *, required: bool = False) -> Any:
    return Field(default, min_length=1 if required else 0, max_length=column(model, name))


class StudentChange(Strict):
    """A student's record as the district keeps it; each field left out is unchanged."""

    legal_first_name: str = _text(Student, "legal_first_name", None, required=True)
    legal_middle_name: str = _text(Student, "legal_middle_name", None)
    legal_last_name: str = _text(Student, "legal_last_name", None, required=True)
    preferred_first_name: str = _text(Student, "preferred_first_name", None)
    preferred_last_name: str = _text(Student, "preferred_last_name", None)
    date_of_birth: date = _left_out()
    sex: Sex = _left_out()
    state_id: str = _text(Student, "state_id", None)
    home_language: str = _text(Student, "home_language", None, required=True)
    english_learner: bool = _left_out()
    hispanic_latino: bool = _left_out()
    race_american_indian: bool = _left_out()
    race_asian: bool = _left_out()
    race_black: bool = _left_out()
    race_pacific_islander: bool = _left_out()
    race_white: bool = _left_out()


class StudentIn(Strict):
    """A new student, enrolled at `school` from `entry_date` (today when left out)."""

    sis_id: str = _text(Student, "sis_id", required=True)
    school: UUID
    grade: Grade
    entry_date: date | None = None
    legal_first_name: str = _text(Student, "legal_first_name", required=True)
    legal_middle_name: str = _text(Student, "legal_middle_name", "")
    legal_last_name: str = _text(Student, "legal_last_name", required=True)
    preferred_first_name: str = _text(Student, "preferred_first_name", "")
    preferred_last_name: str = _text(Student, "preferred_last_name", "")
    date_of_birth: date
    sex: Sex
    state_id: str = _text(Student, "state_id", "")
    home_language: str = _text(Student, "home_language", "English", required=True)
    english_learner: bool = False
    hispanic_latino: bool = False
    race_american_indian: bool = False
    race_asian: bool = False
    race_black: bool = False
    race_pacific_islander: bool = False
    race_white: bool = False


class StudentRecord(Schema):
    id: UUID
    sis_id: str
    state_id: str
    district: UUID
    school: SchoolRef
    grade: str
    legal_first_name: str
    legal_middle_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    date_of_birth: date
    sex: str
    enrollment_date: date
    exit_date: date | None
    home_language: str
    english_learner: bool
    hispanic_latino: bool
    race_american_indian: bool
    race_asian: bool
    race_black: bool
    race_pacific_islander: bool
    race_white: bool


class EnrollmentIn(Strict):
    school: UUID
    grade: Grade
    entry_date: date | None = Field(None, description="Today when left out")


class EnrollmentEndIn(Strict):
    end_date: date | None = Field(None, description="The last day; today when left out")
    reason: str = _text(Enrollment, "exit_reason", "")


class EnrollmentRecord(Schema):
    student: UUID
    school: SchoolRef
    grade: str
    entry_date: date
    exit_date: date | None
    exit_reason: str
    # False when the request changed nothing: the same enrolment, or the same end, again
    changed: bool


class RoleIn(Strict):
    role: Role
    school: UUID | None = Field(None, description="A school of the district; none: district-wide")
    district: UUID | None = Field(
        None, description="Needed only by an administrator of several districts, with no school"
    )
    start_date: date | None = Field(None, description="Today when left out")


class RoleEndIn(Strict):
    role: Role
    school: UUID | None = None
    district: UUID | None = None
    end_date: date | None = Field(None, description="The last day in the role; today if left out")


class StaffChange(Strict):
    """A member of staff's name and details; each field left out is unchanged."""

    first_name: str = _text(User, "first_name", None, required=True)
    last_name: str = _text(User, "last_name", None, required=True)
    title: str = _text(Staff, "title", None)
    employer: str = _text(Staff, "employer", None)
    phone: str = _text(Staff, "phone", None)


class StaffIn(Strict):
    email: str = Field(
        ..., min_length=3, max_length=column(User, "email"), description="Sign-in; matched"
    )
    first_name: str = _text(User, "first_name", required=True)
    last_name: str = _text(User, "last_name", required=True)
    title: str = _text(Staff, "title", "")
    employer: str = _text(Staff, "employer", "")
    phone: str = _text(Staff, "phone", "")
    roles: list[RoleIn] = Field(..., min_length=1, max_length=20)


class RoleOut(Schema):
    role: str
    district: UUID
    school: SchoolRef | None
    start_date: date
    end_date: date | None


class StaffRecord(Schema):
    id: UUID
    email: str
    first_name: str
    last_name: str
    title: str
    employer: str
    phone: str
    # The roles in the districts the caller administers, ended ones included
    roles: list[RoleOut]
    # False when the request changed nothing, or linked a person already on record elsewhere
    created: bool


class StaffRoleRecord(RoleOut):
    staff: UUID
    changed: bool


class CaseManagerIn(Strict):
    staff: UUID
    start_date: date | None = Field(None, description="Today when left out")


class CaseManagerEndIn(Strict):
    staff: UUID
    end_date: date | None = Field(None, description="Their last day; today when left out")
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class ProviderIn(Strict):
    staff: UUID
    service_area: str = _text(ProviderAssignment, "service_area", required=True)
    start_date: date | None = Field(None, description="Today when left out")


class ProviderEndIn(Strict):
    staff: UUID
    service_area: str = _text(ProviderAssignment, "service_area", required=True)
    end_date: date | None = Field(None, description="Their last day; today when left out")


class AssignmentRecord(Schema):
    student: UUID
    staff: UUID
    service_area: str | None  # a provider's; none for the case manager
    start_date: date
    end_date: date | None
    changed: bool


class ConflictDetail(ErrorDetail):
    existing_id: UUID


class ConflictOut(Schema):
    """409: the district already has this student (SIS id) or member of staff (email)."""

    error: ConflictDetail
