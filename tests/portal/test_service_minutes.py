"""The family's service minutes page: the staff page's figures, in plain words.

Maya's speech (tests/services/test_views.py `logged`): this week 30 of 60 minutes; the last four
weeks 90 of 156; the SLP's miss of 2025-09-22 leaves 30 minutes owed, due by 2025-09-29 with the
default makeup window (5 school days), by 2025-10-06 with a window of 10.
"""

from __future__ import annotations

import re
from datetime import date, time

from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.services import actions, queries
from tandem.services.actions import Attendee
from tandem.services.models import AttendanceCode, SessionAttendance
from tests.services.conftest import slp as slp  # noqa: F401  (fixture)
from tests.services.conftest import speech as speech  # noqa: F401  (fixture)
from tests.services.test_views import TODAY
from tests.services.test_views import logged as logged  # noqa: F401  (fixture)


def _url(student) -> str:  # type: ignore[no-untyped-def]
    return reverse("portal_services", args=[student.public_id])


def _said(html: str) -> dict[str, str]:
    cells = re.findall(r'<li data-figure="(\w+)">(.*?)</li>', html, re.S)
    return {name: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for name, text in cells}


def _page(world, persona="parent"):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).get(_url(world.maya))


def test_the_parent_reads_the_minutes_in_plain_words(world, logged) -> None:  # type: ignore[no-untyped-def]
    world.riverside.settings = {"services": {"makeup_window_school_days": 10}}
    world.riverside.save()
    response = _page(world)
    assert response.status_code == 200
    said = _said(response.content.decode())
    assert said == {
        "week": "This week: 30 of 60 minutes.",
        "four_weeks": "Last four weeks: 90 of 156 minutes.",
        "owed": "Owed to your child: 30 minutes, to be made up by Oct. 6, 2025.",
    }
    assert AuditEvent.objects.filter(
        action="service_minutes.viewed", student=world.maya, actor=world.users["parent"]
    ).exists()


def test_the_words_come_from_the_staff_figures(world, logged) -> None:  # type: ignore[no-untyped-def]
    (item,) = queries.minutes_for_student(world.maya, today=TODAY)
    week, four, _year = (w.totals for w in item.windows)
    said = _said(_page(world).content.decode())
    assert said["week"] == f"This week: {week.delivered + week.made_up} of {week.mandated} minutes."
    assert said["four_weeks"] == (
        f"Last four weeks: {four.delivered + four.made_up} of {four.mandated} minutes."
    )


def test_an_overdue_balance_says_the_team_will_decide(world, logged) -> None:  # type: ignore[no-untyped-def]
    said = _said(_page(world).content.decode())
    assert said["owed"] == (
        "Owed to your child: 30 minutes. They were to be made up by Sept. 29, 2025; "
        "the team will decide with you how to make them up."
    )


def test_a_makeup_settles_what_is_owed(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    missed = SessionAttendance.objects.get(student=world.maya, session__day=date(2025, 9, 22))
    with clock.fixed(TODAY):
        actions.log_session(
            actor=slp,
            day=date(2025, 9, 30),
            start_time=time(13),
            minutes=30,
            attendees=[Attendee(world.maya, speech, AttendanceCode.MAKEUP, makes_up=missed)],
        )
    said = _said(_page(world).content.decode())
    assert said["owed"] == "Owed to your child: nothing."
    assert said["four_weeks"] == "Last four weeks: 120 of 156 minutes."


def test_the_childs_page_links_to_the_minutes(world, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        html = (
            world.client_for("parent")
            .get(reverse("portal_child", args=[world.maya.public_id]))
            .content.decode()
        )
    assert _url(world.maya) in html


def test_a_parent_of_another_child_gets_404(world, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = world.client_for("parent").get(_url(world.leo))
    assert response.status_code == 404


def test_outsiders_get_404(world, logged) -> None:  # type: ignore[no-untyped-def]
    for persona in ("stranger", "oak_director"):
        assert _page(world, persona).status_code == 404


def test_staff_use_their_own_page_not_the_familys(world, logged) -> None:  # type: ignore[no-untyped-def]
    # In reach, without the family's capability: refused, never shown as the family.
    assert _page(world, "case_manager").status_code in (403, 404)


def test_anonymous_is_sent_to_sign_in(world, logged) -> None:  # type: ignore[no-untyped-def]
    assert _page(world, "anonymous").status_code == 302


def test_a_page_with_no_sessions_still_says_the_mandate(world, speech) -> None:  # type: ignore[no-untyped-def]
    said = _said(_page(world).content.decode())
    assert said["week"] == "This week: 0 of 60 minutes."
    assert said["owed"] == "Owed to your child: nothing."


def test_the_page_is_in_the_parents_language(world, logged) -> None:  # type: ignore[no-untyped-def]
    parent = world.users["parent"]
    parent.preferred_language = "es"
    parent.save()
    html = _page(world).content.decode()
    assert '<html lang="es"' in html
