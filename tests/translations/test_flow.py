"""A plan written in English for a family who reads Spanish, translated through to the family.

The whole flow on rendered pages: the case manager sees "translation needed" with its due date,
requests a translation and gives it to a district interpreter (who has no tie to the student),
the interpreter translates side by side, the case manager checks it and publishes it; the
parent then reads the Spanish, and before that the English under a notice that a translation is
coming. A second plan with the same English is filled in from the translation memory.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation as django_translation
from django.utils.translation import gettext

from tandem.accounts.models import AuditEvent
from tandem.translations import queries
from tandem.translations.models import (
    DEFAULT_DUE_SCHOOL_DAYS,
    TranslatedParagraph,
    Translation,
    TranslationSettings,
    TranslationStatus,
)
from tests.plans.test_lifecycle import active_plan

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def spanish_for(rows: list[TranslatedParagraph]) -> dict[str, str]:
    return {f"p{row.position}": f"En español: {row.source}" for row in rows}


def request(world: Any, plan: Any) -> Translation:
    response = world.client_for("case_manager").post(
        reverse("translation_request", args=[plan.public_id])
    )
    assert response.status_code == 302
    return Translation.objects.get(plan=plan)


def translated(world: Any, plan: Any, interpreter: Any) -> Translation:
    """Requested, assigned to the interpreter, translated and sent for review."""
    t = request(world, plan)
    cm = world.client_for("case_manager")
    cm.post(
        reverse("translation_assign", args=[t.public_id]), {"translator": interpreter.public_id}
    )
    rows = queries.paragraphs(t)
    edit = reverse("translation_edit", args=[t.public_id])
    response = client_of(interpreter.user).post(edit, {**spanish_for(rows), "submit": "1"})
    assert response.status_code == 302
    t.refresh_from_db()
    return t


# --- the state on the plan page ----------------------------------------------------------------


def test_case_manager_sees_translation_needed_with_its_due_date(world, plan) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for("case_manager").get(reverse("plan_detail", args=[plan.public_id]))
    html = page.content.decode()
    assert 'data-translation-state="needed"' in html
    assert "Translation needed" in html
    state = queries.plan_state(
        plan,
        plan.current_version.snapshot,
        plan.current_version,
        today=date.today(),
    )
    assert state.needed and state.due_on is not None
    # Ten school days after the version was frozen (weekdays: the test district has no calendar).
    start, counted, day = plan.current_version.created_at.date(), 0, None
    day = start
    while counted < DEFAULT_DUE_SCHOOL_DAYS:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    assert state.due_on == day
    assert reverse("translation_request", args=[plan.public_id]) in html


def test_the_district_setting_sets_the_due_date(world, plan) -> None:  # type: ignore[no-untyped-def]
    TranslationSettings.objects.create(district=world.riverside, due_school_days=3)
    t = request(world, plan)
    start = plan.current_version.created_at.date()
    assert t.due_on > start
    assert (
        sum(
            1 for n in range(1, (t.due_on - start).days + 1) if (start + timedelta(n)).weekday() < 5
        )
        == 3
    )


def test_no_translation_needed_for_an_english_speaking_family(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    page = world.client_for("case_manager").get(reverse("plan_detail", args=[plan.public_id]))
    assert "data-translation-state" not in page.content.decode()
    response = world.client_for("case_manager").post(
        reverse("translation_request", args=[plan.public_id])
    )
    assert response.status_code == 302
    assert not Translation.objects.exists()


def test_readers_do_not_see_the_state(world, plan) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for("teacher").get(reverse("plan_detail", args=[plan.public_id]))
    assert page.status_code == 200
    assert "data-translation-state" not in page.content.decode()


# --- the whole flow ----------------------------------------------------------------------------


def test_request_assign_translate_review_publish_and_the_parent_reads_spanish(  # type: ignore[no-untyped-def]
    world, plan, interpreter
) -> None:
    parent = world.client_for("parent")
    child = reverse("portal_child", args=[world.maya.public_id])
    strengths = "Maya is curious and kind."

    # Requested: the case manager is sent to the translation's page to choose a translator.
    cm = world.client_for("case_manager")
    response = cm.post(reverse("translation_request", args=[plan.public_id]))
    t = Translation.objects.get(plan=plan)
    assert response.url == reverse("translation_detail", args=[t.public_id])
    assert t.status == TranslationStatus.REQUESTED
    assert t.version == plan.current_version
    rows = queries.paragraphs(t)
    assert strengths in [r.source for r in rows]
    # The goal and the accommodation the case manager wrote are translated with the sections;
    # the service's name, setting and provider are Tandem's words, already in Spanish.
    goal = plan.goals.get()
    sources = {(r.section, r.field): r.source for r in rows}
    assert sources[("goals", "1.text")] == goal.text
    assert sources[("accommodations", "1.text")] == "Extended time (1.5x) on tests"
    assert not any(r.section == "services" for r in rows)
    assert ("goals", "1.area") not in sources  # "Reading" is Tandem's word
    assert all(r.text == "" and not r.from_memory for r in rows)
    page = cm.get(response.url).content.decode()
    assert 'name="translator"' in page and str(interpreter.public_id) in page

    # Before it is published the parent reads the English, marked as English, under the notice.
    html = parent.get(child).content.decode()
    assert 'data-translation-notice="coming"' in html
    with django_translation.override("es"):
        notice = gettext("A Spanish translation is on its way")
    assert notice in html
    assert f'<p lang="en">{strengths}</p>' in html
    assert reverse("message_thread", args=[world.maya.public_id]) in html

    # Assigned: the interpreter, who has no tie to Maya, finds it on their list.
    cm.post(
        reverse("translation_assign", args=[t.public_id]), {"translator": interpreter.public_id}
    )
    t.refresh_from_db()
    assert (t.status, t.translator) == (TranslationStatus.ASSIGNED, interpreter)
    mine = client_of(interpreter.user)
    assert (
        reverse("translation_edit", args=[t.public_id])
        in mine.get(reverse("translation_list")).content.decode()
    )
    assert mine.get(reverse("student", args=[world.maya.public_id])).status_code == 404

    # Side by side: each English paragraph, read-only, beside its own Spanish field.
    edit = reverse("translation_edit", args=[t.public_id])
    html = mine.get(edit).content.decode()
    for row in rows:
        assert (
            f'<p class="tandem-prewrap" lang="en" id="en-{row.position}">{row.source}</p>' in html
        )
        field = re.search(rf'<textarea[^>]*name="p{row.position}"[^>]*>', html)
        assert field is not None and f'aria-describedby="en-{row.position}"' in field.group(0)
    assert html.count("<textarea") == len(rows)

    # A save keeps the work; sending it for review needs every paragraph.
    first, *rest = rows
    mine.post(edit, {f"p{first.position}": "Primero.", "save": "1"})
    assert TranslatedParagraph.objects.get(pk=first.pk).text == "Primero."
    mine.post(edit, {**spanish_for(rows), "submit": "1"})
    t.refresh_from_db()
    assert t.status == TranslationStatus.TRANSLATED
    # The translator cannot check their own work; the case manager can.
    assert mine.post(reverse("translation_review", args=[t.public_id])).status_code == 404
    cm.post(reverse("translation_review", args=[t.public_id]))
    t.refresh_from_db()
    assert (t.status, t.reviewed_by) == (TranslationStatus.REVIEWED, world.users["case_manager"])

    # Published, paired with the version it translates; the parent reads the Spanish.
    cm.post(reverse("translation_publish", args=[t.public_id]))
    t.refresh_from_db()
    assert t.status == TranslationStatus.PUBLISHED
    assert t.version == plan.current_version
    html = parent.get(child).content.decode()
    assert f"En español: {strengths}" in html
    assert f"En español: {goal.text}" in html
    assert "En español: Extended time (1.5x) on tests" in html
    assert "data-translation-notice" not in html
    assert f'<p lang="en">{strengths}</p>' not in html
    page = cm.get(reverse("plan_detail", args=[plan.public_id])).content.decode()
    assert 'data-translation-state="published"' in page

    # The interpreter's access ended with the work.
    assert mine.get(edit).status_code == 404
    codes = list(
        AuditEvent.objects.filter(action__startswith="translation.").values_list(
            "action", flat=True
        )
    )
    for code in ("requested", "assigned", "editor_viewed", "saved", "submitted", "reviewed",
                 "published", "viewed"):  # fmt: skip
        assert f"translation.{code}" in codes


def test_an_english_speaking_parent_reads_the_plan_as_written(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    parent = world.users["parent"]
    parent.preferred_language = "en"
    parent.save(update_fields=["preferred_language"])
    html = (
        world.client_for("parent")
        .get(reverse("portal_child", args=[world.maya.public_id]))
        .content.decode()
    )
    assert "<p>Maya is curious and kind.</p>" in html
    assert "data-translation-notice" not in html


# --- the translation memory -------------------------------------------------------------------


def test_the_same_english_elsewhere_in_the_district_is_filled_in_from_memory(  # type: ignore[no-untyped-def]
    world, plan, interpreter
) -> None:
    t = translated(world, plan, interpreter)
    cm = world.client_for("case_manager")
    cm.post(reverse("translation_review", args=[t.public_id]))
    cm.post(reverse("translation_publish", args=[t.public_id]))
    # Leo's family speaks Spanish at home; his plan has the same paragraphs, and one more.
    world.leo.home_language = "Spanish"
    world.leo.save()
    leos = active_plan(world, student=world.leo, actor=world.users["director"])
    from tandem.plans.models import PlanSection

    director = world.client_for("director")
    sections = leos.current_version.snapshot["sections"]
    assert PlanSection.objects.filter(plan=leos, key="strengths").exists()
    response = director.post(reverse("translation_request", args=[leos.public_id]))
    assert response.status_code == 302
    second = Translation.objects.get(plan=leos)
    rows = queries.paragraphs(second)
    assert rows and all(r.from_memory for r in rows)
    assert {r.text for r in rows} == {f"En español: {r.source}" for r in rows}
    assert sections  # the memory matched the whole of Leo's English

    # The editor marks them for the translator to check; a changed one is theirs.
    edit = reverse("translation_edit", args=[second.public_id])
    html = director.get(edit).content.decode()
    assert html.count(gettext("From memory")) >= len(rows)
    director.post(edit, {f"p{rows[0].position}": "Otra cosa.", "save": "1"})
    rows = queries.paragraphs(second)
    assert not rows[0].from_memory and all(r.from_memory for r in rows[1:])


def test_memory_stays_in_the_district(world, plan, interpreter) -> None:  # type: ignore[no-untyped-def]
    t = translated(world, plan, interpreter)
    cm = world.client_for("case_manager")
    cm.post(reverse("translation_review", args=[t.public_id]))
    cm.post(reverse("translation_publish", args=[t.public_id]))
    digests = [r.source_digest for r in queries.paragraphs(t)]
    assert queries.memory(world.riverside.pk, digests)
    assert queries.memory(world.oak_valley.pk, digests) == {}
