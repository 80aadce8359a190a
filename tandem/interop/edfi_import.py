"""What an Ed-Fi export means for a district: schools, students and their special-education and
504 programs as imported plans, from one pass over the interchanges in dependency order.

The dry run and the application run the same code; only `apply` decides whether the rows are
written, so what the dry run shows is what applying does. Only the application writes, and only
through `tandem.interop.actions_edfi` (atomic, audited). The passes: `edfi_people` (schools, the
school year, enrolments, students) and `edfi_programs` (the program associations).
"""

from __future__ import annotations

from datetime import date

from tandem.accounts.models import User
from tandem.interop import edfi_people, edfi_programs
from tandem.interop.edfi_run import EdfiResult, EdfiRun
from tandem.interop.edfi_xml import Source
from tandem.people.models import District


def plan(
    source: Source,
    district: District,
    *,
    today: date,
    apply: bool = False,
    actor: User | None = None,
) -> EdfiResult:
    """Read the export against the district; with `apply`, write (the caller holds the
    transaction: see `tandem.interop.actions_edfi.import_edfi`)."""
    run = EdfiRun(source, district, today=today, apply=apply, actor=actor)
    edfi_people.schools(run)
    edfi_people.school_year(run)
    edfi_people.enrolments(run)
    edfi_people.students(run)
    edfi_programs.programs(run)
    return run.result
