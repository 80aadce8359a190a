"""The students API's answers as JSON: a summary, the full record a reader sees, and the record
as the district keeps it (the roster writes' answer)."""

from __future__ import annotations

from datetime import date

from tandem.access import queries
from tandem.access.policy import Access
from tandem.people.models import Enrollment, Student


def summary(student: Student) -> dict[str, object]:
    return {
        "id": student.public_id,
        "sis_id": student.sis_id,
        "state_id": student.state_id,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "legal_name": student.legal_name,
        "date_of_birth": student.date_of_birth,
        "grade": student.grade,
        "school": {"id": student.school.public_id, "name": student.school.name},
    }


def detail(access: Access, *, today: date) -> dict[str, object]:
    """One student's record as the API gives it: profile, guardians, team and enrollment.

    A parent is not given the phone and email of a guardian without educational rights (null).
    """
    student = access.student
    people = queries.overview_for(student, today=today)
    guardians = access.mark_contacts(people["guardians"])  # type: ignore[arg-type]
    return {
        **summary(student),
        "district": student.district.name,
        "enrollment_date": student.enrollment_date,
        "exit_date": student.exit_date,
        "home_language": student.home_language,
        "english_learner": student.english_learner,
        "sex": student.sex,
        "federal_race_ethnicity": student.federal_race_ethnicity,
        "guardians": [
            {
                "id": link.guardian.public_id,
                "name": str(link.guardian),
                "relationship": link.relationship,
                "educational_rights_holder": link.educational_rights_holder,
                "preferred_language": link.guardian.preferred_language,
                "email": link.guardian.email if link.contact_shown else None,  # type: ignore[attr-defined]
                "phone": link.guardian.phone if link.contact_shown else None,  # type: ignore[attr-defined]
            }
            for link in guardians
        ],
        "team": [
            {
                "name": str(member.staff),
                "role": member.role,
                "start_date": member.start_date,
                "end_date": member.end_date,
            }
            for member in people["team"]  # type: ignore[attr-defined]
        ],
        "enrollments": [
            {
                "school": {"id": e.school.public_id, "name": e.school.name},
                "grade": e.grade,
                "entry_date": e.entry_date,
                "exit_date": e.exit_date,
            }
            for e in people["enrollments"]  # type: ignore[attr-defined]
        ],
    }


def record(student: Student) -> dict[str, object]:
    """The student as the district keeps them: every field a roster write may set."""
    return {
        "id": student.public_id,
        "sis_id": student.sis_id,
        "state_id": student.state_id,
        "district": student.district.public_id,
        "school": {"id": student.school.public_id, "name": student.school.name},
        "grade": student.grade,
        **{name: getattr(student, name) for name in RECORD_FIELDS},
    }


RECORD_FIELDS = (
    "legal_first_name",
    "legal_middle_name",
    "legal_last_name",
    "preferred_first_name",
    "preferred_last_name",
    "date_of_birth",
    "sex",
    "enrollment_date",
    "exit_date",
    "home_language",
    "english_learner",
    "hispanic_latino",
    "race_american_indian",
    "race_asian",
    "race_black",
    "race_pacific_islander",
    "race_white",
)


def enrollment(stay: Enrollment, *, student: Student, changed: bool) -> dict[str, object]:
    return {
        "student": student.public_id,
        "school": {"id": stay.school.public_id, "name": stay.school.name},
        "grade": stay.grade,
        "entry_date": stay.entry_date,
        "exit_date": stay.exit_date,
        "exit_reason": stay.exit_reason,
        "changed": changed,
    }
