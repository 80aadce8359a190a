"""Ed-Fi import of the Grand Bend sample (../shared/fixtures/edfi-grand-bend): seconds.

    .venv/bin/python bench/edfi_import.py
    .venv/bin/python bench/edfi_import.py --path /srv/edfi/export/   # another export

Migrates a throwaway SQLite database, makes a new district with one district administrator,
and times the dry run, the apply (960 students, 100 plans with their deadlines) and the same
export applied again (which must change nothing). Prints seconds and the counts of each step.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = Path(os.environ.get("TANDEM_SHARED", ROOT.parent / "shared")) / "fixtures/edfi-grand-bend"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=SAMPLE)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if not args.path.is_dir():
        sys.exit(f"no Ed-Fi export at {args.path}")

    work = Path(tempfile.mkdtemp(prefix="tandem-edfi-"))
    db = work / "bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    os.environ.update({"DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from tandem.accounts.models import User
    from tandem.core import clock
    from tandem.interop import actions_edfi, edfi_import
    from tandem.interop.edfi_xml import Source
    from tandem.people.models import District, Role, Staff, StaffRole, Student
    from tandem.plans.models import Plan

    district = District.objects.create(name="Grand Bend ISD", slug="grand-bend", state="TX")
    actor = User.objects.create_user(email="director@grandbend.example", password=None)
    StaffRole.objects.create(staff=Staff.objects.create(user=actor), district=district,
                             role=Role.DISTRICT_ADMIN, start_date=date(2020, 7, 1))  # fmt: skip

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
        print(f"kept {db}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
