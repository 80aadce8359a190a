"""Import a district's zip (`manage.py import_district`): checked first, then all of it or nothing.

Before anything is written: every member's SHA-256 against the manifest, the migration state
against this database's, the district and the uploaded files not already here. Then one
transaction loads every row with its own primary key (a key already here refuses the whole
import), checks every foreign key, copies the files and records the import in the audit log.

The audit log is one hash chain per database, and a district's events are a thread through the
source's chain, not a chain of their own. They are appended to this database's chain in their
original order, every field the hash covers unchanged (time, actor, action, district, student,
object, channel, address, purpose, detail); only their ids and links are new, and the originals
stay in the zip, whose SHA-256 the import's own audit event records. Restored into an empty
database from a source that held only this district, the chain comes out identical, hash for hash.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import connection, transaction
from django.db.models import Model, Q

from tandem import audit
from tandem.accounts.models import AuditEvent, User
from tandem.audit import chain
from tandem.audit.catalogue import Action
from tandem.backups import archive as zipped
from tandem.backups.archive import ArchiveError
from tandem.backups.export import storage_of
from tandem.backups.graph import plan
from tandem.backups.selection import chunks
from tandem.people.models import District

AUDIT = AuditEvent._meta.label


@dataclass
class ImportResult:
    district: District
    rows: dict[str, int]
    media: int
    audit_events: int
    audit_hashes_kept: int
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def check(path: str) -> tuple[zipfile.ZipFile, dict[str, Any], Wanted]:
    """Everything that can refuse before a write; returns the media files to copy."""
    archive, manifest = zipped.open_checked(path)
    zipped.verify_members(archive, manifest)
    _check_migrations(manifest.get("migrations", {}))
    _check_district_is_new(manifest.get("district", {}))
    return archive, manifest, _media_to_copy(archive, manifest)


def _check_migrations(theirs: dict[str, str]) -> None:
    ours = zipped.migration_state()
    for app in sorted(set(theirs) | set(ours)):
        if theirs.get(app) != ours.get(app):
            raise ArchiveError(
                f"app {app!r}: the export was made at migration {theirs.get(app) or 'none'}, "
                f"this database is at {ours.get(app) or 'none'}; migrate both to the same "
                "Tandem version first"
            )


def _check_district_is_new(district: dict[str, Any]) -> None:
    condition = Q(pk=district.get("pk")) | Q(slug=district.get("slug"))
    if district.get("public_id"):
        condition |= Q(public_id=district["public_id"])
    if found := District.objects.filter(condition).first():
        raise ArchiveError(
            f"the district {district.get('slug')!r} is already here (as {found.slug!r}, "
            f"id {found.pk}): an import only adds a district that is not"
        )


Wanted = list[tuple[str, str]]  # (the file's name in its storage, "app.Model.field")


def _media_to_copy(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> Wanted:
    wanted = []
    for entry in manifest["members"]:
        if not entry["name"].startswith("media/"):
            continue
        stored = entry["name"].removeprefix("media/")
        try:
            validate_file_name(stored, allow_relative_path=True)
            storage = storage_of(str(entry.get("file_of")))
        except (ValidationError, LookupError, ValueError):
            raise ArchiveError(f"{entry['name']}: not a file this server can store") from None
        if not storage.exists(stored):
            wanted.append((stored, entry["file_of"]))
            continue
        with storage.open(stored, "rb") as handle:
            same = zipped.HashingSink(_Discard())
            while block := handle.read(zipped.READ_SIZE):
                same.write_bytes(block)
        if same.sha.hexdigest() != entry["sha256"]:
            raise ArchiveError(f"{entry['name']}: a different file of that name is already here")
    return wanted


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def _objects(archive: zipfile.ZipFile, name: str) -> Iterator[Model]:
    try:
        for item in serializers.deserialize("jsonl", zipped.lines(archive, name)):
            yield item.object
    except DeserializationError as error:
        raise ArchiveError(f"{name}: a row cannot be read: {error}") from None


def _unique_values(obj: Model) -> tuple[Any, ...]:
    fields = [f for f in obj._meta.local_concrete_fields if f.unique and not f.primary_key]
    fields = fields or [f for f in obj._meta.local_concrete_fields if not f.primary_key]
    return tuple(getattr(obj, f.attname) for f in fields)


def _new_rows(model: type[Model], batch: list[Model]) -> list[Model]:
    """The rows of the batch to insert; a row whose primary key is here already refuses the
    import, except a shared one (a contractor's account, their licence) that is the same row:
    same key and same unique values (email, public id). That one is kept as it is here."""
    here = model._base_manager.in_bulk([obj.pk for obj in batch])
    if not here:
        return batch
    shared = not plan().tables[model._meta.label].tenant
    for obj in batch:
        if obj.pk in here and not (shared and _unique_values(obj) == _unique_values(here[obj.pk])):
            raise ArchiveError(
                f"{model._meta.label} {obj.pk} already exists in this database and is not the "
                "same row: an import adds a district that is not here"
            )
    return [obj for obj in batch if obj.pk not in here]


def _insert(model: type[Model], batch: list[Model]) -> int:
    """Insert the rows as they were, in few statements; returns how many were new.

    `raw=True` is what loaddata's per-row save passes: auto_now and similar fields keep their
    stored values. loaddata's way costs two statements a row (an UPDATE tried before the
    INSERT); this costs one per batch.
    """
    batch = _new_rows(model, batch)
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = max(1, connection.ops.bulk_batch_size(fields, batch))
    for part in chunks(batch, size):
        model._base_manager._insert(part, fields=fields, raw=True)  # type: ignore[attr-defined]
    return len(batch)


def _load_table(archive: zipfile.ZipFile, entry: dict[str, Any], events: dict[int, int]) -> int:
    """Load one table's member; keys to audit events follow them to their new ids."""
    try:
        model = apps.get_model(entry["table"])
    except (LookupError, ValueError):
        raise ArchiveError(f"{entry['name']}: no table {entry['table']!r} here") from None
    to_events = [
        f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is AuditEvent
    ]
    count, batch = 0, []
    for obj in _objects(archive, entry["name"]):
        if not isinstance(obj, model):
            raise ArchiveError(f"{entry['name']}: holds a {obj._meta.label} row")
        for attname in to_events:
            if (old := getattr(obj, attname)) is not None:
                setattr(obj, attname, events.get(old, old))
        batch.append(obj)
        if len(batch) == 1000:
            count += _insert(model, batch)
            batch = []
    if batch:
        count += _insert(model, batch)
    return count


