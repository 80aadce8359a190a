"""Who may do what with a translation.

A plan writer (the case manager, a leader) requests, assigns, reviews and publishes. The
assigned interpreter, with no tie to the student, opens their own translation while it is open,
and nothing else of the student's. Readers of the record (the class teacher, the psychologist on
the team, the contract therapist, the parent) may read the translation's page but get 403 on
every write, and nothing is written; someone with no tie gets 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.people.models import Role
from tandem.translations import queries
from tandem.translations.models import TranslatedParagraph, Translation, TranslationStatus
from tests.factories import make_staff
from tests.translations.test_flow import client_of, request, spanish_for, translated

pytestmark = pytest.mark.django_db

READ_ONLY = ["teacher", "psych", "contractor", "parent"]
OUTSIDERS = ["stranger", "oak_director", "uncle"]
WRITES = ["assign", "edit", "review", "publish"]


def ledger() -> tuple[Any, ...]:
    """What a refused request must leave as it was."""
    return (
        Translation.objects.count(),
        tuple(Translation.objects.values_list("status", "translator_id", "reviewed_by_id")),
        tuple(TranslatedParagraph.objects.values_list("text", "updated_by_id")),
        AuditEvent.objects.filter(action__startswith="translation.")
        .exclude(action__in=["translation.viewed", "translation.editor_viewed"])
        .count(),
    )


def posts(t: Translation, interpreter: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    rows = queries.paragraphs(t)
    return {
        "assign": (
            reverse("translation_assign", args=[t.public_id]),
            {"translator": interpreter.public_id},
        ),
        "edit": (reverse("translation_edit", args=[t.public_id]), spanish_for(rows)),
        "review": (reverse("translation_review", args=[t.public_id]), {}),
        "publish": (reverse("translation_publish", args=[t.public_id]), {}),
    }


def test_case_manager_works_on_every_page(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    cm = world.client_for("case_manager")
    for name in ("translation_detail", "translation_edit"):
        assert cm.get(reverse(name, args=[t.public_id])).status_code == 200
    assert cm.get(reverse("translation_list")).status_code == 200


@pytest.mark.parametrize("persona", READ_ONLY)
def test_readers_see_the_page_but_cannot_write(world, plan, interpreter, persona) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    client = world.client_for(persona)
    page = client.get(reverse("translation_detail", args=[t.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("translation_publish", args=[t.public_id]) not in html
    assert 'name="translator"' not in html
    assert client.get(reverse("translation_edit", args=[t.public_id])).status_code == 403
    before = ledger()
    assert client.post(reverse("translation_request", args=[plan.public_id])).status_code == 403
    for name in WRITES:
        url, data = posts(t, interpreter)[name]
        assert client.post(url, data).status_code == 403, name
    assert ledger() == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_and_write_nothing(world, plan, interpreter, persona) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    client = world.client_for(persona)
    for name in ("translation_detail", "translation_edit"):
        assert client.get(reverse(name, args=[t.public_id])).status_code == 404
    before = ledger()
    assert client.post(reverse("translation_request", args=[plan.public_id])).status_code == 404
    for name in WRITES:
        url, data = posts(t, interpreter)[name]
        assert client.post(url, data).status_code == 404, name
    assert ledger() == before


def test_the_interpreter_translates_but_does_not_assign_review_or_publish(  # type: ignore[no-untyped-def]
    world, plan, interpreter
) -> None:
    t = translated(world, plan, interpreter)
    mine = client_of(interpreter.user)
    assert mine.get(reverse("translation_detail", args=[t.public_id])).status_code == 200
    before = ledger()
    for name in ("assign", "review", "publish"):
        url, data = posts(t, interpreter)[name]
        assert mine.post(url, data).status_code == 404, name
    assert mine.post(reverse("translation_request", args=[plan.public_id])).status_code == 404
    assert ledger() == before
    # Their reads are in the record of access, marked as the assignee's.
    viewed = AuditEvent.objects.filter(actor=interpreter.user, action="translation.viewed").last()
    assert viewed is not None and viewed.detail == {"as": "assignee"}


def test_another_interpreter_gets_404(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    other = make_staff("other@r.test", [(Role.TEACHER, world.riverside, None)], first="Otto")
    client = client_of(other.user)
    before = ledger()
    assert client.get(reverse("translation_edit", args=[t.public_id])).status_code == 404
    url, data = posts(t, interpreter)["edit"]
    assert client.post(url, data).status_code == 404
    assert ledger() == before


def test_a_reassigned_interpreter_loses_the_translation(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = request(world, plan)
    cm = world.client_for("case_manager")
    assign = reverse("translation_assign", args=[t.public_id])
    cm.post(assign, {"translator": interpreter.public_id})
    other = make_staff("other@r.test", [(Role.TEACHER, world.riverside, None)], first="Otto")
    cm.post(assign, {"translator": other.public_id})
    t.refresh_from_db()
    assert t.translator == other and t.status == TranslationStatus.ASSIGNED
    edit = reverse("translation_edit", args=[t.public_id])
    assert client_of(interpreter.user).get(edit).status_code == 404
    assert client_of(other.user).get(edit).status_code == 200


def test_a_closed_account_loses_the_translation(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    client = client_of(interpreter.user)
    interpreter.user.is_active = False
    interpreter.user.save(update_fields=["is_active"])
    response = client.get(reverse("translation_edit", args=[t.public_id]))
    assert response.status_code in {302, 404}  # signed out, or out of reach: never the text
