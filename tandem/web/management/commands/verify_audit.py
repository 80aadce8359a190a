"""Walk the audit log's hash chain and say whether it holds (exit 1 at the first break)."""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.audit import listings
from tandem.audit.chain import verify

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Check that no audit event was changed, removed or slipped in since it was written: walks "
        "the hash chain in id order and prints 'OK' with the count and the last event's id:hash, "
        "or the first broken event (id, time, what differs) and exits with status 1. "
        "--anchor ID:HASH (a head printed by an earlier run and kept elsewhere) also checks that "
        "the chain still passes through that event unchanged. It also checks each event's index "
        "of the students it listed against the digest chained with it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor", default="", help="ID:HASH printed by an earlier run, kept elsewhere"
        )
        parser.add_argument("--chunk-size", type=int, default=2000, help="rows read at a time")

    def handle(self, *args: object, anchor: str, chunk_size: int, **options: object) -> None:
        pin = None
        if anchor:
            match = ANCHOR.match(anchor.strip())
            if match is None:
                raise CommandError("--anchor: write it as ID:HASH, as verify_audit printed it")
            pin = (int(match.group(1)), match.group(2))
        report = verify(anchor=pin, chunk_size=chunk_size)
        if report.broken is not None:
            b = report.broken
            at = f"{b.at:%Y-%m-%d %H:%M:%S %Z}" if b.at else "unknown time"
            self.stderr.write(
                f"BROKEN at event {b.id} ({at}), after {report.count} good events: {b.what}"
            )
            raise SystemExit(1)
        if pin is not None and not report.anchor_found:
            self.stderr.write(f"BROKEN: the anchor's event {pin[0]} is no longer in the log")
            raise SystemExit(1)
        # The index of students an event listed must still match the digest it was chained with.
        for mismatch in listings.verify(chunk_size=chunk_size):
            self.stderr.write(f"BROKEN at event {mismatch.event_id}: {mismatch.what}")
            raise SystemExit(1)
        head = f"{report.head_id}:{report.head_hash}" if report.head_id else "none"
        self.stdout.write(f"OK: {report.count} audit events chained; head {head}")
