"""The delivered-against-mandated graph on a student's minutes page, and its table.

Maya's speech (tests/progress): 30 minutes 2 times a week from Wednesday 2025-09-10, every
weekday a school day: the first week owes 3/5 of 60 = 36 minutes, later weeks 60.
"""

from __future__ import annotations

import re
from datetime import date, time

from django.urls import reverse
from django.utils import translation

from tandem.core import clock
from tandem.rules import services as rules
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.graph import Week, minutes_graph_svg, summary, weeks_of
from tandem.services.models import AttendanceCode

TODAY = date(2025, 10, 1)


def _log(user, day, code, service, student):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        actions.log_session(
            actor=user,
            day=day,
            start_time=time(9, 0),
            minutes=30,
            attendees=[Attendee(student, service, code)],
        )


def test_weeks_stop_at_the_current_week_and_cap_like_the_totals() -> None:
    periods = [
        rules.Period(date(2025, 9, 8), date(2025, 9, 14), 3, 36, delivered=60),
        rules.Period(date(2025, 9, 15), date(2025, 9, 21), 5, 60, delivered=30, made_up=60),
        rules.Period(date(2025, 9, 22), date(2025, 9, 28), 5, 60),
        rules.Period(date(2025, 9, 29), date(2025, 10, 5), 5, 60),
    ]
    weeks = weeks_of(periods, today=date(2025, 9, 24))
    assert [(w.mandated, w.delivered, w.made_up) for w in weeks] == [
        (36, 36, 0),  # extra minutes do not carry over
        (60, 30, 30),
        (60, 0, 0),
    ]
    assert [w.percent for w in weeks] == [100, 100, 0]
    assert [w.short for w in weeks] == [False, False, True]


def test_the_svg_has_a_title_a_description_and_the_same_bytes_each_time() -> None:
    weeks = [Week(date(2025, 9, 8), 36, 30, 0), Week(date(2025, 9, 15), 60, 60, 0)]
    svg = minutes_graph_svg(weeks, name="Speech <therapy>", key="k1")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="minutes-graph-title-k1 minutes-graph-desc-k1"' in svg
    assert (
        '<title id="minutes-graph-title-k1">Minutes delivered against mandated: Speech &lt;therapy&gt;</title>'
        in svg
    )
    assert "90 of 96 mandated minutes" in svg and "1 weeks below the mandate" in svg
    assert "Sep 8" in svg  # readable dates on the axis
    assert svg == minutes_graph_svg(weeks, name="Speech <therapy>", key="k1")
    # Another key gives other element ids, so two graphs on one page never share an id.
    other = minutes_graph_svg(weeks, name="Speech <therapy>", key="k2")
    ids = set(re.findall(r'id="([^"]+)"', svg)) & set(re.findall(r'id="([^"]+)"', other))
    assert ids == set()


def test_an_empty_graph_says_so() -> None:
    assert "No week" in summary([])
    assert "<svg" in minutes_graph_svg([], name="Speech", key="k")


def test_the_minutes_page_shows_the_graph_and_its_table(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    for day, code in (
        (date(2025, 9, 15), AttendanceCode.DELIVERED),
        (date(2025, 9, 22), AttendanceCode.PROVIDER_ABSENT),
        (date(2025, 9, 24), AttendanceCode.DELIVERED),
    ):
        _log(slp, day, code, speech, world.maya)
    url = reverse("student_services", args=[world.maya.public_id])
    with clock.fixed(TODAY):
        html = world.client_for("teacher").get(url).content.decode()
    assert f'data-minutes-graph="{speech.public_id}"' in html
    assert '<title id="minutes-graph-title-' in html
    rows = dict(
        re.findall(r'<tr data-week="([\d-]+)">.*?data-figure="delivered">(\d+)</td>', html, re.S)
    )
    # Weeks from the service's start to this week, none to come.
    assert rows == {
        "2025-09-08": "0",
        "2025-09-15": "30",
        "2025-09-22": "30",
        "2025-09-29": "0",
    }
    assert html.count('data-week="') == 4


def test_the_graph_speaks_spanish(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    _log(slp, date(2025, 9, 15), AttendanceCode.DELIVERED, speech, world.maya)
    with translation.override("es"), clock.fixed(TODAY):
        from tandem.services.queries import minutes_for_student

        item = minutes_for_student(world.maya, today=TODAY)[0]
        svg = str(item.graph_svg)
    assert "sep" in svg.lower()  # the month on the axis in the active language
