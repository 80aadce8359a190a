"""The cost of the audit log's hash chain: one audit write before and after, and verify_audit.

Usage: python bench/audit_chain.py [--writes 2000] [--database-url postgres://...]
Builds a throwaway SQLite database (or migrates the empty database given), then times
`audit.record` against a plain ORM insert of the same row (the write before the chain), both in
autocommit and inside a transaction, and counts the queries of each; then times verify_audit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'audit_chain.sqlite3'}"
    os.environ.update(
        DATABASE_URL=url,
        SECRET_KEY="bench",
        DEBUG="false",
        AXES_ENABLED="false",
        STATIC_MANIFEST="false",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, models, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tandem import audit
    from tandem.accounts.models import AuditEvent, User
    from tandem.audit import chain

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(email="bench@example.org", password="x", first_name="B")
    detail = {"q": "lopez", "page": 1, "students": list(range(25))}

    def plain() -> None:  # what audit.record wrote before the chain: the ORM's INSERT
        event = AuditEvent(
            at=timezone.now(),
            actor=user,
            actor_label="B",
            action="students.searched",
            channel="web",
            ip="127.0.0.1",
            purpose="",
            detail=detail,
        )
        models.Model.save(event)

    def chained() -> None:
        audit.record(actor=user, action="students.searched", detail=detail)

    def timed(write, atomic: bool) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(args.writes):
            start = time.perf_counter()
            if atomic:
                with transaction.atomic():
                    write()
            else:
                write()
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            write()
        audit_queries = sum("access_auditevent" in q["sql"] for q in queries)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95)], audit_queries

    print(f"database: {connection.vendor}, {args.writes} writes each")
    print(f"{'write':<52}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    rows = {}
    for name, write in (
        ("after: chained INSERT ... SELECT", chained),
        ("before: plain INSERT", plain),
    ):
        for atomic in (False, True):
            label = f"{name}{' (in a transaction)' if atomic else ''}"
            rows[label] = timed(write, atomic)
            median, p95, queries = rows[label]
            print(f"{label:<52}{median:>10.3f}{p95:>10.3f}{queries:>9}")
    # verify_audit walks the chained events and stops at the first plain row (no hash).
    total = AuditEvent.objects.count()
    start = time.perf_counter()
    report = chain.verify()
    seconds = time.perf_counter() - start
    print(
        f"verify: walked {report.count} of {total} events in {seconds:.2f} s "
        f"({report.count / max(seconds, 1e-9):,.0f} events/s; stops at the first unhashed row)"
    )


if __name__ == "__main__":
    main()
