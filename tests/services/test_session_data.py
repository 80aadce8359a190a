"""A session log carries the goals' data points: one entry feeds progress monitoring (issue 12)."""

from __future__ import annotations

from django.urls import reverse

from tandem.core import clock
from tandem.progress.models import DataPoint
from tandem.progress.queries import progress_for
from tandem.services.models import AttendanceCode, ServiceSession
from tests.services.test_views import LOG, TODAY, _post
from tests.services.test_views import leo_speech as leo_speech  # noqa: F401  (fixture)


def _goal(service, area="Articulation"):  # type: ignore[no-untyped-def]
    return service.plan.goals.get(area=area)


def _field(service, goal) -> str:  # type: ignore[no-untyped-def]
    return f"goal_{service.public_id}_{goal.public_id}"


def test_a_group_session_records_each_students_goal_data(world, slp, speech, leo_speech) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    maya_goal, leo_goal = _goal(speech), _goal(leo_speech)
    response = _post(
        world,
        "slp",
        [(speech, AttendanceCode.DELIVERED), (leo_speech, AttendanceCode.DELIVERED)],
        **{_field(speech, maya_goal): "70", _field(leo_speech, leo_goal): "55"},
    )
    assert response.status_code == 302
    assert ServiceSession.objects.count() == 1
    points = {p.student_id: p for p in DataPoint.objects.all()}
    assert {k: p.value for k, p in points.items()} == {world.maya.pk: 70.0, world.leo.pk: 55.0}
    assert all(str(p.taken_on) == "2025-09-30" for p in points.values())
    assert "Session 2025-09-30" in points[world.maya.pk].note
    # The goal page's read sees the point.
    assert [p.value for p in progress_for(maya_goal).points] == [70.0]


def test_a_bad_value_refuses_the_session_naming_the_field(world, slp, speech, leo_speech) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    maya_goal, leo_goal = _goal(speech), _goal(leo_speech)
    response = _post(
        world,
        "slp",
        [(speech, AttendanceCode.DELIVERED), (leo_speech, AttendanceCode.DELIVERED)],
        **{_field(speech, maya_goal): "70", _field(leo_speech, leo_goal): "170"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{world.leo.display_name} — Articulation: 170% is above the top of the scale" in html
    assert not ServiceSession.objects.exists()
    assert not DataPoint.objects.exists()


def test_the_log_page_offers_goal_fields_and_an_outsider_gets_404(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        page = world.client_for("slp").get(LOG)
    assert _field(speech, _goal(speech)) in page.content.decode()
    with clock.fixed(TODAY):
        response = world.client_for("stranger").post(
            LOG, {"students": [str(speech.public_id)], "day": "2025-09-30"}
        )
    assert response.status_code == 404
    assert reverse("session_log") == LOG


def test_the_log_page_queries_are_bounded(
    world,
    slp,
    speech,
    leo_speech,
    django_assert_max_num_queries,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY), django_assert_max_num_queries(40):
        response = world.client_for("slp").get(LOG)
    assert response.status_code == 200


def test_goal_data_for_an_absent_student_is_refused(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    goal = _goal(speech)
    response = _post(
        world, "slp", [(speech, AttendanceCode.STUDENT_ABSENT)], **{_field(speech, goal): "70"}
    )
    assert response.status_code == 400
    assert "was not present" in response.content.decode()
    assert not ServiceSession.objects.exists()
    assert not DataPoint.objects.exists()
