"""The audit log's hash chain: a rewrite, a removal or a row slipped in afterwards shows.

Each event stores `prev_hash`, the hash of the event before it (by id; "" for the first), and
`hash` = SHA-256 (hex) of `prev_hash` followed by the event's canonical text (`canonical`):
its fields in a fixed order, as ASCII JSON. `manage.py verify_audit` walks the chain.

One chain per database, so two writers must never chain onto the same predecessor. The insert
reads the head and writes the new row in one statement (`INSERT ... SELECT`), which costs no
query more than a plain insert:

- SQLite has one writer at a time and a write statement reads under the write lock, so the head
  it reads is the last committed event (or its own transaction's).
- PostgreSQL: the head comes from `tandem_audit_chain_head()` (migration 0004), which takes
  `pg_advisory_xact_lock` before it reads, in a query of its own and so with a fresh snapshot
  (READ COMMITTED, Django's default); the lock is held until the writer's transaction ends, so
  the next writer waits for this event to be committed (or rolled back) and reads it as head.
  The price: transactions that write audit events take turns from that write to their commit.

The hash is not keyed: someone who can write to the database could recompute the whole chain
after a rewrite. `verify_audit` prints the head's id and hash; kept elsewhere (a log, a backup
note), `verify_audit --anchor ID:HASH` then shows that the chain still passes through it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router, transaction

from tandem.accounts.models import AuditEvent

# The fields the hash covers, in this order (never reorder: old hashes must still verify).
FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "district_id",
    "student_id",
    "object_type",
    "object_id",
    "channel",
    "ip",
    "purpose",
    "detail",
)
VERSION = 1
ADVISORY_KEY = 7_165_726_431  # "tandem audit": any fixed number the app uses for nothing else


def _at(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _ip(value: str | None) -> str | None:
    return str(ipaddress.ip_address(value)) if value else None


def canonical(values: dict[str, Any]) -> str:
    """The event's text the hash covers; the same for the values written and those read back."""
    row = {name: values[name] for name in FIELDS}
    row["at"] = _at(row["at"])
    row["ip"] = _ip(row["ip"])
    # As stored: JSON text or jsonb, read back (keys become strings, tuples lists).
    row["detail"] = json.loads(json.dumps(row["detail"] or {}))
    return json.dumps(
        [VERSION, [row[name] for name in FIELDS]],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )


def link(prev_hash: str, text: str) -> str:
    return hashlib.sha256((prev_hash + text).encode("ascii")).hexdigest()


def _head_sql(vendor: str, table: str) -> str:
    if vendor == "postgresql":
        return "SELECT tandem_audit_chain_head() AS prev"
    # `table` is the model's quoted table name: nothing from outside reaches this SQL.
    return f'SELECT COALESCE((SELECT "hash" FROM {table} ORDER BY "id" DESC LIMIT 1), \'\') AS prev'  # noqa: S608


def _hash_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "encode(sha256(convert_to(head.prev || %s, 'UTF8')), 'hex')"
    return "SHA256(head.prev || %s)"  # Django registers SHA256 on every SQLite connection


