"""The collection page for the group in front of the provider (issue 13): a choice of students kept
in the address (`?students=`), and the provider's own last result on each row with "Correct" and
"Void", which lead back to the same page and group."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse

from tandem.core import clock
from tandem.people.models import CaseloadAssignment
from tandem.progress import actions
from tandem.progress.models import DataPoint
from tests.conftest import START
from tests.progress.conftest import active_iep

pytestmark = pytest.mark.django_db

COLLECT = reverse("progress_collect")


@pytest.fixture
def leo_goal(world, goals):  # type: ignore[no-untyped-def]
    """Leo on the case manager's caseload too, with one reading goal."""
    cm = world.users["case_manager"]
    CaseloadAssignment.objects.create(staff=cm.staff, student=world.leo, start_date=START)
    plan = active_iep(
        world,
        student=world.leo,
        goals=(("Reading", "By June 2026, Leo will read 80 words correct per minute."),),
    )
    return plan.goals.get()


def _get(world, persona: str, query: str = ""):  # type: ignore[no-untyped-def]
    return world.client_for(persona).get(COLLECT + query)


def _rows(body: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in body.split('data-student="')[1:]]


def _day(n: int = 1) -> str:
    return (clock.today() - timedelta(days=n)).isoformat()


def test_every_student_is_listed_and_all_are_shown_at_first(world, goals, leo_goal) -> None:  # type: ignore[no-untyped-def]
    body = _get(world, "case_manager").content.decode()
    assert set(_rows(body)) == {str(world.maya.public_id), str(world.leo.public_id)}
    for student in (world.maya, world.leo):
        # A real checkbox with its label: reachable and operable with the keyboard.
        assert f'id="pick-{student.public_id}" type="checkbox" name="students"' in body
        assert f'for="pick-{student.public_id}"' in body
    assert "Showing all your 2 students" in body
    assert "Show all my students" not in body


def test_the_chosen_students_alone_are_shown(world, goals, leo_goal) -> None:  # type: ignore[no-untyped-def]
    response = _get(world, "case_manager", f"?students={world.leo.public_id}")
    body = response.content.decode()
    assert response.status_code == 200
    assert _rows(body) == [str(world.leo.public_id)]
    assert "Leo Park: Reading goal" in body and "Maya Lopez: Articulation goal" not in body
    assert f'value="{world.leo.public_id}" checked' in body
    assert f'value="{world.maya.public_id}" checked' not in body
    assert "Showing 1 of your 2 students" in body and "Show all my students" in body


@pytest.mark.parametrize("form", ["repeated", "comma"])
def test_several_students_in_the_address(world, goals, leo_goal, form) -> None:  # type: ignore[no-untyped-def]
    maya, leo = world.maya.public_id, world.leo.public_id
    query = f"?students={maya}&students={leo}" if form == "repeated" else f"?students={maya},{leo}"
    body = _get(world, "case_manager", query).content.decode()
    assert set(_rows(body)) == {str(maya), str(leo)}
    assert "Showing 2 of your 2 students" in body


def test_the_goal_pages_older_link_still_narrows(world, goals, leo_goal) -> None:  # type: ignore[no-untyped-def]
    body = _get(world, "case_manager", f"?student={world.maya.public_id}").content.decode()
    assert _rows(body) == [str(world.maya.public_id)]


@pytest.mark.parametrize("asked", ["not-an-id", "0b5a1f0e-7d3c-4c1e-9d0a-2f6e8b7c4a11"])
def test_a_student_not_theirs_is_left_out_and_said_so(world, goals, leo_goal, asked) -> None:  # type: ignore[no-untyped-def]
    response = _get(world, "case_manager", f"?students={asked}&students={world.leo.public_id}")
    body = response.content.decode()
    assert response.status_code == 200
    assert _rows(body) == [str(world.leo.public_id)]
    assert "This link named a student who is not one of yours" in body


def test_an_outsider_learns_nothing_from_an_address_naming_a_student(world, goals) -> None:  # type: ignore[no-untyped-def]
    response = _get(world, "stranger", f"?students={world.maya.public_id}")
    body = response.content.decode()
    assert response.status_code == 200
    # The address they typed comes back in the language switcher; nothing of the student does.
    assert "Maya" not in body and f'value="{world.maya.public_id}"' not in body
    assert "This link named a student who is not one of yours" not in body  # nothing to pick
    assert _get(world, "parent", f"?students={world.maya.public_id}").status_code == 404


