"""A district exported and imported into an empty database comes back row for row, file for
file, with a sound audit chain; nothing of another district travels with it."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from tandem.accounts.models import AuditEvent
from tandem.backups.graph import Table, plan
from tandem.backups.selection import Selection, placed
from tandem.goals.models import GoalTemplate
from tandem.people.models import District
from tandem.referrals.models import Evidence, Referral
from tests.backups.conftest import manage
from tests.backups.digest import row_hashes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a teacher's note about reading"


def _zip_rows(path: Path) -> dict[str, set[object]]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        return {
            m["table"]: {json.loads(line)["pk"] for line in archive.read(m["name"]).splitlines()}
            for m in manifest["members"]
            if m.get("table")
        }


def _selected(selection: Selection, table: Table) -> set[object]:
    pks = set(selection.found.get(table.label, ()))
    if table.tenant:
        pks |= set(placed(table, selection.district_pk).values_list("pk", flat=True))
    return pks


def _nobody_s(table: Table) -> set[object]:
    """Rows of no district: the goal bank Tandem ships, events of the command line itself."""
    if table.model is GoalTemplate:
        return set(
            GoalTemplate.objects.filter(district=None, owner=None).values_list("pk", flat=True)
        )
    if table.model is AuditEvent:
        rows = AuditEvent.objects.filter(district=None, student=None, actor=None)
        return set(rows.values_list("pk", flat=True))
    return set()


def _digests(database: Path) -> dict[str, list[str]]:
    done = manage(database, "-m", "tests.backups.digest")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _evidence(district: District) -> Evidence:
    referral = Referral.objects.filter(student__district=district).first()
    assert referral is not None
    return Evidence.objects.create(
        referral=referral,
        kind="other",
        file=ContentFile(PDF, name="note.pdf"),
        original_name="note.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=referral.created_by,
    )


def test_a_district_round_trips_into_an_empty_database(
    tmp_path: Path, empty_database: Path, fresh_database: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    call_command("seed_demo", "--students", "120", "--quiet", stdout=StringIO())
    riverside, oak = (District.objects.get(slug=s) for s in ("riverside", "oak-valley"))
    evidence = _evidence(riverside)
    ours, theirs = Selection(plan(), riverside.pk), Selection(plan(), oak.pk)
    tables = plan().order()
    every = {t.label: set(t.model._base_manager.values_list("pk", flat=True)) for t in tables}
    mine = {t.label: _selected(ours, t) for t in tables}
    other = {t.label: _selected(theirs, t) for t in tables}
    out = tmp_path / "riverside.zip"
    call_command("export_district", "riverside", "--out", str(out), stdout=StringIO())

    # Every row is Riverside's, Oak Valley's or a person's they share (the contractor); the zip
    # holds exactly Riverside's, and no row that is Oak Valley's alone.
    in_zip = _zip_rows(out)
    for table in tables:
        label = table.label
        assert in_zip[label] == mine[label], label
        assert every[label] - mine[label] - other[label] - _nobody_s(table) == set(), label
        if table.always_placed:
            assert mine[label] & other[label] == set(), label
    assert sum(len(rows) for rows in in_zip.values()) > 5000
    with zipfile.ZipFile(out) as archive:
        assert archive.read(f"media/{evidence.file.name}") == PDF

    media = tmp_path / "restored-uploads"
    done = manage(fresh_database, "manage.py", "import_district", str(out), media=media)
    assert done.returncode == 0, done.stderr
    assert "Imported Riverside Unified" in done.stdout

    # Field for field: the restored rows are the exported ones (an audit event's id and links
    # aside: it joined the new database's chain), next to what migrate made.
    restored, empty = _digests(fresh_database), _digests(empty_database)
    for table in plan().order():
        exported = Counter(row_hashes(ours.rows(table)))
        if table.model is AuditEvent:  # the export's own event, written after the zip
            exported -= Counter(row_hashes(AuditEvent.objects.filter(action="district.exported")))
        assert Counter(restored[table.label]) - Counter(empty[table.label]) == exported, table.label
    assert (media / evidence.file.name).read_bytes() == PDF
    check = manage(fresh_database, "manage.py", "verify_audit")
    assert check.returncode == 0 and check.stdout.startswith("OK"), check.stdout + check.stderr

    # A second import is refused and changes nothing.
    again = manage(fresh_database, "manage.py", "import_district", str(out), media=media)
    assert again.returncode == 1
    assert "already here" in again.stderr
    assert _digests(fresh_database) == restored