def append(event: AuditEvent) -> AuditEvent:
    """Insert `event` (unsaved) at the end of the chain, in one statement; returns it saved."""
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"the audit chain does not support {vendor}")
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    fields = [AuditEvent._meta.get_field(name) for name in FIELDS]
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    columns = ", ".join(quote(f.column) for f in fields)
    holders = ", ".join(["%s"] * len(fields))
    text = canonical({f.attname: getattr(event, f.attname) for f in fields})
    # Names from the model's meta, values as parameters: nothing from outside is spliced in.
    sql = (
        f"INSERT INTO {table} ({columns}, {quote('prev_hash')}, {quote('hash')}) "  # noqa: S608
        f"SELECT {holders}, head.prev, {_hash_sql(vendor)} "
        f"FROM ({_head_sql(vendor, table)}) AS head "
        f"RETURNING {quote('id')}, {quote('prev_hash')}, {quote('hash')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, text])
        event.pk, event.prev_hash, event.hash = cursor.fetchone()
    event._state.adding = False
    event._state.db = alias
    return event


@dataclass(frozen=True)
class Break:
    """The first event where the chain does not hold."""

    id: int
    at: datetime | None
    what: str


@dataclass(frozen=True)
class Report:
    count: int
    head_id: int | None
    head_hash: str
    broken: Break | None
    anchor_found: bool | None = None


def _rows(chunk_size: int) -> Iterator[dict[str, Any]]:
    names = ("id", *FIELDS, "prev_hash", "hash")
    rows = AuditEvent.objects.order_by("id").values_list(*names)
    for row in rows.iterator(chunk_size=chunk_size):
        yield dict(zip(names, row, strict=True))


def verify(*, anchor: tuple[int, str] | None = None, chunk_size: int = 2000) -> Report:
    """Walk the chain from the first event to the last, streaming; stop at the first break.

    On PostgreSQL inside a transaction, so the server-side cursor streams instead of being
    materialised whole (WITH HOLD); on SQLite not, since a transaction there is the write lock.
    """
    alias = router.db_for_read(AuditEvent)
    if connections[alias].vendor == "postgresql":
        with transaction.atomic(using=alias):
            return _walk(anchor, chunk_size)
    return _walk(anchor, chunk_size)


def _walk(anchor: tuple[int, str] | None, chunk_size: int) -> Report:
    expected = ""
    previous_id: int | None = None
    count = 0
    anchor_found: bool | None = None if anchor is None else False
    for row in _rows(chunk_size):
        if row["prev_hash"] != expected:
            if previous_id is None:
                what = (
                    "it is the first event but says it follows another "
                    f"(prev_hash {row['prev_hash'][:12]}…): events before it were removed"
                )
            else:
                what = (
                    f"its prev_hash ({row['prev_hash'][:12]}…) is not the hash of event "
                    f"{previous_id} ({expected[:12]}…): an event between them was removed, "
                    "or one was inserted or changed"
                )
            return Report(count, previous_id, expected, Break(row["id"], row["at"], what))
        computed = link(row["prev_hash"], canonical(row))
        if row["hash"] != computed:
            what = (
                f"its fields no longer give its hash (stored {row['hash'][:12]}…, "
                f"computed {computed[:12]}…): the event was changed after it was written"
            )
            return Report(count, previous_id, expected, Break(row["id"], row["at"], what))
        if anchor is not None and row["id"] == anchor[0]:
            anchor_found = row["hash"] == anchor[1]
            if not anchor_found:
                what = f"the anchor says {anchor[1][:12]}… for this event, the chain now says {row['hash'][:12]}…"
                return Report(
                    count, previous_id, expected, Break(row["id"], row["at"], what), False
                )
        expected = row["hash"]
        previous_id = row["id"]
        count += 1
    return Report(count, previous_id, expected, None, anchor_found)


def seal_existing(apps: Any, schema_editor: Any) -> None:
    """Migration 0004: give the events written before the chain their hashes, in id order."""
    Event = apps.get_model("access", "AuditEvent")
    connection = schema_editor.connection
    table = connection.ops.quote_name(Event._meta.db_table)
    update = f'UPDATE {table} SET "prev_hash" = %s, "hash" = %s WHERE "id" = %s'  # noqa: S608
    names = ("id", *FIELDS)
    prev, last_id = "", 0
    while True:  # pages by id, read whole before they are written
        page = list(Event.objects.filter(id__gt=last_id).order_by("id").values_list(*names)[:2000])
        if not page:
            return
        batch = []
        for row in page:
            values = dict(zip(names, row, strict=True))
            digest = link(prev, canonical(values))
            batch.append((prev, digest, values["id"]))
            prev, last_id = digest, values["id"]
        with connection.cursor() as cursor:
            cursor.executemany(update, batch)
