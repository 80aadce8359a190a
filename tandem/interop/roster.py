"""What a OneRoster file means for a district: the plan (added, changed, ended per kind) and,
when applying, the writes themselves, from one pass over the files in dependency order.

The dry run and the application run the same code; only `apply` decides whether the planned rows
are written, so what the dry run shows is what applying does. Existing rows are read once into
compact maps (SIS id -> key and compared values); files are streamed row by row.

Matching: students by `Student.sis_id` (the OneRoster sourcedId; unique in a district, so a
match never duplicates a student); everything else by `ExternalId(kind, sis_id)`; schools also
by their code (`identifier`), staff also by their email, so existing records are adopted, not
copied. `tobedeleted`, and absence from a file the manifest declares `bulk`, END what the SIS
brought in (enrolments, class sections, staff roles: end dates); nothing is deleted.

Only the application writes, and only through `tandem.interop.actions` (atomic, audited).

The passes, one module each, share a `Run` (`roster_run`): `roster_orgs` (orgs, academic
sessions), `roster_users` (users, with `roster_writes` and `roster_links`), `roster_classes`
(classes, enrollments). They run in dependency order and are called through their modules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tandem.interop import roster_classes, roster_orgs, roster_users
from tandem.interop.models import ExternalId
from tandem.interop.oneroster import Source
from tandem.interop.roster_run import Result, Run
from tandem.people.models import District


def plan(
    source: Source,
    district: District,
    *,
    today: date,
    apply: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> Result:
    """Read the source against the district; with `apply`, write (the caller holds the
    transaction: see `tandem.interop.actions.import_roster`). `progress(file, rows)` is told
    every 10,000 rows."""
    run = Run(source, district, today=today, apply=apply, progress=progress)
    for e in ExternalId.objects.filter(district=district).values_list(
        "kind", "sis_id", "object_id"
    ):
        run.ext[e[0]][e[1]] = e[2]
    _read_manifest(run)
    roster_orgs.orgs(run)
    roster_orgs.sessions(run)
    roster_users.users(run)
    roster_classes.classes(run)
    roster_classes.enrollments(run)
    return run.result


def _read_manifest(run: Run) -> None:
    if not run.source.has("manifest"):
        run.problem("manifest", 0, "", "", "no manifest.csv: every file is read as a delta "
                    "(records missing from it are not ended)", fatal=False)  # fmt: skip
        return
    for key, value in run.source.manifest().items():
        if key.startswith("file.") and value.strip().lower() == "bulk":
            run.bulk.add(key[5:].lower())
