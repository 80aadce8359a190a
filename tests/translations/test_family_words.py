"""Tandem's own words reach a Spanish-reading family in Spanish; staff's words are marked English.

The library, the service names, settings, goal areas and data notes are Tandem's words, shipped
in both languages (34 CFR 300.503(c), 300.9): the family reads them at once. What staff wrote
stays English, marked `lang="en"`, until the translation workflow publishes its Spanish.
"""

from __future__ import annotations

import io
import json
import re
from importlib.resources import files
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from tandem.core.words import Shown, shown, spanish, spanish_or_same
from tandem.goals import bank
from tandem.goals.models import GoalArea, GoalTemplate
from tandem.rules import accommodations

SLOT = re.compile(r"\{([a-z_]+)\}")


def test_every_library_entry_has_its_spanish() -> None:
    for entry in accommodations.load_library():
        assert entry.title_es and entry.description_es, entry.code
        assert entry.title_es != entry.title and entry.description_es != entry.description
        if entry.test_validity_note:
            assert entry.test_validity_note_es, entry.code


def test_a_library_entry_with_bad_spanish_is_refused_naming_it() -> None:
    raw = json.loads(files("tandem.rules").joinpath("data", "accommodations.json").read_text())
    raw["items"] = raw["items"][:1]
    raw["items"][0]["title_es"] = 7
    with pytest.raises(accommodations.LibraryError, match=r"items\[0\].*title_es"):
        accommodations.parse_library(json.dumps(raw))


def test_every_goal_area_and_shipped_goal_template_has_its_spanish() -> None:
    for _value, label in GoalArea.choices:
        with translation.override("en"):
            english = str(label)
        assert spanish(english), english
    for entry in bank.shipped():
        title, text = bank.in_language(entry["code"], "es") or ("", "")
        assert title and text, entry["code"]
        assert set(SLOT.findall(text)) == set(SLOT.findall(entry["text"])), entry["code"]
        assert bank.in_language(entry["code"], "en") is None


def test_words_are_matched_whatever_the_case_spacing_or_final_period() -> None:
    assert spanish("Speech-language therapy") == "Terapia del habla y el lenguaje"
    assert spanish("  speech-language   THERAPY ") == "Terapia del habla y el lenguaje"
    # The writer's final period stays, so a sentence still reads as one.
    entry = accommodations.get("extended-time")
    assert spanish(entry.description) == entry.description_es
    assert spanish(entry.description.rstrip(".") + ".").endswith(".")
    # ... and without one where the page goes on with the sentence ("... . Applies to: ...").
    assert spanish(entry.description.rstrip(".")) == entry.description_es.rstrip(".")
    assert spanish(f"{entry.title}: {entry.description}") == (
        f"{entry.title_es}: {entry.description_es}"
    )
    # One word changed makes it the writer's text, not the library's.
    assert spanish("Speech-language therapy twice") is None
    assert spanish("") is None


def test_shown_translates_tandems_words_and_marks_staff_words_as_english() -> None:
    assert shown("Reading", "es") == Shown("Lectura")
    assert shown("Maya likes maps.", "es") == Shown("Maya likes maps.", "en")
    assert str(shown("Maya likes maps.", "es").html) == '<span lang="en">Maya likes maps.</span>'
    # On an English page nothing changes and nothing is marked.
    assert shown("Reading", "en") == Shown("Reading")
    assert str(shown("<b>x</b>", "es").html) == '<span lang="en">&lt;b&gt;x&lt;/b&gt;</span>'
    with translation.override("es"):
        assert spanish_or_same("Weekly probe") == "Sondeo semanal"
        assert spanish_or_same("Probe by Ms. Lee") == "Probe by Ms. Lee"


@pytest.mark.django_db
def test_the_goal_bank_reads_in_spanish_and_keeps_the_english_the_plan_is_written_in(
    world: Any,
) -> None:
    template = GoalTemplate.objects.get(code="reading-orf")
    with translation.override("es"):
        assert template.for_reader == bank.in_language("reading-orf", "es")
    with translation.override("en"):
        assert template.for_reader == (template.title, template.text)
    user = world.users["case_manager"]
    user.preferred_language = "es"  # a case manager who works in Spanish
    user.save(update_fields=["preferred_language"])
    page = world.client_for("case_manager").get(reverse("goal_bank"), {"q": "fluency"})
    page = page.content.decode()
    assert "Fluidez en la lectura oral (palabras correctas por minuto)" in page
    assert f'<p lang="en">{template.text}</p>' in page


