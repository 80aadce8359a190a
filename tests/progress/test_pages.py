"""The collection page and the goal page, for each persona."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import CaseloadAssignment
from tandem.progress.models import DataPoint, PhaseChange
from tests.conftest import START
from tests.progress.conftest import MEETING, active_iep

READERS = ["case_manager", "teacher", "parent", "director", "principal", "contractor", "psych"]
OUTSIDERS = ["stranger", "oak_director", "uncle"]


def _url(goal):  # type: ignore[no-untyped-def]
    return reverse("goal_progress", args=[goal.public_id])


def _day(n=1):  # type: ignore[no-untyped-def]
    return (clock.today() - timedelta(days=n)).isoformat()


@pytest.mark.parametrize("persona", READERS)
def test_goal_page_readers(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for(persona).get(_url(goals.speech))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "Data for the Articulation goal" in body
    assert "Not enough data yet" in body
    assert AuditEvent.objects.filter(action="progress.goal_viewed", student=world.maya).exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_goal_page_outsiders_404(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get(_url(goals.speech)).status_code == 404
    assert world.client_for(persona).post(_url(goals.speech), {}).status_code == 404


def test_unknown_goal_404(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    assert client.get(reverse("goal_progress", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/goals/nope/progress/").status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "parent"])
def test_read_only_cannot_record(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    page = client.get(_url(goals.speech)).content.decode()
    assert "Record a result" not in page
    response = client.post(
        _url(goals.speech),
        {
            "form": "point",
            "point-taken_on": _day(),
            "point-percent": "50",
            "point-client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 403
    assert DataPoint.objects.count() == 0


def test_record_a_point_on_the_goal_page(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    key = str(uuid.uuid4())
    data = {
        "form": "point",
        "point-taken_on": _day(),
        "point-trials_correct": "4",
        "point-trials_total": "5",
        "point-client_key": key,
    }
    response = client.post(_url(goals.speech), data)
    assert response.status_code == 302
    assert client.post(_url(goals.speech), data).status_code == 302  # a double submit
    assert DataPoint.objects.get().value == 80


def test_bad_point_names_the_field(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    response = client.post(
        _url(goals.speech),
        {
            "form": "point",
            "point-taken_on": _day(),
            "point-trials_correct": "7",
            "point-trials_total": "5",
            "point-client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    # The shared error summary links the field's label to it, then says what is wrong.
    assert "Trials correct</a>: 7 correct is more than the 5 trials given." in body
    future = (clock.today() + timedelta(days=3)).isoformat()
    response = client.post(
        _url(goals.speech),
        {
            "form": "point",
            "point-taken_on": future,
            "point-percent": "50",
            "point-client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400 and "is in the future" in response.content.decode()
    assert DataPoint.objects.count() == 0


def test_phase_change_form(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    response = client.post(
        _url(goals.speech),
        {"form": "phase", "phase-changed_on": _day(), "phase-description": "Visual cues"},
    )
    assert response.status_code == 302
    assert PhaseChange.objects.get().description == "Visual cues"
    response = client.post(
        _url(goals.speech), {"form": "phase", "phase-changed_on": _day(), "phase-description": ""}
    )
    assert response.status_code == 400 and "Say what changed" in response.content.decode()


def test_needs_attention_banner(world, goals) -> None:  # type: ignore[no-untyped-def]
    user = world.users["case_manager"]
    from tandem.progress import actions

    for i, v in enumerate([40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41, 40]):
        actions.record_data_point(
            user,
            goals.speech,
            taken_on=MEETING + timedelta(days=5 + 7 * i),
            measures={"percent": v},
        )
    body = world.client_for("case_manager").get(_url(goals.speech)).content.decode()
    assert "Needs attention" in body and "Change instruction (Trend rule)" in body
    parent_body = world.client_for("parent").get(_url(goals.speech)).content.decode()
    assert "revision request" not in parent_body


# --- the collection page ---------------------------------------------------------------------


def test_slp_sees_only_speech_goals(world, goals, slp) -> None:  # type: ignore[no-untyped-def]
    body = world.client_for("slp").get(reverse("progress_collect")).content.decode()
    assert "Maya Lopez: Articulation goal" in body
    assert "Reading goal" not in body and "Mathematics goal" not in body


def test_case_manager_sees_every_goal_of_the_caseload(world, goals) -> None:  # type: ignore[no-untyped-def]
    body = world.client_for("case_manager").get(reverse("progress_collect")).content.decode()
    for area in ("Articulation", "Reading", "Social-emotional", "Mathematics"):
        assert f"Maya Lopez: {area} goal" in body


@pytest.mark.parametrize("persona", ["teacher", "stranger"])
def test_people_without_responsibility_see_no_rows(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for(persona).get(reverse("progress_collect"))
    assert response.status_code == 200
    assert "Maya Lopez" not in response.content.decode()


def test_psychologist_no_longer_records_progress(world, goals) -> None:  # type: ignore[no-untyped-def]
    # The matrix gives the psychologist's team role no RECORD_PROGRESS: the social-emotional
    # goal their role would answer for is not theirs to record (the first policy's one level of writing let them).
    body = world.client_for("psych").get(reverse("progress_collect")).content.decode()
    assert "Social-emotional goal" not in body and "Articulation goal" not in body


def test_guardians_have_no_collection_page(world, goals) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for("parent").get(reverse("progress_collect")).status_code == 404


def _group(world):  # type: ignore[no-untyped-def]
    cm = world.users["case_manager"]
    CaseloadAssignment.objects.create(staff=cm.staff, student=world.leo, start_date=START)
    leo = active_iep(
        world,
        student=world.leo,
        goals=(("Reading", "By June 2026, Leo will read 80 words correct per minute."),),
    )
    return leo.goals.get()


def test_group_session_in_one_submission(world, goals) -> None:  # type: ignore[no-untyped-def]
    leo_goal = _group(world)
    client = world.client_for("case_manager")
    data = {
        "taken_on": _day(),
        f"g-{goals.speech.public_id}-client_key": str(uuid.uuid4()),
        f"g-{goals.speech.public_id}-percent": "70",
        f"g-{goals.reading.public_id}-client_key": str(uuid.uuid4()),
        f"g-{goals.math.public_id}-client_key": str(uuid.uuid4()),
        f"g-{goals.behavior.public_id}-client_key": str(uuid.uuid4()),
        f"g-{leo_goal.public_id}-client_key": str(uuid.uuid4()),
        f"g-{leo_goal.public_id}-rate_per_minute": "55",
        f"g-{leo_goal.public_id}-note": "Cold read",
    }
    response = client.post(reverse("progress_collect"), data)
    assert response.status_code == 302
    assert DataPoint.objects.count() == 2
    assert client.post(reverse("progress_collect"), data).status_code == 302  # resubmitted
    assert DataPoint.objects.count() == 2
    assert DataPoint.objects.get(student=world.leo).note == "Cold read"


def test_group_session_error_changes_nothing(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    data = {
        "taken_on": _day(),
        f"g-{goals.speech.public_id}-client_key": str(uuid.uuid4()),
        f"g-{goals.speech.public_id}-percent": "70",
        f"g-{goals.reading.public_id}-client_key": str(uuid.uuid4()),
        f"g-{goals.reading.public_id}-rate_per_minute": "5000",
    }
    response = client.post(reverse("progress_collect"), data)
    assert response.status_code == 400
    assert "Maya Lopez, Reading, Per minute</a>:" in response.content.decode()
    assert DataPoint.objects.count() == 0
    empty = client.post(reverse("progress_collect"), {"taken_on": _day()})
    assert empty.status_code == 400 and "Enter at least one result." in empty.content.decode()


def test_offline_queue_replays_are_idempotent(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    key = str(uuid.uuid4())
    entries = [
        {
            "goal": str(goals.speech.public_id),
            "taken_on": _day(),
            "measures": {"percent": "60"},
            "note": "",
            "client_key": key,
        },
        {
            "goal": str(goals.reading.public_id),
            "taken_on": _day(),
            "measures": {"percent": "600"},
            "note": "",
            "client_key": str(uuid.uuid4()),
        },
    ]
    post = lambda: client.post(  # noqa: E731
        reverse("progress_collect"),
        json.dumps({"entries": entries}),
        content_type="application/json",
    )
    first = post().json()["results"]
    assert [r["status"] for r in first] == ["saved", "invalid"]
    assert "rate_per_minute" in first[1]["errors"] or "percent" in first[1]["errors"]
    again = post().json()["results"]
    assert again[0]["status"] == "duplicate"
    assert DataPoint.objects.count() == 1


def test_offline_queue_cannot_reach_other_students(world, goals) -> None:  # type: ignore[no-untyped-def]
    entries = [
        {
            "goal": str(goals.speech.public_id),
            "taken_on": _day(),
            "measures": {"percent": "60"},
            "client_key": str(uuid.uuid4()),
        }
    ]
    for persona, status in (("stranger", "not_found"), ("teacher", "forbidden")):
        results = (
            world.client_for(persona)
            .post(
                reverse("progress_collect"),
                json.dumps({"entries": entries}),
                content_type="application/json",
            )
            .json()["results"]
        )
        assert results[0]["status"] == status
    assert DataPoint.objects.count() == 0


def test_collect_queries_do_not_grow_with_goals(
    world, goals, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    client.get(reverse("progress_collect"))
    import django.db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(django.db.connection) as few:
        client.get(reverse("progress_collect"))
    _group(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("progress_collect"))
    assert "Leo Park: Reading goal" in response.content.decode()


def test_student_page_lists_goals_with_decisions(world, goals) -> None:  # type: ignore[no-untyped-def]
    body = (
        world.client_for("case_manager")
        .get(reverse("student", args=[world.maya.public_id]))
        .content.decode()
    )
    assert "Progress on goals" in body and _url(goals.speech) in body
    assert "Record progress data" in body
    parent = (
        world.client_for("teacher")
        .get(reverse("student", args=[world.maya.public_id]))
        .content.decode()
    )
    assert "Progress on goals" in parent and "Record progress data" not in parent
