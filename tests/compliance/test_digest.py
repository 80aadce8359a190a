"""The daily deadline digest: one email per staff member, in their language."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tandem.accounts.models import AuditEvent
from tandem.compliance.models import DeadlineKind
from tandem.compliance.tasks import send_deadline_digests
from tests.compliance.conftest import make_deadline

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 12)


@pytest.fixture
def due(world):  # type: ignore[no-untyped-def]
    return {
        "overdue": make_deadline(world.maya, due=date(2026, 1, 9)),
        "soon": make_deadline(
            world.maya, due=date(2026, 1, 20), kind=DeadlineKind.INITIAL_IEP_MEETING
        ),
        "later": make_deadline(world.maya, due=date(2026, 2, 20), kind=DeadlineKind.REEVALUATION),
        "met": make_deadline(
            world.maya,
            due=date(2026, 1, 5),
            met_on=date(2026, 1, 2),
            kind=DeadlineKind.ANNUAL_REVIEW,
        ),
        # Leo's psychologist left his team; Ana has no one but leadership.
        "leo": make_deadline(world.leo, due=date(2026, 1, 10)),
        "ana": make_deadline(world.ana, due=date(2026, 1, 11)),
    }


def _to(address: str):  # type: ignore[no-untyped-def]
    return next(m for m in mail.outbox if m.to == [address])


def test_one_email_per_staff_member_on_a_caseload_or_team(world, due):
    sent = send_deadline_digests.enqueue(TODAY.isoformat()).return_value
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["cm@r.test", "psych@r.test"]


def test_digest_lists_overdue_and_due_soon_only(world, due):
    send_deadline_digests.enqueue(TODAY.isoformat())
    message = _to("cm@r.test")
    assert message.subject == "Tandem: 2 deadlines need your attention"
    body = message.body
    assert "Overdue" in body and "Due within 14 days" in body
    assert "Initial evaluation, Maya Lopez (North Elementary)" in body
    assert "Initial IEP meeting, Maya Lopez" in body
    assert "Reevaluation" not in body and "Annual review" not in body
    assert "Leo" not in body and "Ana" not in body
    assert "http://" in body and "/deadlines/" in body


def test_digest_has_an_html_part(world, due):
    send_deadline_digests.enqueue(TODAY.isoformat())
    html, mimetype = _to("cm@r.test").alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert "<td>Maya Lopez</td>" in html


def test_digest_is_in_the_users_language(world, due):
    psych = world.users["psych"]
    psych.preferred_language = "es"
    psych.save()
    send_deadline_digests.enqueue(TODAY.isoformat())
    message = _to("psych@r.test")
    html, _ = message.alternatives[0]
    assert '<html lang="es">' in html
    assert "9 de enero de 2026" in message.body  # Spanish date format
    assert '<html lang="en">' in _to("cm@r.test").alternatives[0][0]


def test_nothing_due_sends_nothing(world):
    make_deadline(world.maya, due=date(2026, 3, 1))
    assert send_deadline_digests.enqueue(TODAY.isoformat()).return_value == 0
    assert mail.outbox == []


def test_a_former_case_manager_gets_nothing(world, due):
    world.users["case_manager"].staff.caseload.update(end_date=date(2026, 1, 1))
    world.users["case_manager"].staff.team_memberships.update(end_date=date(2026, 1, 1))
    send_deadline_digests.enqueue(TODAY.isoformat())
    assert [m.to[0] for m in mail.outbox] == ["psych@r.test"]


def test_digests_are_audited(world, due):
    send_deadline_digests.enqueue(TODAY.isoformat())
    events = AuditEvent.objects.filter(action="deadlines.digest_sent")
    assert {e.detail["to"] for e in events} == {"cm@r.test", "psych@r.test"}
    assert all(e.district_id == world.riverside.pk for e in events)


def test_queries_per_recipient_do_not_grow_with_deadlines(
    world, due, django_assert_max_num_queries
):
    for n in range(20):
        make_deadline(world.maya, due=date(2026, 1, 1 + n % 20), kind=DeadlineKind.MEETING_NOTICE)
    with django_assert_max_num_queries(20):
        send_deadline_digests.call(TODAY.isoformat())


def test_command_queues_the_digest(world, due):
    out = StringIO()
    call_command("send_deadline_digests", "--date", TODAY.isoformat(), stdout=out)
    assert "Queued the deadline digest for 2026-01-12" in out.getvalue()
    assert len(mail.outbox) == 2  # the immediate backend runs it at once in tests
