"""The daily check: a case manager is told once when a student falls below the minutes.

Maya's speech (tests/services/test_views.py `logged`): over the four weeks before TODAY's week
the mandate is 36 + 60 + 60 = 156 minutes and 90 were delivered: 58%, under the default 90%.
Cara (cm@r.test) is Maya's case manager.
"""

from __future__ import annotations

from datetime import date, time

from django.core.management import call_command
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.communication.models import Notification
from tandem.core import clock
from tandem.services import actions, alerts
from tandem.services.actions import Attendee
from tandem.services.alerts import check_all, check_student
from tandem.services.models import (
    AlertKind,
    AttendanceCode,
    MinutesTally,
    ServiceAlert,
    SessionAttendance,
)
from tests.services.test_views import TODAY, _log, _url
from tests.services.test_views import logged as logged  # noqa: F401  (fixture)


def _told() -> list[Notification]:
    return list(Notification.objects.filter(kind=alerts.NOTIFICATION_KIND))


def _threshold(world, percent: int) -> None:  # type: ignore[no-untyped-def]
    world.riverside.settings = {"services": {"threshold_percent": percent}}
    world.riverside.save()
    world.maya.refresh_from_db()


def test_the_case_manager_is_told_once_per_episode(world, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        first = check_all(today=TODAY)
        again = check_all(today=TODAY)
        later = check_all(today=date(2025, 10, 2))
    assert (first.opened, again.opened, later.opened) == (1, 0, 0)
    alert = ServiceAlert.objects.get()
    assert (alert.kind, alert.figure, alert.opened_on, alert.closed_on) == (
        AlertKind.BELOW_MINUTES,
        58,
        TODAY,
        None,
    )
    (note,) = _told()
    assert note.recipient == world.users["case_manager"]
    assert note.student == world.maya
    assert note.subject == "Maya Lopez is below the minutes of Speech-language therapy"
    assert "got 58% of the mandated minutes" in note.body
    assert "threshold is 90%" in note.body
    assert note.url == _url(world.maya)
    raised = AuditEvent.objects.filter(action="service_alert.raised", student=world.maya)
    assert raised.get().detail["figure"] == 58


def test_recovery_closes_the_episode_and_a_new_fall_is_told_again(
    world, slp, speech, logged
) -> None:  # type: ignore[no-untyped-def]
    _threshold(world, 60)
    with clock.fixed(TODAY):
        assert check_student(world.maya, today=TODAY).opened == 1  # 58% < 60%
    missed = SessionAttendance.objects.get(student=world.maya, session__day=date(2025, 9, 22))
    with clock.fixed(TODAY):
        actions.log_session(
            actor=slp,
            day=date(2025, 9, 30),
            start_time=time(13),
            minutes=30,
            attendees=[Attendee(world.maya, speech, AttendanceCode.MAKEUP, makes_up=missed)],
        )
        closed = check_student(world.maya, today=TODAY)  # 120 of 156 = 77%
    assert (closed.opened, closed.closed) == (0, 1)
    assert ServiceAlert.objects.get().closed_on == TODAY
    assert AuditEvent.objects.filter(action="service_alert.closed").count() == 1
    _threshold(world, 80)
    with clock.fixed(TODAY):
        assert check_student(world.maya, today=TODAY).opened == 1
    assert ServiceAlert.objects.count() == 2
    assert len(_told()) == 2


def test_a_pattern_of_absences_is_flagged_but_not_owed(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    for day in (date(2025, 9, 15), date(2025, 9, 22), date(2025, 9, 29)):
        _log(slp, day, AttendanceCode.STUDENT_ABSENT, speech, world.maya)
    for day in (date(2025, 9, 17), date(2025, 9, 24)):
        _log(slp, day, AttendanceCode.DELIVERED, speech, world.maya)
    _threshold(world, 1)  # only the absences this time
    with clock.fixed(TODAY):
        result = check_all(today=TODAY)
    assert result.opened == 1
    alert = ServiceAlert.objects.get()
    assert (alert.kind, alert.figure) == (AlertKind.ABSENCES, 3)
    (note,) = _told()
    assert note.subject == "Maya Lopez keeps missing Speech-language therapy"
    with clock.fixed(TODAY):
        html = world.client_for("case_manager").get(_url(world.maya)).content.decode()
    assert 'data-alert="absences"' in html
    assert "No session was missed for a reason that is owed back." in html


def test_two_absences_are_not_a_pattern(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    for day in (date(2025, 9, 15), date(2025, 9, 22)):
        _log(slp, day, AttendanceCode.STUDENT_ABSENT, speech, world.maya)
    _log(slp, date(2025, 9, 24), AttendanceCode.DELIVERED, speech, world.maya)
    _threshold(world, 1)
    with clock.fixed(TODAY):
        result = check_all(today=TODAY)
    assert (result.checked, result.opened) == (1, 0)


def test_the_alert_shows_on_the_case_managers_home_and_the_services_page(world, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        check_all(today=TODAY)
        home = world.client_for("case_manager").get(reverse("home")).content.decode()
        page = world.client_for("case_manager").get(_url(world.maya)).content.decode()
    assert 'data-service-alert="below_minutes"' in home
    assert "Below minutes: Speech-language therapy, 58 percent over four weeks" in home
    assert 'data-alert="below_minutes"' in page


def test_a_service_never_logged_raises_no_alert(world, speech) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        assert check_all(today=TODAY, students=[world.maya]).opened == 0


def test_the_command_runs_the_check(world, logged, capsys) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        call_command("check_service_minutes", "--now", "--date", TODAY.isoformat())
        call_command("check_service_minutes", "--now", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "1 alerts opened" in out and "0 alerts opened" in out
    assert len(_told()) == 1
    # It also counts the director's mandates ahead of the first visit (tallies.py).
    assert "Counted 1 mandates for the director's page." in out
    assert MinutesTally.objects.filter(counted_on=TODAY).count() == 1


def test_the_task_runs_the_check(world, logged) -> None:  # type: ignore[no-untyped-def]
    from tandem.services.tasks import check_service_minutes

    with clock.fixed(TODAY):
        result = check_service_minutes.call(TODAY.isoformat())
    assert result["opened"] == 1
    assert result["mandates_counted"] == 1
