"""The Ed-Fi export of plans written in Tandem (the code tables read backwards), its queries, the
district administrator's download and the command; the Grand Bend round trip is
test_edfi_roundtrip.py."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import AuditEvent, AuditListing
from tandem.interop import actions_edfi
from tandem.interop import edfi_codes as codes
from tandem.interop.edfi_export import read
from tandem.interop.edfi_xml import code_value
from tandem.meetings.models import Meeting
from tandem.people.models import Student
from tandem.plans.models import ExitReason, Plan, PlanStatus, PlanVersion, Service
from tandem.referrals.models import EligibilityDecision, Referral
from tandem.rules.lre import SchoolAgeEnvironment

TABLES = [codes.DISABILITY, codes.ENVIRONMENT, codes.SPECIAL_EDUCATION_EXIT, codes.REASON_EXITED,
          codes.GRADE, codes.SEX]  # fmt: skip


@pytest.mark.parametrize("table", TABLES)
def test_every_value_written_reads_back_as_itself(table: dict[str, str]) -> None:
    for value in set(table.values()) - {""}:
        written = codes.descriptor(table, value)
        assert written is not None and codes.lookup(table, written) == value


def test_the_export_writes_ed_fis_default_spelling() -> None:
    assert codes.descriptor(codes.DISABILITY, "autism") == "Autism Spectrum Disorders"
    assert codes.lookup(codes.DISABILITY, "autism spectrum DISORDER") == "autism"
    assert (
        codes.descriptor(codes.SPECIAL_EDUCATION_EXIT, ExitReason.GHS) == "Graduated with Diploma"
    )


def _iep(world: Any, student: Student, *, status: str = PlanStatus.ACTIVE) -> Plan:
    author = world.users["director"]
    ended = status == PlanStatus.ENDED
    plan = Plan.objects.create(student=student, kind="iep", status=status, created_by=author,
                               meeting_date=date(2025, 9, 2), effective_from=date(2025, 9, 3),
                               effective_to=date(2026, 6, 12) if ended else date(2026, 9, 2),
                               exit_reason=ExitReason.GHS if ended else "",
                               exit_date=date(2026, 6, 12) if ended else None)  # fmt: skip
    snapshot = {"sections": {"lre": {"environment": SchoolAgeEnvironment.RC80}}}
    version = PlanVersion.objects.create(plan=plan, number=1, kind="original", snapshot=snapshot,
                                         content_hash="x" * 64, created_by=author)  # fmt: skip
    Plan.objects.filter(pk=plan.pk).update(current_version=version)
    Service.objects.create(plan=plan, category="related", name="Speech-language therapy",
                           minutes=30, times=2, per="week", setting="Speech room")  # fmt: skip
    referral = Referral.objects.create(student=student, source="parent", description="Reading.",
                                       received_on=date(2025, 5, 1), created_by=author)  # fmt: skip
    EligibilityDecision.objects.create(referral=referral, student=student, outcome="iep",
                                       decided_on=date(2025, 8, 20), decided_by=author,
                                       primary_category="specific_learning_disability",
                                       secondary_categories=["speech_language_impairment"])  # fmt: skip
    Meeting.objects.create(student=student, kind="iep", status="held", plan=plan,
                           starts_at=datetime(2025, 9, 2, 16, tzinfo=UTC),
                           ends_at=datetime(2025, 9, 2, 17, tzinfo=UTC),
                           held_at=datetime(2025, 9, 2, 17, tzinfo=UTC), created_by=author)  # fmt: skip
    return plan


def _export(world: Any, students: Any = None) -> zipfile.ZipFile:
    target = io.BytesIO()
    district = world.riverside
    actions_edfi.export_edfi(actor=world.users["director"], district=district, target=target,
                             students=students or Student.objects.filter(district=district))  # fmt: skip
    return zipfile.ZipFile(target)


def test_a_plan_written_in_tandem_is_written_with_ed_fi_descriptors(world) -> None:  # type: ignore[no-untyped-def]
    _iep(world, world.maya, status=PlanStatus.ENDED)
    archive = _export(world)
    [program] = read(archive, "studentSpecialEducationProgramAssociations")
    assert program["studentReference"] == {"studentUniqueId": world.maya.sis_id}
    assert (program["beginDate"], program["endDate"]) == ("2025-09-03", "2026-06-12")
    # Read back through the import's tables, the descriptors are Tandem's own values again.
    assert [codes.lookup(codes.DISABILITY, code_value(d["disabilityDescriptor"]))
            for d in program["disabilities"]] == ["specific_learning_disability",
                                                  "speech_language_impairment"]  # fmt: skip
    assert program["specialEducationSettingDescriptor"].endswith("#Inside regular class 80% or "
                                                                 "more of the day")  # fmt: skip
    exit_code = code_value(program["specialEducationExitReasonDescriptor"])
    assert codes.lookup(codes.SPECIAL_EDUCATION_EXIT, exit_code) == ExitReason.GHS
    assert program["reasonExitedDescriptor"] == (
        "uri://ed-fi.org/ReasonExitedDescriptor#Graduated with a high school diploma"
    )
    [iep] = read(archive, "studentIEPs")
    assert iep["iepStatusDescriptor"] == "uri://tandem/IEPStatusDescriptor#Ended"
    [service] = read(archive, "studentIEPServicePrescriptions")
    assert (service["duration"], service["frequency"]) == (30, 2)
    assert service["studentIEPReference"]["studentIEPIdentifier"] == iep["studentIEPIdentifier"]
    kinds = sorted(code_value(e["ideaEventTypeDescriptor"]) for e in read(archive, "ideaEvents"))
    assert kinds == ["Eligibility determined", "Meeting held", "Referral received"]


def test_queries_do_not_grow_with_the_students(world) -> None:  # type: ignore[no-untyped-def]
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _export(world)
        return len(captured)

    _iep(world, world.maya)
    few = queries()
    for n in range(12):
        student = Student.objects.create(
            district=world.riverside, school=world.north, sis_id=f"X{n}", legal_first_name="A",
            legal_last_name=f"B{n}", date_of_birth=date(2015, 1, 1), grade="3",
            enrollment_date=date(2025, 8, 1), sex="F")  # fmt: skip
        _iep(world, student, status=PlanStatus.ENDED if n % 2 else PlanStatus.ACTIVE)
    assert queries() == few


# -- the page and the command ------------------------------------------------------------------


def _url(world: Any) -> str:
    return reverse("edfi_export", args=[world.riverside.public_id])


def test_the_district_administrator_downloads_the_export(world) -> None:  # type: ignore[no-untyped-def]
    _iep(world, world.maya)
    client = world.client_for("director")
    page = client.get(reverse("edfi_imports")).content.decode()
    assert _url(world) in page and "Download the Ed-Fi export of Riverside Unified" in page
    response = client.get(_url(world))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    uids = {s["studentUniqueId"] for s in read(archive, "students")}
    riverside = Student.objects.filter(district=world.riverside)
    assert uids == set(riverside.values_list("sis_id", flat=True))
    event = AuditEvent.objects.get(action="records.exported")
    assert event.actor == world.users["director"] and event.district == world.riverside
    named = set(AuditListing.objects.filter(event=event).values_list("student_id", flat=True))
    assert named == set(riverside.values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ["oak_director", "parent", "uncle"])
def test_outsider_gets_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get(_url(world)).status_code == 404
    assert not AuditEvent.objects.filter(action="records.exported").exists()


@pytest.mark.parametrize("persona", ["principal", "teacher", "case_manager", "psych"])
def test_staff_who_do_not_administer_the_district_are_refused(world, persona) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get(_url(world)).status_code == 403
    assert not AuditEvent.objects.filter(action="records.exported").exists()
    assert world.client_for(persona).get(reverse("edfi_imports")).status_code == 404


def test_anonymous_is_sent_to_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for("anonymous").get(_url(world)).status_code == 302


def test_the_export_cannot_be_posted(world) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for("director").post(_url(world)).status_code == 405


def test_the_command_writes_the_zip(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    _iep(world, world.maya)
    out = tmp_path / "riverside.zip"
    call_command("export_edfi", "--district", "riverside", "--out", str(out))
    assert "studentSpecialEducationProgramAssociations" in capsys.readouterr().out
    archive = zipfile.ZipFile(out)
    assert len(list(read(archive, "students"))) == Student.objects.filter(
        district=world.riverside).count()  # fmt: skip
    assert AuditEvent.objects.get(action="records.exported").actor == world.users["director"]
