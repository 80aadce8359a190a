"""The export's zip: its members written with their SHA-256 taken on the way, and read back checked.

Layout: `manifest.json`; `data/<app>.<model>.jsonl`, one Django-serialised row a line, in
primary-key order; `media/<name>`, the uploaded files the rows name. The manifest lists every
member with its SHA-256 and size, the rows per table, the migration state and the export time.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "tandem-district-export"
VERSION = 1
MANIFEST = "manifest.json"
READ_SIZE = 1 << 20


class ArchiveError(Exception):
    """The file is not an export this database can take; nothing was changed."""


class HashingSink:
    """A text stream for Django's serializer that writes UTF-8 into a zip member and hashes it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.raw.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        self.raw.write(data)
        self.sha.update(data)
        self.size += len(data)

    def flush(self) -> None:
        pass


def migration_state() -> dict[str, str]:
    """The latest applied migration of every app, by name (numbered names sort in order)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def member_name(label: str) -> str:
    return f"data/{label.lower()}.jsonl"


@dataclass
class Member:
    name: str
    sha256: str
    bytes: int
    rows: int | None = None
    table: str | None = None
    file_of: str | None = None  # a media file: the "app.Model.field" whose storage holds it

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"name": self.name, "sha256": self.sha256, "bytes": self.bytes}
        if self.table is not None:
            found |= {"table": self.table, "rows": self.rows}
        if self.file_of is not None:
            found["file_of"] = self.file_of
        return found


def open_checked(path: str) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """Open the zip and read its manifest; refuse a file that is not an export."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"{path}: not a zip file ({error})") from None
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise ArchiveError(f"{path}: no {MANIFEST}, so not a Tandem district export") from None
    except ValueError as error:
        raise ArchiveError(f"{MANIFEST} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{MANIFEST} does not describe a Tandem district export")
    if manifest.get("version") != VERSION:
        raise ArchiveError(
            f"export format version {manifest.get('version')!r}; this Tandem reads {VERSION}"
        )
    return archive, manifest


def verify_members(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every member's SHA-256 and size as the manifest says, and no member it does not list."""
    listed = {m["name"]: m for m in manifest.get("members", [])}
    present = set(archive.namelist()) - {MANIFEST}
    if unlisted := sorted(present - set(listed)):
        raise ArchiveError(f"{unlisted[0]}: in the zip but not in the manifest (added afterwards)")
    for name, entry in listed.items():
        if name not in present:
            raise ArchiveError(f"{name}: listed in the manifest but missing from the zip")
        sha = hashlib.sha256()
        try:
            with archive.open(name) as stream:
                while block := stream.read(READ_SIZE):
                    sha.update(block)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ArchiveError(f"{name}: cannot be read ({error}): the file is damaged") from None
        if sha.hexdigest() != entry.get("sha256"):
            raise ArchiveError(
                f"{name}: its SHA-256 is {sha.hexdigest()}, the manifest says "
                f"{entry.get('sha256')}: the member was changed or damaged"
            )


def lines(archive: zipfile.ZipFile, name: str) -> Iterator[str]:
    with archive.open(name) as stream:
        for raw in stream:
            yield raw.decode("utf-8")


def file_sha256(path: str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(READ_SIZE):
            sha.update(block)
    return sha.hexdigest()
