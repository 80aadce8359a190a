"""Length limits in the plan editor (issue 16): an oversize section is refused by its autosave
with the field (or the section) and the limit in words, and nothing is saved."""

from __future__ import annotations

import json

from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import limits
from tandem.plans.models import Plan, PlanSection
from tests.plans.test_pages import draft_plan

HX = {"HTTP_HX_REQUEST": "true"}
PRESENT_LEVELS = "Present levels of academic achievement and functional performance"


def _url(plan: Plan, key: str) -> str:
    return reverse("plan_section_edit", args=[plan.public_id, key])


def _saves() -> int:
    return AuditEvent.objects.filter(action="plan.section_saved").count()


def test_autosave_of_oversize_present_levels_names_the_field_and_the_limit(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)  # present levels at revision 1
    before, saves = PlanSection.objects.get(plan=plan, key="plaafp").content, _saves()
    client = world.client_for("case_manager")
    typed = "a" * 24_512
    response = client.post(_url(plan, "plaafp"), {"revision": 1, "text": typed}, **HX)
    body = response.content.decode()
    assert response.status_code == 200  # swapped into the status line the page shows
    assert "Not saved" in body
    assert f"{PRESENT_LEVELS}: At most 20,000 characters (you typed 24,512)." in body
    section = PlanSection.objects.get(plan=plan, key="plaafp")
    assert (section.revision, section.content) == (1, before)
    assert _saves() == saves


def test_exactly_the_limit_is_saved(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    text = "a" * limits.SECTION_TEXT
    response = client.post(_url(plan, "plaafp"), {"revision": 1, "text": text}, **HX)
    assert "Saved at" in response.content.decode()
    assert PlanSection.objects.get(plan=plan, key="plaafp").content == {"text": text}


def test_a_section_too_big_in_all_is_refused_naming_the_section(world) -> None:  # type: ignore[no-untyped-def]
    # Each field within its limit, the seven together over the section's 100 KB.
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    fields = ("education", "employment", "independent_living", "services", "course_of_study")
    data = {name: "é" * 12_000 for name in fields}  # 24,000 bytes each in UTF-8
    response = client.post(_url(plan, "transition"), {"revision": 0, **data}, **HX)
    body = response.content.decode()
    assert "Not saved" in body
    assert "Transition is 121 KB in all; a plan section holds at most 100 KB." in body
    assert not PlanSection.objects.filter(plan=plan, key="transition").exists()


def test_the_page_carries_the_words_autosave_shows_for_a_refused_request(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    page = world.client_for("case_manager").get(_url(plan, "plaafp")).content.decode()
    assert 'data-refused-text="Not saved: this text holds a character' in page


def test_without_javascript_the_page_shows_the_refusal_on_the_field(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    response = client.post(_url(plan, "strengths"), {"revision": 0, "text": "b" * 20_001})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in body and "At most 20,000 characters (you typed 20,001)." in body
    assert not PlanSection.objects.filter(plan=plan, key="strengths").exists()


def test_nul_is_refused_by_the_form_and_by_the_conflict_form(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    response = client.post(_url(plan, "plaafp"), {"revision": 1, "text": "a\x00b"}, **HX)
    # A 400 for every form (tandem/web/middleware.py); autosave.js shows its data-refused-text.
    assert response.status_code == 400
    # The conflict form posts each choice as JSON, which no form field checks: the writer does.
    resolve = {"resolve": "1", "revision": 1, "all": "mine", "mine-text": json.dumps("a\x00b")}
    response = client.post(_url(plan, "plaafp"), resolve)
    assert response.status_code == 400
    assert "holds a NUL character" in response.content.decode()
    section = PlanSection.objects.get(plan=plan, key="plaafp")
    assert section.revision == 1 and "\x00" not in json.dumps(section.content, ensure_ascii=False)


def test_the_conflict_form_cannot_save_an_oversize_field_either(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    resolve = {"resolve": "1", "revision": 1, "all": "mine", "mine-text": json.dumps("c" * 20_001)}
    response = client.post(_url(plan, "plaafp"), resolve)
    assert response.status_code == 400 and "20,000" in response.content.decode()
    assert PlanSection.objects.get(plan=plan, key="plaafp").revision == 1
