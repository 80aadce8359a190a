"""Ed-Fi export: schools, students and their enrolments (studentSchoolAssociations), as the
Ed-Fi ODS/API resources of Data Standard 5.2 write them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tandem.interop import edfi_codes as codes
from tandem.interop.edfi_codes import uri
from tandem.interop.edfi_export_refs import CHUNK, Out, clean, iso, student_ref
from tandem.people.models import Enrollment, School

STUDENT_FIELDS = ("pk", "sis_id", "legal_first_name", "legal_middle_name", "legal_last_name",
                  "preferred_first_name", "preferred_last_name", "date_of_birth", "sex")  # fmt: skip


def _grades(low: str, high: str) -> list[str]:
    order = codes.GRADE_ORDER
    if low not in order or high not in order:
        return []
    return order[order.index(low) : order.index(high) + 1]


def schools(out: Out) -> Iterator[dict[str, Any]]:
    for school in School.objects.filter(district=out.district).order_by("pk"):
        levels = [codes.descriptor(codes.GRADE, g) for g in
                  _grades(school.lowest_grade, school.highest_grade)]  # fmt: skip
        yield clean({
            "schoolId": out.school_ids[school.pk],
            "nameOfInstitution": school.name,
            "educationOrganizationCategories": [{"educationOrganizationCategoryDescriptor":
                uri("EducationOrganizationCategoryDescriptor", "School")}],
            "gradeLevels": [{"gradeLevelDescriptor": uri("GradeLevelDescriptor", g)}
                            for g in levels if g],
            "localEducationAgencyReference": {"localEducationAgencyId": out.lea_id},
        })  # fmt: skip


def students(out: Out) -> Iterator[dict[str, Any]]:
    """Every student in reach; each one written is named in the export's audit event."""
    rows = out.students.order_by("pk").values_list(*STUDENT_FIELDS)
    for pk, uid, first, middle, last, pfirst, plast, born, sex in rows.iterator(CHUNK):
        out.listed.append(pk)
        sex_code = codes.descriptor(codes.SEX, sex)
        yield clean({
            "studentUniqueId": uid,
            "firstName": first,
            "middleName": middle,
            "lastSurname": last,
            "preferredFirstName": pfirst,
            "preferredLastSurname": plast,
            "birthDate": iso(born),
            "birthSexDescriptor": uri("SexDescriptor", sex_code) if sex_code else None,
        })  # fmt: skip


def student_school_associations(out: Out) -> Iterator[dict[str, Any]]:
    rows = (Enrollment.objects.filter(student__in=out.students).order_by("pk")
            .values_list("student__sis_id", "school_id", "grade", "entry_date", "exit_date"))  # fmt: skip
    for uid, school_id, grade, entry, left in rows.iterator(CHUNK):
        level = codes.descriptor(codes.GRADE, grade)
        yield clean({
            "studentReference": student_ref(uid),
            "schoolReference": {"schoolId": out.school_ids[school_id]},
            "entryDate": iso(entry),
            "entryGradeLevelDescriptor": uri("GradeLevelDescriptor", level) if level else None,
            "exitWithdrawDate": iso(left),
        })  # fmt: skip
