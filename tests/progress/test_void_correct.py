"""Undoing a mistake in progress data: void or correct a point (kept, audited, left out of every
analysis), a second point on the same day asked to be confirmed, and dates in the future refused.

Personas: the recorder, the case manager and leaders may void or correct; a provider who records
progress may change only their own points; a roster teacher (no RECORD_PROGRESS) gets 403; an
outsider gets 404. A refusal names the field and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.progress import actions
from tandem.progress.models import DataPoint, PhaseChange
from tandem.progress.queries import progress_for
from tandem.reports.actions import progress_until

pytestmark = pytest.mark.django_db

CHANGERS = ["case_manager", "director", "principal"]
OUTSIDERS = ["stranger", "oak_director", "uncle"]


def _day(n: int = 1):  # type: ignore[no-untyped-def]
    return clock.today() - timedelta(days=n)


def _record(world, goal, value=60.0, *, persona="case_manager", n=1, **kw):  # type: ignore[no-untyped-def]
    point, _created = actions.record_data_point(
        world.users[persona], goal, taken_on=_day(n), measures={"percent": value}, **kw
    )
    return point


def _void_url(point):  # type: ignore[no-untyped-def]
    return reverse("point_void", args=[point.public_id])


def _correct_url(point):  # type: ignore[no-untyped-def]
    return reverse("point_correct", args=[point.public_id])


def _goal_url(goal):  # type: ignore[no-untyped-def]
    return reverse("goal_progress", args=[goal.public_id])


def _api(world, persona, method, url, body=None):  # type: ignore[no-untyped-def]
    token = issue_token(actor=None, user=world.users[persona])
    client = Client()
    call = getattr(client, method)
    kwargs = {"HTTP_AUTHORIZATION": "Bearer " + token}
    if body is not None:
        kwargs["content_type"] = "application/json"
        return call(url, body, **kwargs)
    return call(url, **kwargs)


def _fresh(point):  # type: ignore[no-untyped-def]
    return DataPoint.objects.get(pk=point.pk)


# --- voiding on the page -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", CHANGERS)
def test_void_a_point_keeps_it_struck_through_and_out_of_the_analysis(
    world, goals, persona
) -> None:  # type: ignore[no-untyped-def]
    kept = _record(world, goals.math, 50, n=3)
    wrong = _record(world, goals.math, 5, n=2)
    client = world.client_for(persona)
    page = client.get(_void_url(wrong))
    assert page.status_code == 200 and "Void this point" in page.content.decode()
    response = client.post(_void_url(wrong), {"reason": "Entered for the wrong student"})
    assert response.status_code == 302 and response.url == _goal_url(goals.math)
    wrong = _fresh(wrong)
    assert wrong.voided_at is not None and wrong.voided_by == world.users[persona]
    assert wrong.void_reason == "Entered for the wrong student"
    event = AuditEvent.objects.get(action="data_point.voided")
    assert event.detail["reason"] == "Entered for the wrong student"
    assert event.detail["data_point"] == str(wrong.public_id)
    gp = progress_for(goals.math)
    assert [p.pk for p in gp.points] == [kept.pk] and [p.pk for p in gp.voided] == [wrong.pk]
    assert [row["point"].pk for row in gp.rows] == [kept.pk]
    body = client.get(_goal_url(goals.math)).content.decode()
    assert "<del>5%</del>" in body
    assert "voided: Entered for the wrong student" in body


def test_the_recorder_voids_their_own_point_but_not_another_persons(world, goals) -> None:  # type: ignore[no-untyped-def]
    own = _record(world, goals.math, 40, persona="contractor", n=2)
    theirs = _record(world, goals.math, 45, persona="case_manager", n=3)
    client = world.client_for("contractor")
    assert client.get(_void_url(theirs)).status_code == 403
    assert client.post(_void_url(theirs), {"reason": "mine?"}).status_code == 403
    assert _fresh(theirs).voided_at is None
    assert client.post(_void_url(own), {"reason": "Wrong day"}).status_code == 302
    assert _fresh(own).voided_at is not None


@pytest.mark.parametrize("persona", ["teacher", "parent", "psych"])
def test_readers_cannot_void_or_correct(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math)
    client = world.client_for(persona)
    assert client.get(_void_url(point)).status_code == 403
    assert client.post(_void_url(point), {"reason": "x"}).status_code == 403
    assert (
        client.post(
            _correct_url(point), {"taken_on": _day(1), "percent": 70, "reason": "x"}
        ).status_code
        == 403
    )
    assert "Void<" not in client.get(_goal_url(goals.math)).content.decode()
    assert _fresh(point).voided_at is None and DataPoint.objects.count() == 1


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math)
    client = world.client_for(persona)
    assert client.get(_void_url(point)).status_code == 404
    assert client.post(_void_url(point), {"reason": "x"}).status_code == 404
    assert client.get(_correct_url(point)).status_code == 404
    assert (
        client.post(
            _correct_url(point), {"taken_on": _day(1), "percent": 70, "reason": "x"}
        ).status_code
        == 404
    )
    assert _fresh(point).voided_at is None and DataPoint.objects.count() == 1


def test_void_needs_a_reason_and_changes_nothing_without_one(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math)
    response = world.client_for("case_manager").post(_void_url(point), {"reason": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_reason"' in body and "Say why" in body
    assert _fresh(point).voided_at is None
    assert not AuditEvent.objects.filter(action="data_point.voided").exists()


def test_a_voided_point_cannot_be_voided_again(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math)
    actions.void_data_point(world.users["case_manager"], point, reason="Typo")
    assert world.client_for("case_manager").get(_void_url(point)).status_code == 404
    with pytest.raises(Exception) as info:
        actions.void_data_point(world.users["case_manager"], point, reason="Again")
    assert "data_point" in str(info.value)


def test_voided_points_are_left_out_of_reports(world, goals) -> None:  # type: ignore[no-untyped-def]
    kept = _record(world, goals.math, 50, n=3)
    wrong = _record(world, goals.math, 5, n=2)
    actions.void_data_point(world.users["case_manager"], wrong, reason="Wrong student")
    gp = progress_until([goals.math], clock.today())[goals.math.lineage]
    assert [p.pk for p in gp.points] == [kept.pk]
    assert all(not row["voided"] for row in gp.rows)


# --- correcting on the page ----------------------------------------------------------------------


def test_correct_a_point_keeps_the_original_in_its_history(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math, 8, n=2)
    client = world.client_for("case_manager")
    page = client.get(_correct_url(point)).content.decode()
    assert 'value="8.0"' in page or 'value="8"' in page
    response = client.post(
        _correct_url(point),
        {"taken_on": _day(2).isoformat(), "percent": "80", "note": "", "reason": "Missed a zero"},
    )
    assert response.status_code == 302, response.content.decode()
    original = _fresh(point)
    new = DataPoint.objects.get(corrects=original)
    assert original.voided_at is not None and original.void_reason == "Missed a zero"
    assert new.value == 80 and new.voided_at is None
    event = AuditEvent.objects.get(action="data_point.corrected")
    assert event.detail["before"]["value"] == 8 and event.detail["after"]["value"] == 80
    gp = progress_for(goals.math)
    assert [p.pk for p in gp.points] == [new.pk] and gp.voided == ()
    body = client.get(_goal_url(goals.math)).content.decode()
    assert "corrected" in body and "Was 8%" in body and "Missed a zero" in body


def test_a_correction_in_the_future_names_the_date_and_changes_nothing(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math, 8)
    response = world.client_for("case_manager").post(
        _correct_url(point),
        {
            "taken_on": (clock.today() + timedelta(days=2)).isoformat(),
            "percent": "80",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_taken_on"' in body and "is in the future" in body
    assert _fresh(point).voided_at is None and DataPoint.objects.count() == 1
    assert not AuditEvent.objects.filter(action="data_point.corrected").exists()


def test_a_correction_needs_a_reason(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math, 8)
    response = world.client_for("case_manager").post(
        _correct_url(point), {"taken_on": _day(1).isoformat(), "percent": "80", "reason": ""}
    )
    assert response.status_code == 400 and 'href="#id_reason"' in response.content.decode()
    assert _fresh(point).voided_at is None and DataPoint.objects.count() == 1


def test_the_contractor_corrects_only_their_own_points(world, goals) -> None:  # type: ignore[no-untyped-def]
    theirs = _record(world, goals.math, 8, persona="case_manager")
    client = world.client_for("contractor")
    data = {"taken_on": _day(1).isoformat(), "percent": "80", "reason": "x"}
    assert client.get(_correct_url(theirs)).status_code == 403
    assert client.post(_correct_url(theirs), data).status_code == 403
    assert DataPoint.objects.count() == 1


# --- a second point on the same day ----------------------------------------------------------------


def test_a_second_point_the_same_day_asks_to_be_confirmed(world, goals) -> None:  # type: ignore[no-untyped-def]
    _record(world, goals.math, 45)
    client = world.client_for("case_manager")
    data = {"form": "point", "point-taken_on": _day(1).isoformat(), "point-percent": "50"}
    response = client.post(_goal_url(goals.math), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "is already recorded (45%). Record a second one?" in body
    assert 'name="point-confirm_duplicate"' in body and 'href="#id_point-confirm_duplicate"' in body
    assert DataPoint.objects.count() == 1
    response = client.post(_goal_url(goals.math), {**data, "point-confirm_duplicate": "on"})
    assert response.status_code == 302
    assert DataPoint.objects.count() == 2


def test_a_voided_point_does_not_count_as_the_days_point(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math, 45)
    actions.void_data_point(world.users["case_manager"], point, reason="Wrong goal")
    _record(world, goals.math, 50)
    assert DataPoint.objects.filter(voided_at__isnull=True).count() == 1


def test_collect_reports_the_duplicate_on_its_row(world, goals) -> None:  # type: ignore[no-untyped-def]
    _record(world, goals.math, 45)
    client = world.client_for("case_manager")
    url = reverse("progress_collect") + f"?student={world.maya.public_id}"
    day = _day(1).isoformat()
    math, reading = f"g-{goals.math.public_id}", f"g-{goals.reading.public_id}"
    data = {"taken_on": day, f"{math}-percent": "55", f"{reading}-rate_per_minute": "70"}
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mathematics" in body and "is already recorded (45%)" in body
    assert f'name="{math}-confirm_duplicate"' in body
    assert f'name="{reading}-confirm_duplicate"' not in body
    assert DataPoint.objects.count() == 1
    response = client.post(url, {**data, f"{math}-confirm_duplicate": "on"})
    assert response.status_code == 302
    assert DataPoint.objects.count() == 3


# --- dates in the future ---------------------------------------------------------------------------


def test_future_dates_are_refused_with_the_field_named(world, goals) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    page = client.post(
        _goal_url(goals.math), {"form": "point", "point-taken_on": tomorrow, "point-percent": "50"}
    )
    assert page.status_code == 400 and 'href="#id_point-taken_on"' in page.content.decode()
    phase = client.post(
        _goal_url(goals.math),
        {"form": "phase", "phase-changed_on": tomorrow, "phase-description": "New cues"},
    )
    assert phase.status_code == 400 and 'href="#id_phase-changed_on"' in phase.content.decode()
    collect = client.post(
        reverse("progress_collect"),
        {"taken_on": tomorrow, f"g-{goals.math.public_id}-percent": "50"},
    )
    assert collect.status_code == 400 and "is in the future" in collect.content.decode()
    api = _api(
        world,
        "case_manager",
        "post",
        f"/api/v1/goals/{goals.math.public_id}/data-points",
        {"taken_on": tomorrow, "percent": 50},
    )
    assert api.status_code == 422 and "taken_on" in api.json()["error"]["fields"]
    assert DataPoint.objects.count() == 0 and PhaseChange.objects.count() == 0


# --- the API -----------------------------------------------------------------------------------------


def test_api_void_lists_the_point_as_voided_and_leaves_it_out(world, goals) -> None:  # type: ignore[no-untyped-def]
    kept = _record(world, goals.math, 50, n=3)
    wrong = _record(world, goals.math, 5, n=2)
    response = _api(
        world,
        "case_manager",
        "post",
        f"/api/v1/data-points/{wrong.public_id}/void",
        {"reason": "Wrong student"},
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["status"] == "voided" and response.json()["void_reason"] == "Wrong student"
    )
    listing = _api(world, "teacher", "get", f"/api/v1/goals/{goals.math.public_id}/data-points")
    statuses = {p["id"]: p["status"] for p in listing.json()["points"]}
    assert statuses == {str(kept.public_id): "active", str(wrong.public_id): "voided"}
    progress = _api(
        world, "case_manager", "get", f"/api/v1/goals/{goals.math.public_id}/progress"
    ).json()
    assert [p["id"] for p in progress["points"]] == [str(kept.public_id)]
    assert [p["id"] for p in progress["voided_points"]] == [str(wrong.public_id)]
    assert AuditEvent.objects.filter(action="data_point.voided").count() == 1


def test_api_void_personas_and_bad_input(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math)
    url = f"/api/v1/data-points/{point.public_id}/void"
    for persona in OUTSIDERS:
        assert _api(world, persona, "post", url, {"reason": "x"}).status_code == 404
    assert _api(world, "teacher", "post", url, {"reason": "x"}).status_code == 403
    assert _api(world, "contractor", "post", url, {"reason": "x"}).status_code == 403
    bad = _api(world, "case_manager", "post", url, {"reason": ""})
    assert bad.status_code == 422 and "reason" in bad.json()["error"]["fields"]
    assert _fresh(point).voided_at is None


def test_api_correct_supersedes_and_names_the_original(world, goals) -> None:  # type: ignore[no-untyped-def]
    point = _record(world, goals.math, 8, n=2)
    url = f"/api/v1/data-points/{point.public_id}/correct"
    body = {"taken_on": _day(2).isoformat(), "percent": 80, "reason": "Missed a zero"}
    assert _api(world, "teacher", "post", url, body).status_code == 403
    assert _api(world, "stranger", "post", url, body).status_code == 404
    future = {**body, "taken_on": (clock.today() + timedelta(days=3)).isoformat()}
    bad = _api(world, "case_manager", "post", url, future)
    assert bad.status_code == 422 and "taken_on" in bad.json()["error"]["fields"]
    assert DataPoint.objects.count() == 1
    response = _api(world, "case_manager", "post", url, body)
    assert response.status_code == 201
    data = response.json()
    assert data["corrects"] == str(point.public_id) and data["value"] == 80
    listing = _api(
        world, "case_manager", "get", f"/api/v1/goals/{goals.math.public_id}/data-points"
    )
    statuses = {p["id"]: p["status"] for p in listing.json()["points"]}
    assert statuses == {str(point.public_id): "superseded", data["id"]: "active"}


def test_api_answers_409_on_a_second_point_that_day_unless_confirmed(world, goals) -> None:  # type: ignore[no-untyped-def]
    _record(world, goals.math, 45)
    url = f"/api/v1/goals/{goals.math.public_id}/data-points"
    body = {"taken_on": _day(1).isoformat(), "percent": 50}
    response = _api(world, "case_manager", "post", url, body)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate" and "confirm_duplicate" in error["fields"]
    assert "already recorded (45%)" in error["message"]
    assert DataPoint.objects.count() == 1
    response = _api(world, "case_manager", "post", url, {**body, "confirm_duplicate": True})
    assert response.status_code == 201 and DataPoint.objects.count() == 2