@dataclass
class Rechained:
    events: dict[int, int]  # the id each event had in the source -> its id here
    appended: int = 0
    kept: int = 0  # appended with the very hash they had in the source


def _rechain(archive: zipfile.ZipFile, entry: dict[str, Any]) -> Rechained:
    """Append the district's audit events to this chain, in their order.

    An event naming no district or student (a contractor's own) is in the export of each of
    their districts: one already here is not appended twice.
    """
    result = Rechained({})
    for event in _objects(archive, entry["name"]):
        if not isinstance(event, AuditEvent):
            raise ArchiveError(f"{entry['name']}: holds a {event._meta.label} row")
        old, original = event.pk, event.hash
        if (here := _already_logged(event)) is not None:
            result.events[old] = here
            continue
        event.pk = None
        chain.append(event)
        result.events[old] = event.pk
        result.appended += 1
        result.kept += event.hash == original
    return result


def _already_logged(event: AuditEvent) -> int | None:
    if event.district_id is not None or event.student_id is not None:
        return None
    same = {name: getattr(event, name) for name in ("at", "actor_id", "action", "object_id")}
    found = AuditEvent.objects.filter(**same, district=None, student=None)
    return found.values_list("pk", flat=True).first()


def _copy_media(archive: zipfile.ZipFile, wanted: Wanted, written: list[tuple[str, str]]) -> None:
    for stored, owner in wanted:
        with archive.open(f"media/{stored}") as source:
            saved = storage_of(owner).save(stored, source)
        written.append((saved, owner))
        if saved != stored:
            raise ArchiveError(f"media/{stored}: the file appeared here during the import")


def load(archive: zipfile.ZipFile, manifest: dict[str, Any], wanted: Wanted) -> ImportResult:
    """Write every row and file; the caller's transaction makes it all or nothing."""
    tables = [e for e in manifest["members"] if e.get("table")]
    # The audit log first: rows that point at its events need their new ids.
    audit_entry = next((e for e in tables if e["table"] == AUDIT), None)
    chained = _rechain(archive, audit_entry) if audit_entry else Rechained({})
    rows = {AUDIT: chained.appended}
    for entry in tables:
        if entry["table"] != AUDIT:
            rows[entry["table"]] = _load_table(archive, entry, chained.events)
    loaded = [apps.get_model(e["table"]) for e in tables]
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(statement)
    district = District.objects.get(pk=manifest["district"]["pk"])
    return ImportResult(district, rows, len(wanted), chained.appended, chained.kept)


def import_district(*, actor: User | None, path: Path) -> ImportResult:
    """Check the zip, load it whole, and record the import (counts, the file's SHA-256).

    On any error nothing stays: the transaction rolls back and the files copied are removed.
    """
    started = time.monotonic()
    archive, manifest, wanted = check(str(path))
    written: list[tuple[str, str]] = []
    try:
        with archive, transaction.atomic():
            result = load(archive, manifest, wanted)
            _copy_media(archive, wanted, written)
            audit.record(
                actor=actor,
                action=Action.DISTRICT__IMPORTED,
                district=result.district,
                detail={
                    "file": path.name,
                    "sha256": zipped.file_sha256(str(path)),
                    "exported_at": manifest.get("exported_at"),
                    "source_audit_head": manifest.get("audit_head"),
                    "rows": result.total,
                    "media": result.media,
                    "audit_events_appended": result.audit_events,
                    "audit_hashes_unchanged": result.audit_hashes_kept,
                },
            )
    except BaseException:
        for stored, owner in written:
            storage_of(owner).delete(stored)
        raise
    result.seconds = time.monotonic() - started
    return result
