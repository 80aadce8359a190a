"""Seeding at scale: `manage.py seed_demo --students 100000` on a fresh SQLite database.

Migrates a new database file, runs the seed in a subprocess and reports its wall time and peak
memory (max RSS of that process), then times a second run (which must find the demo and stop).
The budget is 180 s on two cores.

Run: python bench/seed_100k.py [--students 100000] [--seed 2026] [--db PATH | --keep] [--quiet]
                              [--sessions 2000000]

--sessions N then logs N student-session rows of service (bench/seed_sessions.py: bulk, no
actions, groups of 1-4, signed, over the school year up to demo today) and reports its time.

Without --db the database lives in a temporary folder that is removed afterwards unless --keep
is given; either way its path is printed, so other bench scripts can reuse the seeded database
with DATABASE_URL=sqlite:///PATH.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 180.0


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run `manage.py ARGS`; return wall seconds and the child's peak RSS in KiB."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed with exit code {proc.returncode}")
    return elapsed, usage.ru_maxrss  # KiB on Linux


def run_script(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run `python ARGS` from the repository; return wall seconds and peak RSS in KiB."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return time.perf_counter() - started, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, help="database file to create (kept); must not exist")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--quiet", action="store_true", help="no progress lines from seed_demo")
    parser.add_argument("--sessions", type=int, default=0, help="student-session rows to log")
    args = parser.parse_args()

    if args.db is not None:
        db = args.db.resolve()
        if db.exists():
            parser.error(f"--db {db}: the file exists; choose a new path")
        db.parent.mkdir(parents=True, exist_ok=True)
        folder = None
    else:
        folder = Path(tempfile.mkdtemp(prefix="tandem-seed-bench-"))
        db = folder / "bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    print(f"database: {db}", flush=True)
    try:
        migrate_s, migrate_kib = run(["migrate", "--verbosity", "0"], env)
        print(f"migrate: {migrate_s:.1f} s", flush=True)
        seed_args = ["seed_demo", "--students", str(args.students), "--seed", str(args.seed)]
        seed_s, seed_kib = run([*seed_args, *(["--quiet"] if args.quiet else [])], env)
        again_s, _ = run([*seed_args, "--quiet"], env)
        if args.sessions:
            sessions_s, sessions_kib = run_script(
                ["bench/seed_sessions.py", "--db", str(db), "--sessions", str(args.sessions)], env
            )
        children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    finally:
        if folder is not None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    size = f"{db.stat().st_size / 2**20:.0f} MiB" if db.exists() else "removed"
    print()
    print(f"seed_demo --students {args.students:,}: {seed_s:.1f} s (budget {BUDGET_SECONDS:.0f} s)")
    print(
        f"peak memory: {seed_kib / 1024:.0f} MiB (seed_demo); "
        f"{migrate_kib / 1024:.0f} MiB (migrate); "
        f"RUSAGE_CHILDREN max {children_kib / 1024:.0f} MiB"
    )
    print(f"second run (finds the demo, adds nothing): {again_s:.1f} s")
    if args.sessions:
        print(
            f"sessions ({args.sessions:,} rows): {sessions_s:.1f} s, {sessions_kib / 1024:.0f} MiB"
        )
    print(f"database: {db} ({size})")
    if folder is None or args.keep:
        print(f"reuse it with DATABASE_URL=sqlite:///{db}")
    return 0 if seed_s <= BUDGET_SECONDS else 2


if __name__ == "__main__":
    sys.exit(main())
