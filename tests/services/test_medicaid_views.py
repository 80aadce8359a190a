"""The Medicaid pages as personas: a student's consent record, and the district's export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.services.models import MedicaidConsent
from tests.services.medicaid_world import TODAY, billing_slp, consent, log


def _consent_url(student) -> str:  # type: ignore[no-untyped-def]
    return reverse("medicaid_consent", args=[student.public_id])


def _post(world, persona, student, **data):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).post(_consent_url(student), data)


# --- the consent page ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["case_manager", "director", "principal"])
def test_leaders_and_the_case_manager_open_and_record(world, persona) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        page = world.client_for(persona).get(_consent_url(world.maya))
    assert page.status_code == 200
    assert "300.154(d)" in page.content.decode()
    assert AuditEvent.objects.filter(action="medicaid_consent.viewed", student=world.maya).exists()
    response = _post(
        world, persona, world.maya, kind="consent", on="2025-09-02", medicaid_id="ab12345"
    )
    assert response.status_code == 302
    entry = MedicaidConsent.objects.get()
    assert (entry.kind, entry.on, entry.medicaid_id) == ("consent", date(2025, 9, 2), "AB12345")
    assert entry.created_by == world.users[persona]
    event = AuditEvent.objects.get(action="medicaid_consent.recorded")
    assert event.student == world.maya and "AB12345" not in str(event.detail)


def test_withdrawal_is_a_new_dated_entry_and_nothing_is_deleted(world) -> None:  # type: ignore[no-untyped-def]
    _post(world, "case_manager", world.maya, kind="consent", on="2025-09-02", medicaid_id="A1")
    _post(world, "case_manager", world.maya, kind="notice", on="2025-09-02")
    assert (
        _post(world, "case_manager", world.maya, kind="withdrawal", on="2025-09-20").status_code
        == 302
    )
    kinds = list(MedicaidConsent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["consent", "notice", "withdrawal"]
    with clock.fixed(TODAY):
        html = world.client_for("case_manager").get(_consent_url(world.maya)).content.decode()
    assert "Withdrawn" in html and html.count("data-entry=") == 3


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "consent", "on": "2025-10-02"}, "on", "The date is in the future."),
        (
            {"kind": "consent", "on": "2025-09-02", "medicaid_id": "AB-12"},
            "medicaid_id",
            "letters and digits",
        ),
        (
            {"kind": "consent", "on": "2025-09-02", "medicaid_id": "A" * 21},
            "medicaid_id",
            "letters and digits",
        ),
        ({"kind": "withdrawal", "on": "2025-09-02"}, "kind", "no consent in force"),
        ({"kind": "medicaid_id", "on": "2025-09-02"}, "medicaid_id", "Enter the Medicaid ID."),
        ({"kind": "", "on": "2025-09-02"}, "kind", "Choose what to record."),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, data, field, message) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, "case_manager", world.maya, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'id="id_{field}' in html
    assert not MedicaidConsent.objects.exists()
    assert not AuditEvent.objects.filter(action="medicaid_consent.recorded").exists()


def test_a_second_consent_and_an_early_withdrawal_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    _post(world, "case_manager", world.maya, kind="consent", on="2025-09-10")
    again = _post(world, "case_manager", world.maya, kind="consent", on="2025-09-12")
    assert again.status_code == 400 and "already on file" in again.content.decode()
    early = _post(world, "case_manager", world.maya, kind="withdrawal", on="2025-09-01")
    assert early.status_code == 400 and "before the consent" in early.content.decode()
    assert MedicaidConsent.objects.count() == 1


def test_a_teacher_reads_the_record_elsewhere_but_gets_403_here(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("teacher")
    assert client.get(_consent_url(world.maya)).status_code == 403
    assert _post(world, "teacher", world.maya, kind="notice", on="2025-09-02").status_code == 403
    assert not MedicaidConsent.objects.exists()


@pytest.mark.parametrize("persona", ["stranger", "oak_director"])
def test_an_outsider_gets_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get(_consent_url(world.maya)).status_code == 404
    assert _post(world, persona, world.maya, kind="notice", on="2025-09-02").status_code == 404


def test_the_services_page_links_to_the_consent_for_those_who_record_it(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("student_services", args=[world.maya.public_id])
    with clock.fixed(TODAY):
        assert (
            _consent_url(world.maya) in world.client_for("case_manager").get(url).content.decode()
        )
        assert _consent_url(world.maya) not in world.client_for("teacher").get(url).content.decode()


# --- the export ----------------------------------------------------------------------------------

QUERY = {"start": "2025-09-01", "end": "2025-09-30"}


def _csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def sessions(world, slp, speech):  # type: ignore[no-untyped-def]
    from tandem.services.models import AttendanceCode

    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    log(slp, date(2025, 9, 15), speech, world.maya)
    log(slp, date(2025, 9, 17), speech, world.maya, code=AttendanceCode.STUDENT_ABSENT)


def test_the_district_leader_downloads_both_lists_audited(world, sessions) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("director")
    page = client.get(reverse("medicaid_export"), QUERY)
    assert page.status_code == 200
    assert 'data-rows="2"' in page.content.decode()
    billable = _csv(client.get(reverse("medicaid_export_csv"), QUERY))
    assert len(billable) == 1
    row = billable[0]
    assert row["Medicaid ID"] == "MC12345678" and row["Procedure code"] == "92507"
    assert (row["Modifiers"], row["Place of service"], row["Units"]) == ("GN", "03", "1")
    assert (row["Start time"], row["End time"], row["Date of service"]) == (
        "09:00",
        "09:30",
        "2025-09-15",
    )
    assert (
        row["Consent to bill given"] == "2025-09-01" and row["Plan in force from"] == "2025-09-10"
    )
    assert row["Rendering licence"] == "CA SLP1234"
    unbillable = _csv(client.get(reverse("medicaid_unbillable_csv"), QUERY))
    assert [r["Reason codes"] for r in unbillable] == ["not_held"]
    events = AuditEvent.objects.filter(action="medicaid.exported").order_by("id")
    assert [e.detail["list"] for e in events] == ["billable", "unbillable"]
    detail = events[0].detail
    assert (detail["from"], detail["to"], detail["rows"]) == ("2025-09-01", "2025-09-30", 2)
    assert events[0].district_id == world.riverside.pk
    # Maya's "who opened this record" finds both files.
    from tandem.web.pages import record_of_access

    assert events[0].detail["students_listed"]["count"] == 1
    assert set(events) <= set(record_of_access(world.maya, with_refusals=False))


def test_another_districts_leader_never_sees_these_sessions(world, sessions) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("oak_director")
    assert _csv(client.get(reverse("medicaid_export_csv"), QUERY)) == []
    assert _csv(client.get(reverse("medicaid_unbillable_csv"), QUERY)) == []
    # A district that is not theirs, asked by its id, is refused naming the field.
    forged = client.get(
        reverse("medicaid_export_csv"), QUERY | {"district": str(world.riverside.public_id)}
    )
    assert forged.status_code == 400 and b"district" in forged.content


@pytest.mark.parametrize(
    "persona", ["teacher", "contractor", "case_manager", "principal", "parent"]
)
@pytest.mark.parametrize(
    "name", ["medicaid_export", "medicaid_export_csv", "medicaid_unbillable_csv"]
)
def test_everyone_else_gets_403(world, sessions, persona, name) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get(reverse(name), QUERY).status_code == 403
    assert not AuditEvent.objects.filter(action="medicaid.exported").exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2025-09-30", "end": "2025-09-01"}, "end"),
        ({"start": "2024-01-01", "end": "2025-09-01"}, "end"),
        ({"start": "soon", "end": "2025-09-01"}, "start"),
        ({"end": "2025-09-01"}, "start"),
    ],
)
def test_a_bad_range_is_refused_naming_the_field(world, query, field) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("director")
    page = client.get(reverse("medicaid_export"), query)
    assert page.status_code == 400 and f'id="id_{field}' in page.content.decode()
    download = client.get(reverse("medicaid_export_csv"), query)
    assert download.status_code == 400 and download.content.decode().startswith(field)
    assert not AuditEvent.objects.filter(action="medicaid.exported").exists()


def test_the_directors_page_links_the_export_for_district_administrators(world) -> None:  # type: ignore[no-untyped-def]
    export = reverse("medicaid_export")
    director = world.client_for("director").get(reverse("services_director"))
    assert export in director.content.decode()
    principal = world.client_for("principal").get(reverse("services_director"))
    assert principal.status_code == 200 and export not in principal.content.decode()
