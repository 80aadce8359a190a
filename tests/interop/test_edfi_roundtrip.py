"""The Ed-Fi round trip: the Grand Bend interchanges (../shared) imported into a new district,
exported as Ed-Fi JSON, and compared with what the XML says (tandem/interop/edfi_compare.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from tandem.accounts.models import AuditEvent, AuditListing
from tandem.interop import actions_edfi, edfi_compare
from tandem.interop.edfi_export import MANIFEST, read
from tandem.interop.edfi_xml import Source
from tandem.people.models import Student
from tests.interop.test_edfi_import import TODAY, _apply, _district_and_admin


@pytest.fixture(scope="module")
def round_trip(grand_bend, django_db_setup, django_db_blocker) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Grand Bend imported and exported once; what the tests read, gathered before rollback."""
    with django_db_blocker.unblock(), transaction.atomic():
        district, actor = _district_and_admin()  # type: ignore[no-untyped-call]
        _apply(grand_bend, district, actor)
        target = io.BytesIO()
        students = Student.objects.filter(district=district)
        manifest = actions_edfi.export_edfi(actor=actor, district=district, students=students,
                                            target=target, today=TODAY)  # fmt: skip
        event = AuditEvent.objects.filter(action="records.exported").get()
        out = {
            "zip": target.getvalue(),
            "manifest": manifest,
            "listed": AuditListing.objects.filter(event=event).count(),
            "event": event.detail,
            "students": students.count(),
        }
        transaction.set_rollback(True)
    return out


def _archive(round_trip: dict[str, Any]) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(round_trip["zip"]))


def test_the_export_says_what_the_interchanges_say(round_trip, grand_bend: Path) -> None:  # type: ignore[no-untyped-def]
    found = edfi_compare.differences(Source(grand_bend), _archive(round_trip))
    assert [str(d) for d in found] == []


def test_the_manifest_counts_every_resource(round_trip) -> None:  # type: ignore[no-untyped-def]
    archive = _archive(round_trip)
    counts = round_trip["manifest"].counts
    assert counts["students"] == 960
    assert counts["schools"] == 3
    assert counts["studentSpecialEducationProgramAssociations"] == 97
    assert counts["studentSection504ProgramAssociations"] == 3
    # Imported plans have no version in Tandem: no DS 6.1 StudentIEP is made up for them.
    assert counts["studentIEPs"] == 0
    written = {r["resource"]: r["count"] for r in __import__("json").loads(
        archive.read(MANIFEST))["resources"]}  # fmt: skip
    assert written == counts
    assert sum(1 for _ in read(archive, "students")) == 960


def test_descriptors_are_uris_and_references_point_at_exported_records(round_trip) -> None:  # type: ignore[no-untyped-def]
    archive = _archive(round_trip)
    uids = {s["studentUniqueId"] for s in read(archive, "students")}
    [program] = [p for p in read(archive, "studentSpecialEducationProgramAssociations")
                 if p["studentReference"]["studentUniqueId"] == "604872"]  # fmt: skip
    assert program["disabilities"] == [{
        "disabilityDescriptor": "uri://ed-fi.org/DisabilityDescriptor#Autism Spectrum Disorders",
        "orderOfDisability": 1}]  # fmt: skip
    assert program["specialEducationSettingDescriptor"] == (
        "uri://ed-fi.org/SpecialEducationSettingDescriptor#"
        "Inside regular class less than 40% of the day")  # fmt: skip
    assert program["programReference"]["programTypeDescriptor"] == (
        "uri://ed-fi.org/ProgramTypeDescriptor#Special Education")  # fmt: skip
    assert program["educationOrganizationReference"] == {"educationOrganizationId": 255901}
    assert program["schoolHoursPerWeek"] == 10.0 and program["shortenedSchoolDayIndicator"]
    for name in ("studentSpecialEducationProgramAssociations",
                 "studentSection504ProgramAssociations"):  # fmt: skip
        assert {p["studentReference"]["studentUniqueId"] for p in read(archive, name)} <= uids


def test_the_export_names_every_student_in_the_audit_log(round_trip) -> None:  # type: ignore[no-untyped-def]
    assert round_trip["listed"] == round_trip["students"] == 960
    assert round_trip["event"]["counts"]["students"] == 960


@pytest.mark.django_db
def test_a_district_without_records_exports_empty_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    district, actor = _district_and_admin()  # type: ignore[no-untyped-call]
    target = io.BytesIO()
    manifest = actions_edfi.export_edfi(actor=actor, district=district,
                                        students=Student.objects.all(), target=target)  # fmt: skip
    assert set(manifest.counts.values()) == {0}
    found = edfi_compare.export_facts(zipfile.ZipFile(target))
    assert found == ({}, {})


def test_a_changed_export_is_found_out(round_trip, grand_bend: Path) -> None:  # type: ignore[no-untyped-def]
    """The check itself: one birth date and one exit reason changed are two differences."""
    original = _archive(round_trip)
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as archive:
        for name in original.namelist():
            data = original.read(name).decode()
            data = data.replace('"birthDate":"2014-11-13"', '"birthDate":"2014-11-14"', 1)
            data = data.replace("#Transferred out", "#Dropped out", 1)
            archive.writestr(name, data)
    found = edfi_compare.differences(Source(grand_bend), zipfile.ZipFile(changed))
    assert [(d.record, d.field) for d in found] == [
        ("student 604821", "birthDate"),
        ("iep 604872 2021-08-30", "specialEducationExitReasonDescriptor"),
    ]
