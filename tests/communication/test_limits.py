"""A form page refuses an oversize note naming the field and the limit; nothing is saved (issue 16)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.communication.models import ContactEntry
from tandem.core import limits


def _contact(client, student, summary: str):  # type: ignore[no-untyped-def]
    data = {
        "contacted_on": timezone.localdate().isoformat(),
        "method": "phone",
        "language": "English",
        "summary": summary,
    }
    return client.post(reverse("comm_log", args=[student.public_id]), data)


def test_an_oversize_summary_is_refused_naming_the_field_and_nothing_is_saved(world):  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    events = AuditEvent.objects.count()
    response = _contact(client, world.maya, "x" * (limits.NOTE + 1))
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert "Summary</a>: At most 5,000 characters (you typed 5,001)." in body
    assert not ContactEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="communication.contact_logged").exists()
    assert AuditEvent.objects.count() - events <= 1  # at most the page's own "viewed"


def test_exactly_the_limit_is_saved(world):  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    assert _contact(client, world.maya, "x" * limits.NOTE).status_code == 302
    assert ContactEntry.objects.get().summary == "x" * limits.NOTE


def test_nul_in_a_form_field_is_refused(world):  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    response = _contact(client, world.maya, "called\x00home")
    # Refused for every form before any view reads it (tandem/web/middleware.py).
    assert response.status_code == 400
    assert "The field “summary” holds a character Tandem cannot keep (NUL)" in (
        response.content.decode()
    )
    assert not ContactEntry.objects.exists()
