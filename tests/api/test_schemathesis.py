"""The API against its own OpenAPI (issues 15, 16): every operation, fuzzed, as every role.

schemathesis generates inputs from the OpenAPI document (valid ones and deliberately invalid
ones: wrong types, overlong strings, NUL, malformed ids) and calls the WSGI app in process, with
real rows behind it: an active IEP with goals and data points, a meeting, a revision request,
and a person of each kind. Each generated call is made with the token of every role (and
without one), and each answer must be no 5xx, a documented status code, the documented content
type and a body matching its schema. Path ids are drawn now from real rows, now from the
generator, so both the 200 bodies and the 404s are checked.

Bounded for CI: few examples per operation, derandomized (the same cases on every run), no
deadline (a call's time is not the question) and no example database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tandem.api.api import api
from tandem.api.tokens import issue_token
from tandem.people.models import Role, Staff, TeamMembership, TeamRole
from tandem.progress import actions as progress_actions
from tandem.revisions import actions as revision_actions
from tests.conftest import START
from tests.factories import make_staff
from tests.meetings.conftest import schedule
from tests.progress.conftest import MEETING, active_iep

MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
schema.config.generation.update(modes=["positive", "negative"], deterministic=True)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Calls go straight to the WSGI app, not through Django's test client, so nothing stops
    Django closing the connection when a request ends, as it does for every real request. On
    PostgreSQL that connection holds the test's transaction (the rows above): closing it makes
    every later call a 500. Disconnect the signal for the test, as Django's own client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@dataclass
class Fuzz:
    """Bearer tokens by role (None: no token) and real ids for each path parameter."""

    tokens: dict[str, str | None]
    ids: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture
def fuzz(world, mailoutbox) -> Fuzz:  # type: ignore[no-untyped-def]
    coordinator = make_staff(
        "504@r.test", [(Role.COORDINATOR_504, world.riverside, world.north)], first="Cora"
    )
    slp = make_staff("slp@r.test", [(Role.PROVIDER, world.riverside, None)], first="Sally")
    TeamMembership.objects.create(
        staff=slp, student=world.maya, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    world.users.update(coordinator_504=coordinator.user, slp=slp.user)

    plan = active_iep(world)
    goals = list(plan.goals.all())
    cm = world.users["case_manager"]
    points = []
    for week, percent in enumerate((40, 55, 60, 70)):
        point, _ = progress_actions.record_data_point(
            cm,
            goals[0],
            taken_on=MEETING + timedelta(days=7 * week + 1),
            measures={"percent": percent},
        )
        points.append(point)
    progress_actions.void_data_point(cm, points[0], reason="Wrong student")
    progress_actions.correct_data_point(
        cm, points[1], taken_on=points[1].taken_on, measures={"percent": 50}, reason="Typo"
    )
    schedule(world)
    revision_actions.open_revision_request(
        actor=world.users["parent"], student=world.maya, reason="More reading help"
    )

    tokens: dict[str, str | None] = {
        persona: issue_token(actor=None, user=user) for persona, user in world.users.items()
    }
    tokens["case_manager_read_only"] = issue_token(actor=None, user=cm, scope="read")
    tokens["anonymous"] = None
    students = [world.maya, world.leo, world.ana, world.sam, world.tess]
    return Fuzz(
        tokens=tokens,
        ids={
            "student_id": [str(s.public_id) for s in students],
            "plan_id": [str(plan.public_id)],
            "goal_id": [str(g.public_id) for g in goals],
            "point_id": [str(p.public_id) for p in points],
            "number": ["1", "2"],
            # Riverside's teacher and case manager, Oak Valley's administrator
            "staff_id": [
                str(Staff.objects.get(user=world.users[p]).public_id)
                for p in ("teacher", "case_manager", "oak_director")
            ],
        },
    )


def _check_as_every_role(fuzz: Fuzz, case, data) -> None:  # type: ignore[no-untyped-def]
    for name, value in list((case.path_parameters or {}).items()):
        real = fuzz.ids.get(name, [])
        case.path_parameters[name] = data.draw(st.sampled_from([value, *real]), label=name)
    for role, token in fuzz.tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            exc.add_note(f"as {role}")
            raise


def _operations_tagged(tag: str):  # type: ignore[no-untyped-def]
    """One test per router, so that pytest -n spreads the routers over the cores."""
    tagged = schema.include(tag=tag)

    @tagged.given(data=st.data())
    @tagged.parametrize()
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def test(fuzz, case, data):  # type: ignore[no-untyped-def]
        _check_as_every_role(fuzz, case, data)

    return test


test_students = _operations_tagged("students")
test_deadlines = _operations_tagged("deadlines")
test_plans = _operations_tagged("plans")
test_progress = _operations_tagged("progress")
test_meetings = _operations_tagged("meetings")
test_revisions = _operations_tagged("revisions")
test_services = _operations_tagged("services")
test_enrollments = _operations_tagged("enrollments")
test_assignments = _operations_tagged("assignments")
test_staff = _operations_tagged("staff")
