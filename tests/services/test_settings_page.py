"""The district administrator's service settings page (issue 12: the owed-minutes threshold,
the makeup window, late logs, the absence pattern and teletherapy consent, edited without a
database console)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import District
from tandem.services import director
from tandem.services.actions import late_after_days
from tandem.services.compensatory import settings_for
from tandem.services.models import ServiceSettings
from tests.services.director_world import TODAY, mandates

VALID = {
    "threshold_percent": "50",
    "makeup_window_school_days": "10",
    "late_after_days": "3",
    "absence_count": "4",
    "absence_days": "21",
    "teletherapy_consent_required": "on",
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
    }
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
    assert set(event.detail) == set(VALID)


def test_saving_the_same_values_records_nothing(world):
    client = world.client_for("director")
    same = {**VALID, "threshold_percent": "90", "makeup_window_school_days": "5"}
    same.update(late_after_days="7", absence_count="3", absence_days="28")
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
