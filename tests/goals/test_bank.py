"""The goal bank: the shipped templates, search, use, and personal templates."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.goals.bank import load_bank, shipped
from tandem.goals.models import GoalArea, GoalTemplate
from tandem.rules.goals import check_goal
from tests.goals.conftest import GOOD_GOAL


def _filled(entry):  # type: ignore[no-untyped-def]
    return re.sub(r"\{([a-z_]+)\}", lambda m: entry["slots"][m.group(1)]["sample"], entry["text"])


# --- the shipped bank ---------------------------------------------------------------------------


def test_the_bank_has_at_least_80_templates_in_every_area() -> None:
    entries = shipped()
    assert len(entries) >= 80
    assert len({e["code"] for e in entries}) == len(entries)
    per_area = Counter(e["area"] for e in entries)
    assert set(per_area) == set(GoalArea.values)
    assert min(per_area.values()) >= 5


@pytest.mark.parametrize("entry", shipped(), ids=lambda e: e["code"])
def test_every_filled_template_passes_the_checker(entry) -> None:  # type: ignore[no-untyped-def]
    for name in re.findall(r"\{([a-z_]+)\}", entry["text"]):
        assert entry["slots"][name]["sample"], f"slot {name} has no sample"
        assert entry["slots"][name]["hint"]
    smart = check_goal(_filled(entry)).smart
    assert smart.specific, entry["code"]
    assert smart.measurable, entry["code"]
    assert smart.time_bound, entry["code"]


def test_a_fresh_install_has_the_shipped_bank(db) -> None:  # type: ignore[no-untyped-def]
    # Loaded by the data migration, without any demo data.
    assert GoalTemplate.objects.filter(district__isnull=True).count() == len(shipped())


def test_loading_again_updates_and_keeps_own_templates(world) -> None:  # type: ignore[no-untyped-def]
    row = GoalTemplate.objects.get(code="reading-orf")
    row.title = "Changed locally"
    row.save()
    own = GoalTemplate.objects.create(
        district=world.riverside, area="reading", title="Ours", text=GOOD_GOAL
    )
    assert load_bank() == (0, 1)
    call_command("load_goal_bank", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert GoalTemplate.objects.get(code="reading-orf").title != "Changed locally"
    assert GoalTemplate.objects.filter(pk=own.pk).exists()


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("case_manager", 200),
        ("teacher", 200),
        ("director", 200),
        ("contractor", 200),
        ("parent", 404),
        ("uncle", 404),
    ],
)
def test_bank_page_is_for_staff(world, persona, status) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get(reverse("goal_bank")).status_code == status


def test_search_by_words_area_and_grade(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    html = client.get(reverse("goal_bank"), {"q": "words correct per minute"}).content.decode()
    assert 'data-template="reading-orf"' in html
    html = client.get(reverse("goal_bank"), {"area": "articulation"}).content.decode()
    assert 'data-template="artic-sound-words"' in html
    assert 'data-template="reading-orf"' not in html
    html = client.get(reverse("goal_bank"), {"area": "reading", "grade": "prek_2"}).content.decode()
    assert 'data-template="reading-letter-sounds"' in html
    assert 'data-template="reading-comprehension-questions"' in html  # any grade
    assert 'data-template="reading-inference"' not in html
    html = client.get(reverse("goal_bank"), {"q": "zzzqqq"}).content.decode()
    assert "No template matches" in html


def test_bad_search_input_names_the_field(world) -> None:  # type: ignore[no-untyped-def]
    html = (
        world.client_for("case_manager")
        .get(reverse("goal_bank"), {"area": "astrology"})
        .content.decode()
    )
    assert "Choose an area from the list." in html


def test_search_query_count_does_not_grow_with_templates(
    world, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    client.get(reverse("goal_bank"))
    with django_assert_max_num_queries(12):
        client.get(reverse("goal_bank"), {"page": "2"})


def test_personal_and_district_templates_stay_in_their_place(world) -> None:  # type: ignore[no-untyped-def]
    GoalTemplate.objects.create(
        district=world.oak_valley, area="math", title="Oak district goal", text=GOOD_GOAL
    )
    GoalTemplate.objects.create(
        district=world.riverside,
        owner=world.users["director"],
        area="math",
        title="The director's own goal",
        text=GOOD_GOAL,
    )
    GoalTemplate.objects.create(
        district=world.riverside, area="math", title="Riverside district goal", text=GOOD_GOAL
    )
    html = world.client_for("case_manager").get(reverse("goal_bank"), {"area": "math"}).content
    html = html.decode()
    assert "Riverside district goal" in html
    assert "Oak district goal" not in html
    assert "The director&#x27;s own goal" not in html


# --- use ----------------------------------------------------------------------------------------


def test_use_a_template_into_the_goal_editor(world, draft) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    template = GoalTemplate.objects.get(code="reading-orf")
    url = reverse("goal_bank_use", args=[template.public_id])
    html = client.get(url, {"plan": str(draft.public_id)}).content.decode()
    assert 'name="slot_timeframe"' in html
    assert 'name="slot_target"' in html
    assert f'action="{reverse("goal_add", args=[draft.public_id])}"' in html
    response = client.get(
        reverse("goal_add", args=[draft.public_id]),
        {
            "template": str(template.public_id),
            "slot_timeframe": "By June 2026",
            "slot_text_level": "grade 3",
            "slot_target": "95",
        },
    )
    html = response.content.decode()
    assert "By June 2026, when given an unpracticed grade 3 passage" in html
    assert "at least 95 words correct per minute" in html
    assert '<option value="Reading" selected>' in html


def test_use_without_a_plan_shows_the_filled_text_and_flags_empty_slots(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("teacher")
    template = GoalTemplate.objects.get(code="math-regrouping")
    url = reverse("goal_bank_use", args=[template.public_id])
    html = client.get(url, {"slot_timeframe": "By May 2026", "slot_criterion": ""}).content
    html = html.decode()
    assert "By May 2026, when given 20 two-digit" in html
    assert "[criterion]" in html
    assert check_goal(template.fill({"timeframe": "By May 2026"})).flags


def test_other_peoples_templates_are_not_found(world) -> None:  # type: ignore[no-untyped-def]
    mine = GoalTemplate.objects.create(
        district=world.riverside,
        owner=world.users["director"],
        area="math",
        title="Mine",
        text=GOOD_GOAL,
    )
    client = world.client_for("case_manager")
    assert client.get(reverse("goal_bank_use", args=[mine.public_id])).status_code == 404
    assert client.post(reverse("goal_template_delete", args=[mine.public_id])).status_code == 404
    assert GoalTemplate.objects.filter(pk=mine.pk).exists()
    shipped_one = GoalTemplate.objects.get(code="reading-orf")
    assert (
        client.post(reverse("goal_template_delete", args=[shipped_one.public_id])).status_code
        == 404
    )


# --- save my goal as a personal template --------------------------------------------------------


def test_save_my_goal_as_a_personal_template(world, draft, goal) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    url = reverse("goal_save_template", args=[draft.public_id, goal.public_id])
    response = client.post(url, {"tpl-title": "Fluency, my way", "tpl-grade_band": "3_5"})
    assert response.status_code == 302
    template = GoalTemplate.objects.get(title="Fluency, my way")
    assert template.owner == world.users["case_manager"]
    assert template.district == world.riverside
    assert template.area == "reading"
    assert "Maya" not in template.text
    assert template.text.startswith("{timeframe}, when given a grade-level passage, the student")
    assert AuditEvent.objects.filter(action="goal_template.saved").exists()
    html = client.get(reverse("goal_bank"), {"q": "my way"}).content.decode()
    assert "My template" in html
    # Only the owner sees it, and only the owner deletes it.
    other = world.client_for("director").get(reverse("goal_bank"), {"q": "my way"}).content
    assert b"Fluency, my way" not in other
    response = client.post(reverse("goal_template_delete", args=[template.public_id]))
    assert response.status_code == 302
    assert not GoalTemplate.objects.filter(pk=template.pk).exists()


def test_saving_a_template_without_a_title_changes_nothing(world, draft, goal) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    url = reverse("goal_save_template", args=[draft.public_id, goal.public_id])
    before = GoalTemplate.objects.count()
    response = client.post(url, {"tpl-title": "", "tpl-grade_band": "any"}, follow=True)
    assert "Give the template a title." in response.content.decode()
    assert GoalTemplate.objects.count() == before
