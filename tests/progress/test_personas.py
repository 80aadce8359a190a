"""Who may record progress data: the capability matrix, page by page and endpoint by endpoint.

RECORD_PROGRESS comes from the caseload, the team's teaching and service roles, and a provider
assignment (a contractor included); a teacher of the class, a parent and a psychologist read.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import django.db
import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.progress import actions
from tandem.progress.models import DataPoint, PhaseChange
from tests.progress.conftest import MEETING, active_iep
from tests.reports.conftest import active_iep as plain_iep
from tests.reports.conftest import goal as plain_goal

pytestmark = pytest.mark.django_db

FINE_MOTOR = (
    "By June 2026, Maya will copy a 5-word sentence legibly with 80% accuracy in 4 of 5 trials, "
    "as measured by occupational therapist data."
)
RECORDERS = ["case_manager", "contractor", "director", "principal"]
READ_ONLY = ["teacher", "parent", "psych"]
OUTSIDERS = ["stranger", "oak_director", "uncle"]


def _day() -> str:
    return (clock.today() - timedelta(days=1)).isoformat()


def _point() -> dict[str, str]:
    return {
        "form": "point",
        "point-taken_on": _day(),
        "point-percent": "60",
        "point-client_key": str(uuid.uuid4()),
    }


def _goal_url(goal) -> str:  # type: ignore[no-untyped-def]
    return reverse("goal_progress", args=[goal.public_id])


@pytest.fixture
def fine_motor(world):  # type: ignore[no-untyped-def]
    """Maya's IEP with a fine motor goal: the contractor OT's to record."""
    return active_iep(world, goals=(("Fine motor", FINE_MOTOR),)).goals.get()


# --- the goal page -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", RECORDERS)
def test_those_who_record_progress_save_a_result(world, fine_motor, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert "Record a result" in client.get(_goal_url(fine_motor)).content.decode()
    assert client.post(_goal_url(fine_motor), _point()).status_code == 302
    assert DataPoint.objects.get().recorded_by == world.users[persona]


@pytest.mark.parametrize("persona", READ_ONLY)
def test_readers_cannot_record_a_result_or_a_phase_change(world, fine_motor, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    page = client.get(_goal_url(fine_motor))
    assert page.status_code == 200
    assert "Record a result" not in page.content.decode()
    assert client.post(_goal_url(fine_motor), _point()).status_code == 403
    phase = {"form": "phase", "phase-changed_on": _day(), "phase-description": "Cues"}
    assert client.post(_goal_url(fine_motor), phase).status_code == 403
    assert not DataPoint.objects.exists() and not PhaseChange.objects.exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_and_nothing_changes(world, fine_motor, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert client.get(_goal_url(fine_motor)).status_code == 404
    assert client.post(_goal_url(fine_motor), _point()).status_code == 404
    assert not DataPoint.objects.exists()


def test_the_contractor_records_a_phase_change(world, fine_motor) -> None:  # type: ignore[no-untyped-def]
    phase = {"form": "phase", "phase-changed_on": _day(), "phase-description": "Slant board"}
    response = world.client_for("contractor").post(_goal_url(fine_motor), phase)
    assert response.status_code == 302
    assert PhaseChange.objects.get().description == "Slant board"


# --- the collection page -------------------------------------------------------------------------


def test_the_contractor_collects_the_goals_of_their_service(world, fine_motor) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("contractor")
    assert "Maya Lopez: Fine motor goal" in client.get(reverse("progress_collect")).content.decode()
    data = {
        "taken_on": _day(),
        f"g-{fine_motor.public_id}-client_key": str(uuid.uuid4()),
        f"g-{fine_motor.public_id}-percent": "70",
    }
    assert client.post(reverse("progress_collect"), data).status_code == 302
    assert DataPoint.objects.get().value == 70


@pytest.mark.parametrize("persona", ["teacher", "psych"])
def test_readers_have_no_rows_and_their_queue_is_refused(world, fine_motor, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert "Fine motor goal" not in client.get(reverse("progress_collect")).content.decode()
    entry = {
        "goal": str(fine_motor.public_id),
        "taken_on": _day(),
        "measures": {"percent": "60"},
        "client_key": str(uuid.uuid4()),
    }
    answer = client.post(
        reverse("progress_collect"),
        json.dumps({"entries": [entry]}),
        content_type="application/json",
    )
    assert answer.json()["results"][0]["status"] == "forbidden"
    assert not DataPoint.objects.exists()


def test_a_parent_has_no_collection_page_to_post_to(world, fine_motor) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("parent").post(reverse("progress_collect"), {"taken_on": _day()})
    assert response.status_code == 404


def test_the_providers_collection_page_does_not_grow_with_goals(world, fine_motor) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("contractor")
    client.get(reverse("progress_collect"))
    with CaptureQueriesContext(django.db.connection) as one:
        client.get(reverse("progress_collect"))
    # Sam, in the other district the contractor serves, with two more of their goals.
    plan = plain_iep(world.sam, world.users["oak_director"])
    for area in ("Fine motor", "Handwriting"):
        plain_goal(plan, area, name="Sam")
    with CaptureQueriesContext(django.db.connection) as three:
        body = client.get(reverse("progress_collect")).content.decode()
    assert "Sam Cole: Handwriting goal" in body and "Maya Lopez: Fine motor goal" in body
    assert len(three.captured_queries) == len(one.captured_queries)


# --- the student page's progress section ---------------------------------------------------------


def test_the_student_page_does_not_grow_with_goals(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    url = reverse("student", args=[world.maya.public_id])
    client.get(url)
    with CaptureQueriesContext(django.db.connection) as four:
        client.get(url)
    for i in range(4):
        plain_goal(goals.plan, f"Extra {i}")
    with CaptureQueriesContext(django.db.connection) as eight:
        body = client.get(url).content.decode()
    assert "Extra 3" in body
    assert len(eight.captured_queries) == len(four.captured_queries)


def test_the_goal_page_does_not_grow_with_data(world, fine_motor) -> None:  # type: ignore[no-untyped-def]
    client, user = world.client_for("case_manager"), world.users["case_manager"]

    def record(weeks: range) -> None:
        for week in weeks:  # within the plan's year, so the rules draw their lines
            day = MEETING + timedelta(days=3 + 7 * week)
            actions.record_data_point(user, fine_motor, taken_on=day, measures={"percent": 50})

    record(range(1))
    with CaptureQueriesContext(django.db.connection) as one:
        client.get(_goal_url(fine_motor))
    record(range(1, 8))
    with CaptureQueriesContext(django.db.connection) as eight:
        client.get(_goal_url(fine_motor))
    assert DataPoint.objects.count() == 8
    assert len(eight.captured_queries) == len(one.captured_queries)


# --- the API -------------------------------------------------------------------------------------


def _api_post(world, goal, persona):  # type: ignore[no-untyped-def]
    token = issue_token(actor=None, user=world.users[persona])
    return Client().post(
        f"/api/v1/goals/{goal.public_id}/data-points",
        {"taken_on": _day(), "percent": 55},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_contractor_records_through_the_api(world, fine_motor) -> None:  # type: ignore[no-untyped-def]
    assert _api_post(world, fine_motor, "contractor").status_code == 201


@pytest.mark.parametrize(
    ("persona", "status"), [("psych", 403), ("teacher", 403), ("stranger", 404)]
)
def test_the_api_refuses_those_without_the_capability(world, fine_motor, persona, status) -> None:  # type: ignore[no-untyped-def]
    assert _api_post(world, fine_motor, persona).status_code == status
    assert not DataPoint.objects.exists()
