"""Bad input: each refusal names the paragraph or the field, and nothing is saved.

And the pairing with versions: a draft translated before it is finalized is published into the
version it becomes; a translation of English that changed since is never published.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.people.models import Staff
from tandem.plans import actions_drafts, actions_versions
from tandem.translations import queries
from tandem.translations.models import TranslatedParagraph, Translation, TranslationStatus
from tests.factories import meet_finalize_requirements
from tests.plans.test_pages import MEETING, draft_plan
from tests.translations.test_flow import client_of, request, spanish_for, translated

pytestmark = pytest.mark.django_db


def texts(t: Translation) -> list[tuple[str, bool]]:
    return [(r.text, r.from_memory) for r in queries.paragraphs(t)]


def assigned(world: Any, plan: Any, interpreter: Staff) -> Translation:
    t = request(world, plan)
    world.client_for("case_manager").post(
        reverse("translation_assign", args=[t.public_id]), {"translator": interpreter.public_id}
    )
    t.refresh_from_db()
    return t


def strengths_row(t: Translation) -> TranslatedParagraph:
    return t.paragraphs.get(section="strengths")


def test_publishing_with_an_empty_paragraph_is_refused_naming_it(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = assigned(world, plan, interpreter)
    rows = queries.paragraphs(t)
    empty = strengths_row(t)
    filled = {k: v for k, v in spanish_for(rows).items() if k != f"p{empty.position}"}
    client_of(interpreter.user).post(reverse("translation_edit", args=[t.public_id]), filled)
    before = texts(t)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    cm = world.client_for("case_manager")
    response = cm.post(reverse("translation_publish", args=[t.public_id]), follow=True)
    assert response.status_code == 200
    assert "Strengths, paragraph 1 has no Spanish text." in response.content.decode()
    t.refresh_from_db()
    assert t.status == TranslationStatus.ASSIGNED and t.published_at is None
    assert texts(t) == before
    assert not AuditEvent.objects.filter(action="translation.published").exists()
    # Only the read of the page it was sent back to was added to the log.
    added = AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True)
    assert set(added) <= {"translation.viewed"}


def test_sending_for_review_with_an_empty_paragraph_saves_nothing(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = assigned(world, plan, interpreter)
    rows = queries.paragraphs(t)
    empty = strengths_row(t)
    posted = {**spanish_for(rows), f"p{empty.position}": "   ", "submit": "1"}
    response = client_of(interpreter.user).post(
        reverse("translation_edit", args=[t.public_id]), posted
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Strengths, paragraph 1 has no Spanish text." in html
    assert f'id="id_p{empty.position}-error"' in html  # on the field, linked from the summary
    assert f'href="#id_p{empty.position}"' in html
    t.refresh_from_db()
    assert t.status == TranslationStatus.ASSIGNED
    assert all(text == "" for text, _memory in texts(t))  # the other paragraphs were not saved
    assert not AuditEvent.objects.filter(action__in=["translation.saved", "translation.submitted"])


def test_a_translator_from_another_district_is_refused(world, plan) -> None:  # type: ignore[no-untyped-def]
    t = request(world, plan)
    outsider = Staff.objects.get(user=world.users["oak_director"])
    response = world.client_for("case_manager").post(
        reverse("translation_assign", args=[t.public_id]), {"translator": outsider.public_id}
    )
    assert response.status_code == 200
    assert "Choose someone who works for the district today." in response.content.decode()
    t.refresh_from_db()
    assert t.translator is None and t.status == TranslationStatus.REQUESTED
    assert not AuditEvent.objects.filter(action="translation.assigned").exists()


def test_no_translator_chosen_names_the_field(world, plan) -> None:  # type: ignore[no-untyped-def]
    t = request(world, plan)
    response = world.client_for("case_manager").post(
        reverse("translation_assign", args=[t.public_id]), {"translator": ""}
    )
    assert "Choose the translator or interpreter." in response.content.decode()
    t.refresh_from_db()
    assert t.translator is None


def test_reviewing_before_it_is_translated_is_refused(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = assigned(world, plan, interpreter)
    response = world.client_for("case_manager").post(
        reverse("translation_review", args=[t.public_id]), follow=True
    )
    assert "Only a translation sent for review can be marked reviewed." in response.content.decode()
    t.refresh_from_db()
    assert t.status == TranslationStatus.ASSIGNED and t.reviewed_by is None


def test_whoever_wrote_a_paragraph_cannot_review_it(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    cm = world.client_for("case_manager")
    row = strengths_row(t)
    cm.post(reverse("translation_edit", args=[t.public_id]), {f"p{row.position}": "Otra."})
    response = cm.post(reverse("translation_review", args=[t.public_id]), follow=True)
    assert "A second person checks a translation" in response.content.decode()
    t.refresh_from_db()
    assert t.status == TranslationStatus.TRANSLATED
    # Another plan writer may.
    world.client_for("director").post(reverse("translation_review", args=[t.public_id]))
    t.refresh_from_db()
    assert (t.status, t.reviewed_by) == (TranslationStatus.REVIEWED, world.users["director"])


def test_a_change_after_review_asks_for_a_new_review(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    world.client_for("case_manager").post(reverse("translation_review", args=[t.public_id]))
    row = strengths_row(t)
    edit = reverse("translation_edit", args=[t.public_id])
    client_of(interpreter.user).post(edit, {f"p{row.position}": "Cambiado."})
    t.refresh_from_db()
    assert (t.status, t.reviewed_by) == (TranslationStatus.TRANSLATED, None)


def test_a_translated_draft_is_published_into_the_version_it_becomes(  # type: ignore[no-untyped-def]
    spanish, interpreter
) -> None:
    world = spanish
    cm = world.users["case_manager"]
    plan = draft_plan(world)
    actions_drafts.save_section(
        actor=cm,
        plan=plan,
        key="strengths",
        content={"text": "Maya is curious."},
        expected_revision=0,
    )
    meet_finalize_requirements(cm, plan, MEETING)
    t = translated(world, plan, interpreter)
    assert t.version is None
    world.client_for("director").post(reverse("translation_review", args=[t.public_id]))
    version = actions_versions.finalize_plan(
        actor=cm, plan=plan, effective_from=MEETING, today=MEETING
    )
    world.client_for("case_manager").post(reverse("translation_publish", args=[t.public_id]))
    t.refresh_from_db()
    assert t.status == TranslationStatus.PUBLISHED
    assert t.version == version
    html = (
        world.client_for("parent")
        .get(reverse("portal_child", args=[world.maya.public_id]))
        .content.decode()
    )
    assert "En español: Maya is curious." in html


def test_english_changed_since_the_request_is_not_published(spanish, interpreter) -> None:  # type: ignore[no-untyped-def]
    world = spanish
    cm = world.users["case_manager"]
    plan = draft_plan(world)
    t = translated(world, plan, interpreter)
    world.client_for("director").post(reverse("translation_review", args=[t.public_id]))
    section = plan.sections.get(key="plaafp")
    actions_drafts.save_section(
        actor=cm,
        plan=plan,
        key="plaafp",
        content={"text": "Maya now reads 70 words per minute."},
        expected_revision=section.revision,
    )
    response = world.client_for("case_manager").post(
        reverse("translation_publish", args=[t.public_id]), follow=True
    )
    assert "The English of the plan changed" in response.content.decode()
    t.refresh_from_db()
    assert t.status == TranslationStatus.REVIEWED
    # The plan page asks for a translation of the new English.
    page = world.client_for("case_manager").get(reverse("plan_detail", args=[plan.public_id]))
    assert 'data-translation-state="needed"' in page.content.decode()