@pytest.mark.django_db
def test_the_spanish_family_reads_tandems_words_in_spanish_and_staff_words_marked_english(
    world: Any, plan: Any
) -> None:
    html = (
        world.client_for("parent")
        .get(reverse("portal_child", args=[world.maya.public_id]))
        .content.decode()
    )
    # The service's name and the goal's area are Tandem's words.
    assert "terapia del habla y el lenguaje" in html
    assert "speech-language therapy" not in html.lower()
    assert ">Lectura<" in html or "<strong>Lectura:" in html
    # The accommodation and the goal text are the case manager's: English, marked as English.
    assert '<span lang="en">Extended time (1.5x) on tests</span>' in html
    goal = plan.goals.get()
    assert f'<span lang="en">{goal.text}</span>' in html
    # ... and the page says so, with the way to an interpreter.
    assert 'data-translation-notice="items"' in html
    assert "Puede pedir un intérprete" in html

    services = world.client_for("parent").get(
        reverse("portal_services", args=[world.maya.public_id])
    )
    assert ">Terapia del habla y el lenguaje</h2>" in services.content.decode()


@pytest.mark.django_db
def test_the_spanish_plan_pdf_gives_tandems_words_in_spanish(world: Any, plan: Any) -> None:
    response = world.client_for("parent").get(reverse("plan_pdf", args=[plan.public_id]))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Terapia del habla y el lenguaje —" in text
    assert "Salón de terapia del habla" in text  # the setting
    assert "Patólogo del habla y el lenguaje" in text  # who provides it
    # The services list names it in Spanish (staff's own sections may still say it in English).
    assert "Speech-language therapy —" not in text
    # Staff's own words stay as written until a translation is published, and the document
    # says so where it begins.
    assert "Extended time (1.5x) on tests" in text
    assert "La traducción al español está en camino" in text
    assert text.index("La traducción al español está en camino") < text.index("Fortalezas")


@pytest.mark.django_db
def test_an_english_reading_family_sees_the_plan_as_written_with_no_notice(
    world: Any, plan: Any
) -> None:
    user = world.users["parent"]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    html = world.client_for("parent").get(reverse("portal_child", args=[world.maya.public_id]))
    page = html.content.decode()
    assert "Speech-language therapy" in page or "speech-language therapy" in page
    assert 'lang="en">' not in page.split("<main", 1)[1]
    assert 'data-translation-notice="items"' not in page


@pytest.mark.django_db
def test_once_published_the_spanish_pdf_carries_the_translated_goal_and_sections(
    world: Any, plan: Any, interpreter: Any
) -> None:
    from tandem.translations import actions, queries

    cm = world.users["case_manager"]
    t = actions.request_translation(actor=cm, plan=plan)
    actions.assign_translation(actor=cm, translation=t, translator=interpreter)
    rows = queries.paragraphs(t)
    texts = {row.position: f"ES {row.source}" for row in rows}
    actions.save_translation(actor=interpreter.user, translation=t, texts=texts, submit=True)
    actions.review_translation(actor=cm, translation=t)
    actions.publish_translation(actor=cm, translation=t)
    goal = plan.goals.get()

    response = world.client_for("parent").get(reverse("plan_pdf", args=[plan.public_id]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert f"ES {goal.text}" in text
    assert "ES Extended time (1.5x) on tests" in text
    assert "ES Maya is curious and kind." in text
    assert "Terapia del habla y el lenguaje —" in text  # Tandem's words, from its own list
    assert "La traducción al español está en camino" not in text
    # An English-reading staff member's PDF stays the English the team wrote.
    staff = world.client_for("case_manager").get(
        reverse("plan_pdf", args=[plan.public_id]), {"lang": "en"}
    )
    english = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(staff.content)).pages)
    assert "ES " not in english and "Speech-language therapy" in english
