"""A district's export and import: time, zip size, rows; and the whole database's online backup.

Usage: python bench/backup_roundtrip.py [--students 600] [--keep DIR]
Migrates a throwaway SQLite database, seeds the demo (seed_demo), exports Riverside, migrates an
empty database and imports the zip into it, runs verify_audit there, and backs up the source
with backup_database. Each step runs as `manage.py` in a process of its own, as an operator would.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(database: Path, media: Path, *args: str) -> tuple[float, str]:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        DEBUG="true",
        SECRET_KEY="bench",
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--keep", default="", help="a folder to work in and leave behind")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="tandem-backup-"))
    work.mkdir(parents=True, exist_ok=True)
    source, target, media = work / "source.sqlite3", work / "restored.sqlite3", work / "media"
    for path in (source, target):
        path.unlink(missing_ok=True)

    manage(source, media, "migrate", "--no-input", "-v0")
    seeded, _ = manage(source, media, "seed_demo", "--students", str(args.students), "--quiet")
    out = work / "riverside.zip"
    exported, export_report = manage(
        source, media, "export_district", "riverside", "--out", str(out)
    )
    manage(target, work / "media-restored", "migrate", "--no-input", "-v0")
    imported, report = manage(target, work / "media-restored", "import_district", str(out))
    verified, audit = manage(target, media, "verify_audit")
    backup = work / "backup.sqlite3"
    backed_up, _ = manage(source, media, "backup_database", "--out", str(backup))

    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        raw = sum(info.file_size for info in archive.infolist())
    rows = sum(manifest["rows"].values())
    print(f"demo seeded ({args.students} students in Riverside): {seeded:.1f} s")
    print(
        f"export_district riverside: {exported:.1f} s (process included), {rows:,} rows in "
        f"{len(manifest['rows'])} tables, zip {out.stat().st_size / 1e6:.2f} MB "
        f"({raw / 1e6:.1f} MB uncompressed)"
    )
    print("  " + export_report.strip().splitlines()[0])
    print(f"import_district into an empty database: {imported:.1f} s (process included)")
    print("  " + report.strip().splitlines()[-1])
    print(f"verify_audit on the restored database: {verified:.1f} s: {audit.strip()}")
    print(
        f"backup_database (SQLite online backup): {backed_up:.1f} s, "
        f"{backup.stat().st_size / 1e6:.1f} MB (source {source.stat().st_size / 1e6:.1f} MB)"
    )
    print(f"files in {work}" if args.keep else "")


if __name__ == "__main__":
    main()
