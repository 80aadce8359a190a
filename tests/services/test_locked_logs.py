"""Signed logs are locked; a correction is an addendum with a reason, never an edit; a log entered
more than N days after its session (the district's setting, default 7) is marked late."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.models import AppendOnlyError
from tandem.services import actions_supervision
from tandem.services.models import ServiceSession, ServiceSettings, SessionAddendum
from tests.services.supervision_world import TODAY, log
from tests.services.supervision_world import slpa as slpa  # noqa: F401  (fixture)


def _addendum_url(world, session):  # type: ignore[no-untyped-def]
    return reverse("session_addendum", args=[world.maya.public_id, session.public_id])


# --- locked --------------------------------------------------------------------------------------


def test_a_signed_log_cannot_be_changed_or_deleted(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    session = log(slp, date(2025, 9, 29), speech, world.maya)
    session.note = "Changed afterwards."
    with pytest.raises(AppendOnlyError):
        session.save()
    with pytest.raises(AppendOnlyError):
        ServiceSession.objects.filter(pk=session.pk).update(minutes=45)
    with pytest.raises(AppendOnlyError):
        session.delete()
    with pytest.raises(AppendOnlyError):
        ServiceSession.objects.filter(pk=session.pk).delete()
    session.refresh_from_db()
    assert session.note == "Articulation drill, 2025-09-29." and session.minutes == 30


def test_an_unsigned_draft_may_still_change(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    from tandem.services import actions
    from tandem.services.actions import Attendee
    from tandem.services.models import AttendanceCode

    with clock.fixed(TODAY):
        draft = actions.log_session(
            actor=slp,
            day=date(2025, 9, 29),
            start_time=time(10, 0),
            minutes=30,
            attendees=[Attendee(world.maya, speech, AttendanceCode.DELIVERED)],
            sign=False,
        )
    assert draft.signed_at is None and not draft.needs_cosignature
    draft.note = "Finished later."
    draft.save()


# --- addenda -------------------------------------------------------------------------------------


def test_an_addendum_corrects_without_editing(world, slpa, slp, speech) -> None:  # type: ignore[no-untyped-def]
    session = log(slpa, date(2025, 9, 29), speech, world.maya)
    with clock.fixed(TODAY):
        actions_supervision.cosign_sessions(actor=slp, sessions=[session])
        response = world.client_for("slpa").post(
            _addendum_url(world, session), {"reason": "Wrong minutes", "text": "It was 25 minutes."}
        )
    assert response.status_code == 302
    addendum = SessionAddendum.objects.get(session=session)
    assert (addendum.reason, addendum.text, addendum.created_by) == (
        "Wrong minutes",
        "It was 25 minutes.",
        slpa,
    )
    session.refresh_from_db()
    assert session.minutes == 30 and session.cosignature.licence == "CA SP 24871"
    with pytest.raises(AppendOnlyError):
        addendum.delete()
    with clock.fixed(TODAY):
        page = world.client_for("case_manager").get(
            reverse("student_services", args=[world.maya.public_id])
        )
    html = page.content.decode()
    assert "Wrong minutes" in html and "It was 25 minutes." in html and "Co-signed by" in html


def test_an_addendum_needs_its_reason_and_saves_nothing_without(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    session = log(slp, date(2025, 9, 29), speech, world.maya)
    with clock.fixed(TODAY):
        response = world.client_for("slp").post(
            _addendum_url(world, session), {"reason": "", "text": "25 minutes."}
        )
    assert response.status_code == 400
    assert "Give the reason for the correction." in response.content.decode()
    assert not SessionAddendum.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("teacher", 403), ("oak_director", 404)])
def test_only_who_records_progress_adds_an_addendum(world, slp, speech, persona, status) -> None:  # type: ignore[no-untyped-def]
    session = log(slp, date(2025, 9, 29), speech, world.maya)
    with clock.fixed(TODAY):
        response = world.client_for(persona).post(
            _addendum_url(world, session), {"reason": "Mine", "text": "Changed."}
        )
    assert response.status_code == status
    assert not SessionAddendum.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.SERVICE_SESSION__ADDENDUM_ADDED).exists()


# --- late ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "days_after", "late"),
    [
        (None, 7, False),  # the default: 7 days (SERVICES.md NOTE-2)
        (None, 8, True),
        (3, 3, False),
        (3, 4, True),
        (0, 0, False),  # same day
        (0, 1, True),  # a district that wants every log the same day
    ],
)
def test_late_after_the_districts_days(world, slp, speech, setting, days_after, late) -> None:  # type: ignore[no-untyped-def]
    if setting is not None:
        ServiceSettings.objects.create(district=world.riverside, late_after_days=setting)
    day = date(2025, 9, 29)
    session = log(slp, day, speech, world.maya, today=day + timedelta(days=days_after))
    assert session.late is late


def test_another_districts_setting_does_not_apply(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    ServiceSettings.objects.create(district=world.oak_valley, late_after_days=1)
    session = log(slp, date(2025, 9, 29), speech, world.maya, today=date(2025, 10, 3))
    assert session.late is False


def test_the_late_mark_shows_on_the_student_page(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    log(slp, date(2025, 9, 15), speech, world.maya, today=date(2025, 9, 30))
    with clock.fixed(TODAY):
        html = (
            world.client_for("case_manager")
            .get(reverse("student_services", args=[world.maya.public_id]))
            .content.decode()
        )
    assert "logged late" in html
