"""An import refuses bad input by name, exits non-zero and changes nothing."""

from __future__ import annotations

import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import AuditEvent
from tandem.people.models import District, Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(world, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "riverside.zip"
    call_command("export_district", "Riverside Unified", "--out", str(out), stdout=StringIO())
    return out


def _rewrite(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the zip with `change(name, data)` applied to each member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            new.writestr(name, change(name, old.read(name)))
    return target


def _refused(path: Path) -> str:
    before = (AuditEvent.objects.count(), District.objects.count(), Student.objects.count())
    with pytest.raises(CommandError) as refusal:
        call_command("import_district", str(path), stdout=StringIO())
    assert (AuditEvent.objects.count(), District.objects.count(), Student.objects.count()) == before
    return str(refusal.value)


def test_export_is_audited_with_the_file_s_checksum(exported: Path) -> None:
    event = AuditEvent.objects.filter(action="district.exported").get()
    assert event.district.slug == "riverside"  # type: ignore[union-attr]
    assert len(event.detail["sha256"]) == 64 and event.detail["rows"] > 10


def test_one_changed_byte_is_refused_naming_the_member(exported: Path, tmp_path: Path) -> None:
    def flip(name: str, data: bytes) -> bytes:
        if name == "data/people.student.jsonl":
            return data.replace(b"Maya", b"Maya"[::-1], 1)
        return data

    message = _refused(_rewrite(exported, tmp_path / "tampered.zip", flip))
    assert "data/people.student.jsonl" in message and "SHA-256" in message


def test_a_member_added_afterwards_is_refused(exported: Path, tmp_path: Path) -> None:
    path = tmp_path / "added.zip"
    _rewrite(exported, path, lambda name, data: data)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("data/extra.jsonl", b"{}")
    assert "data/extra.jsonl" in _refused(path)


def test_a_different_migration_state_is_refused_naming_the_app(
    exported: Path, tmp_path: Path
) -> None:
    def older(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["people"] = "0001_initial"
        return json.dumps(manifest).encode()

    assert "app 'people'" in _refused(_rewrite(exported, tmp_path / "old.zip", older))


def test_a_district_already_here_is_refused(exported: Path) -> None:
    assert "already here" in _refused(exported)


def test_not_a_zip_and_no_manifest_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("not a zip")
    assert "not a zip file" in _refused(text)
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(bare, "w") as archive:
        archive.writestr("data/people.student.jsonl", b"")
    assert "no manifest.json" in _refused(bare)


def test_an_unknown_district_is_named_with_those_here(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="oak-valley, riverside"):
        call_command("export_district", "nowhere", "--out", str(tmp_path / "x.zip"))
