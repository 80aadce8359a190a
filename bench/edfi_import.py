"""Ed-Fi import of the Grand Bend sample (../shared/fixtures/edfi-grand-bend): seconds.

    .venv/bin/python bench/edfi_import.py
    .venv/bin/python bench/edfi_import.py --path /srv/edfi/export/   # another export

Migrates a throwaway SQLite database, makes a new district with one district administrator,
and times the dry run, the apply (960 students, 100 plans with their deadlines) and the same
export applied again (which must change nothing). Prints seconds and the counts of each step.
"""

from __future__ import annotations

import shutil
import time

from grand_bend import arguments, district_with_administrator, throwaway_django


def main() -> None:
    args = arguments(__doc__.splitlines()[0], keep="the database")
    work = throwaway_django("tandem-edfi-")
    from tandem.core import clock
    from tandem.interop import actions_edfi, edfi_import
    from tandem.interop.edfi_xml import Source
    from tandem.people.models import Student
    from tandem.plans.models import Plan

    district, actor = district_with_administrator()

    def step(label: str, fn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        counts = {k: (t.added, t.changed, t.unchanged, t.refused) for k, t in result.counts.items()}
        print(f"{label}: {seconds:.2f} s; (added, changed, unchanged, refused) {counts}; "
              f"in force {dict(result.in_force)}, ended {dict(result.ended)}; "
              f"problems {result.problem_count}")  # fmt: skip
        return result

    with clock.fixed(clock.today()):
        step("dry run", lambda: edfi_import.plan(Source(args.path), district, today=clock.today()))
        for label in ("apply", "apply again (unchanged)"):
            step(label, lambda: actions_edfi.import_edfi(source=Source(args.path),
                                                         district=district, actor=actor))  # fmt: skip
    print(f"students {Student.objects.count():,}, plans {Plan.objects.count():,}")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
