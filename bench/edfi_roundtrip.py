"""The Ed-Fi round trip on the Grand Bend sample (../shared/fixtures/edfi-grand-bend): seconds.

    .venv/bin/python bench/edfi_roundtrip.py
    .venv/bin/python bench/edfi_roundtrip.py --path /srv/edfi/export/   # another export

Migrates a throwaway SQLite database, makes a new district with one district administrator,
imports the XML interchanges, exports the district as Ed-Fi JSON, and compares the export with
the XML (tandem/interop/edfi_compare.py, the check tests/interop/test_edfi_roundtrip.py makes).
Prints the import and export seconds, the export's size and counts, and the differences found
(the first 20 of them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = Path(os.environ.get("TANDEM_SHARED", ROOT.parent / "shared")) / "fixtures/edfi-grand-bend"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=SAMPLE)
    parser.add_argument("--keep", action="store_true", help="keep the database and the zip")
    args = parser.parse_args()
    if not args.path.is_dir():
        sys.exit(f"no Ed-Fi export at {args.path}")

    work = Path(tempfile.mkdtemp(prefix="tandem-edfi-roundtrip-"))
    db = work / "bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    os.environ.update({"DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from tandem.accounts.models import User
    from tandem.interop import actions_edfi, edfi_compare
    from tandem.interop.edfi_xml import Source
    from tandem.people.models import District, Role, Staff, StaffRole, Student

    district = District.objects.create(name="Grand Bend ISD", slug="grand-bend", state="TX")
    actor = User.objects.create_user(email="director@grandbend.example", password=None)  # type: ignore[no-untyped-call]
    StaffRole.objects.create(staff=Staff.objects.create(user=actor), district=district,
                             role=Role.DISTRICT_ADMIN, start_date=date(2020, 7, 1))  # fmt: skip

    start = time.perf_counter()
    actions_edfi.import_edfi(source=Source(args.path), district=district, actor=actor)
    imported = time.perf_counter() - start
    print(f"import: {imported:.2f} s")

    out = work / "grand-bend-edfi.zip"
    start = time.perf_counter()
    with open(out, "wb") as target:
        manifest = actions_edfi.export_edfi(actor=actor, district=district, target=target,
                                            students=Student.objects.filter(district=district))  # fmt: skip
    exported = time.perf_counter() - start
    print(f"export: {exported:.2f} s; {out.stat().st_size / 1024:.0f} KiB; "
          + ", ".join(f"{name} {n:,}" for name, n in manifest.counts.items()))  # fmt: skip

    start = time.perf_counter()
    with zipfile.ZipFile(out) as archive:
        found = edfi_compare.differences(Source(args.path), archive)
    print(f"compare: {time.perf_counter() - start:.2f} s; differences found: {len(found)}")
    for difference in found[:20]:
        print(f"  {difference}")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
