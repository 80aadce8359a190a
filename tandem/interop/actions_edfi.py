"""The Ed-Fi import (a district's earlier special-education and 504 records, applied all or
nothing) and the Ed-Fi export (the district's records given out), each audited."""

from __future__ import annotations

from datetime import date
from typing import IO

from django.db import transaction
from django.db.models import QuerySet

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.interop import edfi_export, edfi_import
from tandem.interop.edfi_run import EdfiResult
from tandem.interop.edfi_xml import Source
from tandem.people.models import District, Student
from tandem.plans.models import Plan


def summary(result: EdfiResult) -> dict[str, object]:
    return {
        "counts": result.counts_dict(),
        "problems": result.problem_count,
        "refused_rows": result.refused_rows,
        "in_force": result.in_force,
        "ended": result.ended,
    }


def import_edfi(
    *, source: Source, district: District, actor: User, today: date | None = None
) -> EdfiResult:
    """Apply an Ed-Fi export: all of it or nothing; one audit event for the import, one for
    each student added and one for each plan added or changed. `actor` is the person
    responsible (the plans' author)."""
    today = today or clock.today()
    with transaction.atomic():
        result = edfi_import.plan(source, district, today=today, apply=True, actor=actor)
        audit.record(actor=actor, action=Action.RECORDS__IMPORTED, district=district,
                     detail=summary(result))  # fmt: skip
        students = Student.objects.in_bulk(result.students_added)
        for pk in result.students_added:
            audit.record(actor=actor, action=Action.STUDENT__IMPORTED, student=students[pk],
                         target=students[pk], detail={"by": "Ed-Fi import"})  # fmt: skip
        changed = dict(result.plans_changed)
        plans = Plan.objects.select_related("student").in_bulk(result.plans_added + list(changed))
        for pk, plan in plans.items():
            audit.record(actor=actor, action=Action.PLAN__IMPORTED, student=plan.student,
                         target=plan, detail={"changed": changed[pk]} if pk in changed else {})  # fmt: skip
    return result


def export_edfi(
    *,
    actor: User | None,
    district: District,
    students: QuerySet[Student],
    target: IO[bytes],
    today: date | None = None,
) -> edfi_export.Manifest:
    """Write the district's records as Ed-Fi JSON to `target`; one audit event naming every
    student written (FERPA 99.32: a disclosure of each record)."""
    manifest = edfi_export.write(target, district=district, students=students,
                                 today=today or clock.today())  # fmt: skip
    audit.record(actor=actor, action=Action.RECORDS__EXPORTED, district=district,
                 detail={"standard": "Ed-Fi", "counts": manifest.counts},
                 students=manifest.students)  # fmt: skip
    return manifest