def test_saving_comes_back_to_the_same_group(world, goals, leo_goal) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    day = _day()
    prefix = f"g-{leo_goal.public_id}"
    response = client.post(
        f"{COLLECT}?students={world.leo.public_id}&date={day}",
        {
            "taken_on": day,
            f"{prefix}-client_key": str(uuid.uuid4()),
            f"{prefix}-rate_per_minute": "55",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{COLLECT}?date={day}&students={world.leo.public_id}"
    assert DataPoint.objects.get().student == world.leo


def test_a_read_only_teacher_writes_nothing_from_the_page(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("teacher")
    prefix = f"g-{goals.math.public_id}"
    response = client.post(
        f"{COLLECT}?students={world.maya.public_id}",
        {"taken_on": _day(), f"{prefix}-client_key": str(uuid.uuid4()), f"{prefix}-percent": "50"},
    )
    assert response.status_code == 400  # no row of theirs: nothing to save
    assert f'data-student="{world.maya.public_id}"' not in response.content.decode()
    assert not DataPoint.objects.exists()


def _record(world, goal, persona: str, value: float = 60.0):  # type: ignore[no-untyped-def]
    point, _created = actions.record_data_point(
        world.users[persona],
        goal,
        taken_on=clock.today() - timedelta(days=1),
        measures={"percent": value},
    )
    return point


def test_the_providers_last_result_can_be_corrected_or_voided_from_the_page(
    world, goals, slp
) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.speech, "slp")
    here = f"{COLLECT}?students={world.maya.public_id}"
    body = _get(world, "slp", f"?students={world.maya.public_id}").content.decode()
    row = body.split(f'data-goal="{goals.speech.public_id}"')[1].split("</fieldset>")[0]
    assert "Your last result: 60%" in row
    void = f"{reverse('point_void', args=[point.public_id])}?next={quote(here, safe='')}"
    correct = f"{reverse('point_correct', args=[point.public_id])}?next={quote(here, safe='')}"
    assert f'href="{void}"' in row and f'href="{correct}"' in row

    client = world.client_for("slp")
    page = client.get(void).content.decode()
    assert "Back to recording progress" in page and f'href="{here}"' in page.replace("&amp;", "&")
    response = client.post(void, {"reason": "Recorded for the wrong student"})
    assert response.status_code == 302 and response["Location"] == here
    point.refresh_from_db()
    assert point.voided_at is not None
    assert (
        "Your last result"
        not in _get(world, "slp", f"?students={world.maya.public_id}")
        .content.decode()
        .split(f'data-goal="{goals.speech.public_id}"')[1]
        .split("</fieldset>")[0]
    )


def test_someone_elses_result_has_no_links_on_the_providers_page(world, goals, slp) -> None:  # type: ignore[no-untyped-def]
    _record(world, goals.speech, "case_manager")
    body = _get(world, "slp").content.decode()
    row = body.split(f'data-goal="{goals.speech.public_id}"')[1].split("</fieldset>")[0]
    assert "Your last result" not in row


def test_correcting_from_the_page_comes_back_to_it(world, goals, slp) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.speech, "slp")
    here = f"{COLLECT}?students={world.maya.public_id}"
    url = f"{reverse('point_correct', args=[point.public_id])}?next={quote(here, safe='')}"
    response = world.client_for("slp").post(
        url,
        {"taken_on": point.taken_on.isoformat(), "percent": "65", "note": "", "reason": "Typo"},
    )
    assert response.status_code == 302 and response["Location"] == here


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/progress/collect/", "//evil.example/", "/students/"]
)
def test_the_way_back_goes_only_to_the_collection_page(world, goals, elsewhere) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math, "case_manager")
    url = f"{reverse('point_void', args=[point.public_id])}?next={quote(elsewhere, safe='')}"
    response = world.client_for("case_manager").post(url, {"reason": "Wrong goal"})
    assert response.status_code == 302
    assert response["Location"] == reverse("goal_progress", args=[goals.math.public_id])


def test_a_read_only_teacher_cannot_void_from_a_collection_link(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math, "case_manager")
    url = f"{reverse('point_void', args=[point.public_id])}?next={quote(COLLECT, safe='')}"
    assert world.client_for("teacher").post(url, {"reason": "Mine now"}).status_code == 403
    assert world.client_for("stranger").post(url, {"reason": "Mine now"}).status_code == 404
    point.refresh_from_db()
    assert point.voided_at is None
