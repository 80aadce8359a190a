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

import shutil
import time
import zipfile

from grand_bend import arguments, district_with_administrator, throwaway_django


def main() -> None:
    args = arguments(__doc__.splitlines()[0], keep="the database and the zip")
    work = throwaway_django("tandem-edfi-roundtrip-")
    from tandem.interop import actions_edfi, edfi_compare
    from tandem.interop.edfi_xml import Source
    from tandem.people.models import Student

    district, actor = district_with_administrator()

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
