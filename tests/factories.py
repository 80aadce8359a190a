"""Small builders for test worlds: plain functions over the real models."""

from __future__ import annotations

import itertools
from datetime import date

from tandem.access.models import User
from tandem.people.models import District, School, Staff, StaffRole, Student

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery"


def make_district(*, name: str, state: str, slug: str) -> District:
    return District.objects.create(name=name, state=state, slug=slug)


def make_school(
    district: District, *, name: str, code: str, low: str = "K", high: str = "5"
) -> School:
    return School.objects.create(
        district=district, name=name, code=code, lowest_grade=low, highest_grade=high
    )


def make_user(email: str, *, first: str = "Pat", last: str = "Lee", language: str = "en") -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first, last_name=last
    )
    user.preferred_language = language
    user.save()
    return user


def make_staff(email: str, roles: list[tuple[str, District, School | None]], **names) -> Staff:  # type: ignore[no-untyped-def]
    staff = Staff.objects.create(user=make_user(email, **names))
    for role, district, school in roles:
        StaffRole.objects.create(
            staff=staff, role=role, district=district, school=school, start_date=date(2020, 7, 1)
        )
    return staff


def make_student(school: School, *, first: str, last: str, grade: str = "3", **extra) -> Student:  # type: ignore[no-untyped-def]
    n = next(_counter)
    return Student.objects.create(
        district=school.district,
        school=school,
        sis_id=extra.pop("sis_id", f"S{n:06d}"),
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=extra.pop("date_of_birth", date(2017, 3, 14)),
        grade=grade,
        enrollment_date=extra.pop("enrollment_date", date(2022, 8, 20)),
        sex=extra.pop("sex", "F"),
        **extra,
    )
