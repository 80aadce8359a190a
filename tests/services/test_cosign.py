"""An assistant's session awaits the supervisor's co-signature (issue 12, SERVICES.md NOTE-1).

The assistant (Abby) signs; the session waits on her supervisor's (Sally's) page until Sally
co-signs it, one at a time or several at once, with her licence and credentials of that moment.
Nobody else co-signs: out of reach 404, in reach 403, and nothing is written either way.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.models import AppendOnlyError
from tandem.services import actions_supervision, medicaid
from tandem.services.models import ProviderLicence, SessionCoSignature
from tests.services.medicaid_world import an_npi, consent
from tests.services.supervision_world import TODAY, log
from tests.services.supervision_world import slpa as slpa  # noqa: F401  (fixture)

QUEUE = reverse("cosign_queue")


def _client(world, persona):  # type: ignore[no-untyped-def]
    return world.client_for(persona)


def _cosigned_events() -> int:
    return AuditEvent.objects.filter(action=Action.SERVICE_SESSION__COSIGNED).count()


@pytest.fixture
def sessions(world, slpa, speech):  # type: ignore[no-untyped-def]
    return [
        log(slpa, date(2025, 9, 29), speech, world.maya),
        log(slpa, date(2025, 9, 30), speech, world.maya),
    ]


def test_an_assistants_signature_leaves_the_session_awaiting(world, slpa, slp, speech) -> None:  # type: ignore[no-untyped-def]
    mine = log(slpa, date(2025, 9, 29), speech, world.maya)
    own = log(slp, date(2025, 9, 30), speech, world.maya)
    assert mine.signed_at is not None and mine.needs_cosignature
    assert mine.signed_licence == "CA SLPA 1001" and mine.signed_credentials == "SLPA"
    assert not own.needs_cosignature  # the SLP's own log needs no co-signature


def test_logging_says_the_session_awaits_the_supervisor(world, slpa, speech) -> None:  # type: ignore[no-untyped-def]
    client = _client(world, "slpa")
    with clock.fixed(TODAY):
        response = client.post(
            reverse("session_log"),
            {
                "day": "2025-09-29",
                "start_time": "09:00",
                "minutes": "30",
                "modality": "in_person",
                "students": [str(speech.public_id)],
                f"code_{speech.public_id}": "delivered",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "awaits your supervisor" in response.content.decode()


def test_the_supervisor_sees_the_queue(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = _client(world, "slp").get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    for session in sessions:
        assert f'data-session="{session.public_id}"' in html
    assert "Maya Lopez" in html
    # Each student listed is a read of their record.
    reads = AuditEvent.objects.filter(action=Action.COSIGNATURE_QUEUE__VIEWED)
    assert reads.count() == 2 and {e.student_id for e in reads} == {world.maya.pk}


def test_cosign_one_records_the_licence_of_the_moment(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    first, second = sessions
    with clock.fixed(TODAY):
        response = _client(world, "slp").post(QUEUE, {"one": str(first.public_id)}, follow=True)
    assert response.status_code == 200
    assert "1 session was co-signed." in response.content.decode()
    row = SessionCoSignature.objects.get(session=first)
    assert (row.supervisor, row.licence, row.credentials) == (slp.staff, "CA SP 24871", "CCC-SLP")
    assert row.created_by == slp and row.signed_at.date() == TODAY
    assert not SessionCoSignature.objects.filter(session=second).exists()
    # The queue keeps the other; the first is gone from it.
    html = response.content.decode()
    assert f'data-session="{second.public_id}"' in html
    assert f'data-session="{first.public_id}"' not in html
    assert _cosigned_events() == 1
    # A later renewal does not change what was co-signed.
    ProviderLicence.objects.filter(staff=slp.staff).update(number="SP 99999")
    row.refresh_from_db()
    assert row.licence == "CA SP 24871"


def test_cosign_several_at_once(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = _client(world, "slp").post(
            QUEUE, {"sessions": [str(s.public_id) for s in sessions]}
        )
    assert response.status_code == 302
    assert SessionCoSignature.objects.filter(session__in=sessions).count() == 2


def test_the_student_page_shows_awaiting_then_cosigned(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    page = reverse("student_services", args=[world.maya.public_id])
    with clock.fixed(TODAY):
        before = _client(world, "case_manager").get(page).content.decode()
        actions_supervision.cosign_sessions(actor=slp, sessions=sessions[:1])
        after = _client(world, "case_manager").get(page).content.decode()
    assert before.count("Awaiting the supervisor's co-signature") == 2
    assert after.count("Awaiting the supervisor's co-signature") == 1
    assert "Co-signed by Sally" in after and "(CA SP 24871)" in after


def test_cosigning_twice_is_refused_and_saves_nothing(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    first, second = sessions
    with clock.fixed(TODAY):
        actions_supervision.cosign_sessions(actor=slp, sessions=[first])
        response = _client(world, "slp").post(
            QUEUE, {"sessions": [str(second.public_id), str(first.public_id)]}
        )
    assert response.status_code == 400
    assert "is already co-signed" in response.content.decode()
    assert not SessionCoSignature.objects.filter(session=second).exists()  # all or none
    assert _cosigned_events() == 1


def test_nothing_chosen_is_refused(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = _client(world, "slp").post(QUEUE, {})
    assert response.status_code == 400
    assert "Choose at least one session to co-sign." in response.content.decode()


def test_a_supervisor_with_a_lapsed_licence_cannot_cosign(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    ProviderLicence.objects.filter(staff=slp.staff).update(expires=date(2025, 9, 30))
    with clock.fixed(TODAY):
        response = _client(world, "slp").post(QUEUE, {"one": str(sessions[0].public_id)})
    assert response.status_code == 400
    assert "Your licence does not cover CA today" in response.content.decode()
    assert SessionCoSignature.objects.count() == 0


def test_a_cosignature_is_append_only(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        (row,) = actions_supervision.cosign_sessions(actor=slp, sessions=sessions[:1])
    row.licence = "CA forged"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


# --- who may co-sign -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("oak_director", 404),  # another district: Maya is out of reach
        ("stranger", 404),  # a case manager at North with no tie to Maya
        ("parent", 404),  # families co-sign nothing
        ("teacher", 403),  # reads Maya (roster), records nothing
        ("case_manager", 403),  # records Maya's progress, but is not the supervisor
        ("slpa", 403),  # the assistant cannot co-sign her own session
    ],
)
def test_only_the_supervisor_cosigns(world, slpa, sessions, persona, status) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = _client(world, persona).post(QUEUE, {"one": str(sessions[0].public_id)})
    assert response.status_code == status
    assert SessionCoSignature.objects.count() == 0
    assert _cosigned_events() == 0


def test_an_unknown_or_malformed_session_is_not_found(world, slp, sessions) -> None:  # type: ignore[no-untyped-def]
    client = _client(world, "slp")
    with clock.fixed(TODAY):
        assert client.post(QUEUE, {"one": "not-a-uuid"}).status_code == 404
        unknown = "00000000-0000-4000-8000-000000000000"
        assert client.post(QUEUE, {"sessions": [unknown]}).status_code == 404
    assert SessionCoSignature.objects.count() == 0


def test_others_see_an_empty_queue(world, slpa, sessions) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = _client(world, "case_manager").get(QUEUE)
    assert response.status_code == 200
    assert "No session awaits your co-signature." in response.content.decode()
    assert str(sessions[0].public_id) not in response.content.decode()


def test_a_family_gets_404(world, sessions) -> None:  # type: ignore[no-untyped-def]
    assert _client(world, "parent").get(QUEUE).status_code == 404


def test_a_session_with_a_student_the_supervisor_does_not_serve_is_counted_not_named(
    world, slp, slpa, speech
) -> None:  # type: ignore[no-untyped-def]
    from tandem.people.models import CaseloadAssignment, TeamMembership, TeamRole
    from tests.conftest import START
    from tests.progress.conftest import active_iep

    cm = world.users["case_manager"].staff
    CaseloadAssignment.objects.create(staff=cm, student=world.leo, start_date=START)
    TeamMembership.objects.create(
        staff=slpa.staff, student=world.leo, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    leo_speech = active_iep(world, student=world.leo).services.get(name="Speech-language therapy")
    log(slpa, date(2025, 9, 29), leo_speech, world.leo)
    with clock.fixed(TODAY):
        html = _client(world, "slp").get(QUEUE).content.decode()
    assert 'data-hidden="1"' in html and "Leo" not in html


def test_the_queue_reads_a_fixed_number_of_queries(
    world, slp, slpa, speech, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tandem.services import queries_supervision as q

    for day in (22, 23, 24, 25, 26, 29, 30):
        log(slpa, date(2025, 9, day), speech, world.maya)
    with clock.fixed(TODAY), django_assert_max_num_queries(12):
        queue = q.awaiting_cosignature(slp)
    assert len(queue.entries) == 7


# --- the Medicaid export ------------------------------------------------------------------------


def test_medicaid_holds_an_uncosigned_assistants_session(world, slp, slpa, speech) -> None:  # type: ignore[no-untyped-def]
    from tandem.services.models import ProviderProfile

    ProviderProfile.objects.filter(staff=slp.staff).update(npi=an_npi("123456789"))
    ProviderProfile.objects.filter(staff=slpa.staff).update(npi=an_npi("987654321"))
    consent(world.maya, world.users["case_manager"])
    session = log(slpa, date(2025, 9, 29), speech, world.maya)
    (line,) = medicaid.lines(world.riverside, date(2025, 9, 1), date(2025, 9, 30))
    assert line.reasons == [medicaid.NOT_COSIGNED]
    assert medicaid.reason_words(line) == "Not co-signed by the supervisor"
    with clock.fixed(TODAY):
        actions_supervision.cosign_sessions(actor=slp, sessions=[session])
    (line,) = medicaid.lines(world.riverside, date(2025, 9, 1), date(2025, 9, 30))
    assert line.billable and line.cosigned_licence == "CA SP 24871"
    from tandem.services.medicaid_export import record

    assert record(line)["supervising_licence"] == "CA SP 24871"


def test_the_unbillable_download_names_the_reason(world, slp, slpa, speech) -> None:  # type: ignore[no-untyped-def]
    consent(world.maya, world.users["case_manager"])
    log(slpa, date(2025, 9, 29), speech, world.maya)
    url = reverse("medicaid_unbillable_csv")
    with clock.fixed(TODAY):
        response = _client(world, "director").get(url, {"start": "2025-09-01", "end": "2025-09-30"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Not co-signed by the supervisor" in text and "not_cosigned" in text
