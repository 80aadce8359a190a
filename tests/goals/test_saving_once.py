"""One goal save: the checker runs once, one audit event is written, the page reads it back.

The checker's runs are counted by wrapping its reading step: every `check_goal`, whoever calls it
(the goal editor, the plan's actions, a page), reads its sentence exactly once.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.plans.models import Goal
from tandem.rules.goals import checker, from_record
from tests.goals.conftest import GOOD_GOAL, GUIDE_GOAL

# Measured: opening a saved goal, and saving it (with its objectives and the audit event).
OPEN_QUERIES, SAVE_QUERIES = 11, 19


@pytest.fixture
def runs(monkeypatch):  # type: ignore[no-untyped-def]
    """How many times the goal checker has run since the fixture was made."""
    count = {"n": 0}
    read = checker.read_sentence

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        count["n"] += 1
        return read(*args, **kwargs)

    monkeypatch.setattr(checker, "read_sentence", counted)
    return count


def _data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "area": "Reading",
        "plaafp_need": "Maya reads 60 words correct per minute on grade-level passages.",
        "baseline": "60 words correct per minute",
        "text": GOOD_GOAL,
        "objectives": "Read 70 wcpm by December",
        "save": "1",
    }
    return {**data, **overrides}


def test_the_counter_counts_every_check(runs) -> None:  # type: ignore[no-untyped-def]
    checker.check_goal(GOOD_GOAL)
    checker.check_goal(GUIDE_GOAL)
    assert runs["n"] == 2


def test_adding_a_goal_checks_it_once_and_writes_one_event(world, draft, runs) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    before = AuditEvent.objects.count()
    response = client.post(reverse("goal_add", args=[draft.public_id]), _data())
    assert response.status_code == 302
    assert runs["n"] == 1
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == ["plan.goal_added"]
    assert events[0].detail["objectives"] == 1
    goal = Goal.objects.get(plan=draft)
    assert from_record(goal.analysis) is not None


def test_changing_a_goal_checks_it_once_and_writes_one_event(world, draft, goal, runs) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    before = AuditEvent.objects.count()
    url = reverse("goal_edit", args=[draft.public_id, goal.public_id])
    new = GOOD_GOAL.replace("90 words", "95 words")
    assert client.post(url, _data(text=new)).status_code == 302
    assert runs["n"] == 1
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == ["plan.goal_changed"]
    assert events[0].detail["fields"] == ["objectives", "text"]


def test_confirming_a_reading_still_checks_once(world, draft, runs) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    before = AuditEvent.objects.count()
    url = reverse("goal_add", args=[draft.public_id])
    assert client.post(url, _data(text=GUIDE_GOAL, reading="items")).status_code == 302
    assert runs["n"] == 1
    assert AuditEvent.objects.count() == before + 1
    stored = Goal.objects.get(plan=draft).analysis
    assert (stored["reading"], stored["reading_confirmed"]) == ("items", True)


def test_the_saved_goal_is_read_back_without_checking_it_again(world, draft, runs) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    client.post(
        reverse("goal_add", args=[draft.public_id]), _data(text=GUIDE_GOAL, reading="items")
    )
    goal = Goal.objects.get(plan=draft)
    runs["n"] = 0
    html = client.get(reverse("goal_edit", args=[draft.public_id, goal.public_id])).content.decode()
    assert runs["n"] == 0
    assert 'value="items" checked' in html
    assert 'data-smart="measurable" data-verdict="yes"' in html


def test_a_goal_saved_by_an_older_checker_is_checked_on_the_page(world, draft, goal, runs) -> None:  # type: ignore[no-untyped-def]
    # The plan editor stored only to_json() (no version): the page checks it, and saves nothing.
    Goal.objects.filter(pk=goal.pk).update(analysis={"criteria": [], "direction": None})
    client = world.client_for("case_manager")
    html = client.get(reverse("goal_edit", args=[draft.public_id, goal.public_id])).content.decode()
    assert runs["n"] == 1
    assert 'data-smart="measurable" data-verdict="yes"' in html
    goal.refresh_from_db()
    assert goal.analysis == {"criteria": [], "direction": None}


def test_a_refused_save_writes_nothing(world, draft, runs) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    before = AuditEvent.objects.count()
    response = client.post(reverse("goal_add", args=[draft.public_id]), _data(text=GUIDE_GOAL))
    assert response.status_code == 200  # the reading must be confirmed first
    assert AuditEvent.objects.count() == before
    assert not Goal.objects.filter(plan=draft).exists()


def test_a_save_after_someone_elses_is_refused(world, draft, goal) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    url = reverse("goal_edit", args=[draft.public_id, goal.public_id])
    draft.refresh_from_db()
    stale = draft.lock_version - 1  # someone saved since this page was opened
    assert stale >= 0
    response = client.post(url, _data(text=GOOD_GOAL.replace("90", "99"), lock_version=stale))
    assert response.status_code == 200
    assert "Someone else changed this plan" in response.content.decode()
    goal.refresh_from_db()
    assert goal.text == GOOD_GOAL


def test_opening_a_saved_goal_makes_a_bounded_number_of_queries(
    world, draft, goal, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    url = reverse("goal_edit", args=[draft.public_id, goal.public_id])
    client.get(url)  # warm the session and the standing cache
    with django_assert_max_num_queries(OPEN_QUERIES):
        assert client.get(url).status_code == 200


def test_saving_a_goal_makes_a_bounded_number_of_queries(
    world, draft, goal, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    url = reverse("goal_edit", args=[draft.public_id, goal.public_id])
    with django_assert_max_num_queries(SAVE_QUERIES):
        assert client.post(url, _data(text=GOOD_GOAL.replace("90", "92"))).status_code == 302
