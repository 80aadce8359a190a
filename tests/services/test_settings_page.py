"""The district administrator's service settings page (issue 12: the owed-minutes threshold,
the makeup window, late logs, the absence pattern and teletherapy consent, edited without a
database console)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import District
from tandem.services import director
from tandem.services.actions import late_after_days
from tandem.services.compensatory import ledger_for_student, settings_for
from tandem.services.models import AttendanceCode, ServiceSettings
from tandem.services.queries import minutes_for_student
from tests.services.director_world import TODAY, log, mandates

ABSENT = AttendanceCode.STUDENT_ABSENT
VALID = {
    "threshold_percent": "50",
    "makeup_window_school_days": "10",
    "late_after_days": "3",
    "absence_count": "4",
    "absence_days": "21",
    "teletherapy_consent_required": "on",
    "owed_codes": ["school_closed", "student_unavailable"],  # a technology failure no longer
}


def _url(district: District) -> str:
    return reverse("service_settings", args=[district.public_id])


def test_the_page_shows_the_defaults(world):
    response = world.client_for("director").get(_url(world.riverside))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {
        "threshold_percent": 90,
        "makeup_window_school_days": 5,
        "absence_count": 3,
        "absence_days": 28,
        "late_after_days": 7,
        "teletherapy_consent_required": False,
        "owed_codes": ["student_unavailable", "school_closed", "tech_failure"],
    }
    html = response.content.decode()
    assert "Always owed: Provider absent, Provider unavailable, Facilitator missing." in html
    assert "Service settings: " in response.content.decode()


def test_the_index_opens_the_administrators_district(world):
    response = world.client_for("oak_director").get(reverse("service_settings_index"))
    assert response.status_code == 302
    assert response["Location"] == _url(world.oak_valley)


def test_saving_changes_every_reader_and_is_audited(world):
    mandates(world)
    response = world.client_for("director").post(_url(world.riverside), VALID)
    assert response.status_code == 302
    world.riverside.refresh_from_db()
    chosen = settings_for(world.riverside.settings)
    assert (chosen.threshold_percent, chosen.makeup_window_school_days) == (50, 10)
    assert (chosen.absence_count, chosen.absence_days) == (4, 21)
    assert late_after_days(world.riverside.pk) == 3
    assert ServiceSettings.objects.get(district=world.riverside).teletherapy_consent_required
    assert director.served_percent(world.riverside) == 50
    with clock.fixed(TODAY):
        rows = director.mandate_rows(world.users["director"], today=TODAY)
    assert {row.threshold for row in rows} == {50}
    event = AuditEvent.objects.get(action="service_settings.changed")
    assert event.district_id == world.riverside.pk
    assert event.detail["threshold_percent"] == {"from": 90, "to": 50}
    assert event.detail["owed_codes"] == {
        "from": ["student_unavailable", "school_closed", "tech_failure"],
        "to": ["student_unavailable", "school_closed"],
    }
    assert set(event.detail) == set(VALID)
    assert "tech_failure" not in chosen.owed_codes
    assert "provider_absent" in chosen.owed_codes  # always owed


def test_a_district_that_owes_student_absences_counts_them_everywhere(world):
    m = mandates(world)
    log(world.users["slp"], m.maya, world.maya, [(date(2025, 9, 29), ABSENT)])
    with clock.fixed(TODAY):
        before = {
            r.student.first_name: r
            for r in director.mandate_rows(world.users["director"], today=TODAY)
        }
        ledger = ledger_for_student(world.maya, today=TODAY)
    assert before["Maya"].year.totals.owed == 30  # the provider's absence only
    assert len(ledger.entries) == 1
    chosen = {**VALID, "owed_codes": ["student_absent", "tech_failure", "school_closed"]}
    assert world.client_for("director").post(_url(world.riverside), chosen).status_code == 302
    world.maya.refresh_from_db()
    world.riverside.refresh_from_db()
    with clock.fixed(TODAY):
        after = {
            r.student.first_name: r
            for r in director.mandate_rows(world.users["director"], today=TODAY)
        }
        ledger = ledger_for_student(world.maya, today=TODAY)
        student_page = {m.service.name: m for m in minutes_for_student(world.maya, today=TODAY)}
    assert after["Maya"].year.totals.owed == 60  # the kept tally was counted again
    assert len(ledger.entries) == 2
    year = [w for w in student_page[m.maya.name].windows if w.key == "year"][0]
    assert year.totals.owed == 60  # the student's own page agrees


def test_an_always_owed_code_cannot_be_set_aside(world):
    posted = {**VALID, "owed_codes": ["provider_absent"]}
    response = world.client_for("director").post(_url(world.riverside), posted)
    assert response.status_code == 400
    assert "provider_absent is not one of the available choices" in str(
        response.context["form"].errors["owed_codes"]
    )


def test_saving_the_same_values_records_nothing(world):
    client = world.client_for("director")
    same = {**VALID, "threshold_percent": "90", "makeup_window_school_days": "5"}
    same.update(late_after_days="7", absence_count="3", absence_days="28")
    same["owed_codes"] = ["tech_failure", "school_closed", "student_unavailable"]
    del same["teletherapy_consent_required"]
    response = client.post(_url(world.riverside), same, follow=True)
    assert "Nothing changed." in response.content.decode()
    assert not AuditEvent.objects.filter(action="service_settings.changed").exists()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("threshold_percent", "900", "less than or equal to 100"),
        ("threshold_percent", "", "This field is required"),
        ("makeup_window_school_days", "0", "greater than or equal to 1"),
        ("late_after_days", "many", "Enter a whole number"),
        ("absence_days", "400", "less than or equal to 120"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, field, value, says):
    before = dict(world.riverside.settings or {})
    response = world.client_for("director").post(_url(world.riverside), {**VALID, field: value})
    assert response.status_code == 400
    assert says in str(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()  # the summary links to the field
    world.riverside.refresh_from_db()
    assert (world.riverside.settings or {}) == before
    assert not ServiceSettings.objects.filter(district=world.riverside).exists()
    assert not AuditEvent.objects.filter(action="service_settings.changed").exists()


def test_spanish(world):
    world.users["director"].preferred_language = "es"
    world.users["director"].save(update_fields=["preferred_language"])
    response = world.client_for("director").get(_url(world.riverside))
    html = response.content.decode()
    assert "Configuración de servicios" in html
    assert "Guardar" in html


@pytest.mark.parametrize(
    "persona",
    ["principal", "case_manager", "teacher", "parent", "contractor", "psych", "stranger"],
)
def test_everyone_but_the_districts_administrator_gets_404(world, persona):
    client = world.client_for(persona)
    assert client.get(_url(world.riverside)).status_code == 404
    assert client.post(_url(world.riverside), VALID).status_code in (403, 404)
    assert client.get(reverse("service_settings_index")).status_code == 404
    world.riverside.refresh_from_db()
    assert not (world.riverside.settings or {}).get("services")


def test_another_districts_administrator_gets_404(world):
    client = world.client_for("oak_director")
    assert client.get(_url(world.riverside)).status_code == 404
    assert client.post(_url(world.riverside), VALID).status_code == 404
    assert not ServiceSettings.objects.filter(district=world.riverside).exists()
