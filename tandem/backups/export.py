"""Export one district to a zip (`manage.py export_district`), audited.

Rows keep their primary keys rather than natural keys: the audit chain's hashes cover the keys
an event names (actor, district, student), and keys that stay the same are what lets a restore
into an empty database reproduce the chain exactly. A key that already exists where the zip is
imported makes the import refuse instead of merging.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from tandem import audit
from tandem.accounts.models import AuditEvent, User
from tandem.audit.catalogue import Action
from tandem.backups import archive as zipped
from tandem.backups.graph import Table, plan
from tandem.backups.selection import Selection
from tandem.people.models import District


class NoSuchDistrict(Exception):
    pass


def find_district(value: str) -> District:
    """The district by slug, name, public id or primary key."""
    value = value.strip()
    condition = Q(slug=value) | Q(name__iexact=value)
    if value.isdigit():
        condition |= Q(pk=int(value))
    with contextlib.suppress(ValueError):
        condition |= Q(public_id=uuid.UUID(value))
    found = list(District.objects.filter(condition)[:2])
    if len(found) != 1:
        known = ", ".join(District.objects.order_by("slug").values_list("slug", flat=True))
        what = "no district" if not found else "more than one district"
        raise NoSuchDistrict(f"{what} matches {value!r} (districts here: {known or 'none'})")
    return found[0]


@dataclass
class ExportResult:
    path: Path
    sha256: str
    rows: dict[str, int]
    media: int
    missing_media: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Read the whole export from one moment of the database while others go on writing.

    PostgreSQL: a REPEATABLE READ transaction. SQLite: a deferred read transaction, which in WAL
    mode sees one snapshot and blocks no writer (Django's own transactions begin IMMEDIATE, which
    would hold the write lock for the whole export). Inside a transaction already (a test), that
    transaction's view is used.
    """
    if connection.in_atomic_block or connection.vendor not in ("postgresql", "sqlite"):
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def _audit_head() -> str:
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    return f"{head[0]}:{head[1]}" if head else ""


class ExactEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds (ECMA-262), which
    would change every restored timestamp, and the audit chain hashes them whole."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


Media = dict[str, str]  # the file's name in its storage -> "app.Model.field" that names it


def _with_media(rows: Iterator[Model], table: Table, media: Media, counter: list[int]):  # type: ignore[no-untyped-def]
    for obj in rows:
        counter[0] += 1
        for name in table.file_fields:
            if stored := getattr(obj, name).name:
                media[stored] = f"{table.label}.{name}"
        yield obj


def storage_of(owner: str) -> Storage:
    """The storage of a file field named "app.Model.field"."""
    label, name = owner.rsplit(".", 1)
    return apps.get_model(label)._meta.get_field(name).storage  # type: ignore[union-attr,no-any-return]


def _write_table(
    archive: zipfile.ZipFile, table: Table, selection: Selection, media: Media
) -> zipped.Member:
    opts = table.model._meta
    names = [f.name for f in opts.local_concrete_fields if not f.primary_key]
    counter = [0]
    name = zipped.member_name(table.label)
    with archive.open(name, "w", force_zip64=True) as raw:
        sink = zipped.HashingSink(raw)
        rows = _with_media(selection.rows(table), table, media, counter)
        serializer = serializers.get_serializer("jsonl")()
        serializer.serialize(rows, stream=sink, fields=names, cls=ExactEncoder)
    return zipped.Member(name, sink.sha.hexdigest(), sink.size, counter[0], table.label)


def _write_media(archive: zipfile.ZipFile, stored: str, owner: str) -> zipped.Member | None:
    storage = storage_of(owner)
    if not storage.exists(stored):
        return None
    name = f"media/{stored}"
    with storage.open(stored, "rb") as source, archive.open(name, "w") as raw:
        sink = zipped.HashingSink(raw)
        while block := source.read(zipped.READ_SIZE):
            sink.write_bytes(block)
    return zipped.Member(name, sink.sha.hexdigest(), sink.size, file_of=owner)


def _manifest(district: District, members: list[zipped.Member], missing: list[str]) -> bytes:
    manifest: dict[str, Any] = {
        "format": zipped.FORMAT,
        "version": zipped.VERSION,
        "exported_at": timezone.now().isoformat(),
        "district": {
            "pk": district.pk,
            "slug": district.slug,
            "name": district.name,
            "public_id": str(district.public_id),
        },
        "migrations": zipped.migration_state(),
        "database": connection.vendor,
        "audit_head": _audit_head(),
        "rows": {m.table: m.rows for m in members if m.table},
        "members": [m.as_json() for m in members],
        "missing_media": missing,
    }
    return json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")


def write_zip(district: District, out: Path) -> ExportResult:
    """Write the district's rows and files to `out` (via a temporary name, renamed when whole)."""
    partial = out.with_name(out.name + ".partial")
    media: Media = {}
    members: list[zipped.Member] = []
    missing: list[str] = []
    try:
        with snapshot(), zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            selection = Selection(plan(), district.pk)
            members += [_write_table(archive, t, selection, media) for t in plan().order()]
            for stored, owner in sorted(media.items()):
                member = _write_media(archive, stored, owner)
                members += [member] if member else []
                missing += [] if member else [stored]
            archive.writestr(zipped.MANIFEST, _manifest(district, members, missing))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    rows = {m.table: m.rows or 0 for m in members if m.table}
    return ExportResult(out, zipped.file_sha256(str(out)), rows, len(media) - len(missing), missing)


def export_district(*, actor: User | None, district: District, out: Path) -> ExportResult:
    """Write the district's zip and record who exported what (the file's SHA-256, the counts)."""
    started = time.monotonic()
    result = write_zip(district, out)
    result.seconds = time.monotonic() - started
    audit.record(
        actor=actor,
        action=Action.DISTRICT__EXPORTED,
        district=district,
        detail={
            "file": out.name,
            "sha256": result.sha256,
            "rows": result.total,
            "media": result.media,
            "missing_media": len(result.missing_media),
        },
    )
    return result
