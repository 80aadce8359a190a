"""A revision request from each kind of stakeholder, to each outcome, with its deadline row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.communication.models import Delivery, Notification
from tandem.compliance.models import Deadline
from tandem.meetings.models import Meeting
from tandem.plans.actions_common import Changes
from tandem.plans.models import PlanVersion, VersionKind
from tandem.plans.readiness import PlanNotReady
from tandem.referrals.actions_common import NoticeContent
from tandem.referrals.models import NoticeAction, PriorWrittenNotice
from tandem.revisions import actions
from tandem.revisions.models import RevisionRequest, Source, Status
from tests.plans.test_lifecycle import active_plan

pytestmark = pytest.mark.django_db


def notice(language: str = "en", **parts: str) -> NoticeContent:
    """A refusal's seven elements (300.503(b)), each written out."""
    return NoticeContent(
        action_described=parts.get("action_described", "The district refuses more reading time."),
        reasons="The data shows steady growth toward the goal.",
        evaluation_basis="Weekly probes since September; the teacher's report.",
        procedural_safeguards_statement="You are protected by the procedural safeguards.",
        sources_of_help="Call the case manager or the parent center.",
        options_considered="Adding 30 minutes; rejected while the data shows growth.",
        other_factors="None.",
        language=language,
    )


def _open(world, persona="parent", **extra):  # type: ignore[no-untyped-def]
    return actions.open_revision_request(
        actor=world.users[persona] if persona else None,
        student=world.maya,
        reason="Reading is not improving.",
        **extra,
    )


@pytest.mark.parametrize(
    ("persona", "source"),
    [
        ("parent", Source.PARENT),
        ("teacher", Source.TEACHER),
        ("contractor", Source.PROVIDER),
        ("psych", Source.PROVIDER),
        ("case_manager", Source.CASE_MANAGER),
        (None, Source.PROGRESS_ENGINE),
    ],
)
def test_any_stakeholder_may_ask(world, persona, source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rr = _open(world, persona)
    assert rr.source == source and rr.status == Status.OPEN
    assert rr.case_manager == world.users["case_manager"]
    assert rr.acknowledged_at is not None
    if persona and persona != "case_manager":
        # acknowledged to the requester, routed to the case manager, by email after commit
        assert Notification.objects.filter(
            recipient=world.users[persona], kind="revision.acknowledged"
        ).exists()
        assert Notification.objects.filter(
            recipient=world.users["case_manager"], kind="revision.routed"
        ).exists()
        assert {m.to[0] for m in mail.outbox} == {
            world.users[persona].email,
            world.users["case_manager"].email,
        }
    if persona is None:
        assert Notification.objects.filter(kind="revision.routed").count() == 1
    assert AuditEvent.objects.filter(action="revision.requested", student=world.maya).exists()


def test_a_deadline_row_is_written_and_met_when_resolved(world):
    rr = _open(world)
    deadline = Deadline.objects.get(
        source_type="revisions.revisionrequest", source_id=str(rr.public_id)
    )
    assert deadline.kind == "revision_request"
    assert deadline.due_on == timezone.localdate() + timedelta(days=14)
    assert deadline.met_on is None
    actions.decline_revision_request(
        actor=world.users["case_manager"], revision=rr, content=notice()
    )
    deadline.refresh_from_db()
    assert deadline.met_on == timezone.localdate()


def test_district_threshold_setting(world):
    world.riverside.settings = {"revision_request_days": 7}
    world.riverside.save()
    world.maya.refresh_from_db()
    rr = _open(world)
    deadline = Deadline.objects.get(source_id=str(rr.public_id))
    assert deadline.due_on == timezone.localdate() + timedelta(days=7)


def test_overdue_request_appears_in_the_compliance_view(world):
    rr = _open(world)
    Deadline.objects.filter(source_id=str(rr.public_id)).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    page = world.client_for("director").get("/deadlines/")
    assert page.status_code == 200
    assert "Answer to a revision request" in page.content.decode()


def test_outcome_meeting_scheduled(world, django_capture_on_commit_callbacks):
    rr = _open(world)
    now = timezone.now()
    meeting = Meeting.objects.create(
        student=world.maya,
        kind="amendment",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=1),
        place_details="Room 4",
        created_by=world.users["case_manager"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        rr = actions.link_meeting(rr, meeting, actor=world.users["case_manager"])
    assert rr.status == Status.MEETING_SCHEDULED and rr.meeting == meeting
    assert rr.resolved_at is not None
    assert Deadline.objects.get(source_id=str(rr.public_id)).met_on is not None
    assert Notification.objects.filter(
        recipient=world.users["parent"], kind="revision.updated"
    ).exists()
    other = Meeting.objects.create(
        student=world.leo,
        kind="amendment",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        place_details="x",
        created_by=world.users["case_manager"],
    )
    with pytest.raises(ValidationError) as error:
        actions.link_meeting(rr, other)
    assert "meeting" in error.value.message_dict


def test_an_amendment_answers_the_request_only_once_the_plan_is_amended(world):
    plan = active_plan(world)
    rr = _open(world)
    speech = plan.services.get()
    manager = world.users["case_manager"]
    agreed = timezone.localdate()
    # The plan's own checks refuse: no parent agreement date, nothing saved, the request open.
    with pytest.raises(ValidationError) as error:
        actions.amend_for_request(
            actor=manager,
            revision=rr,
            changes=Changes(update_services={speech.public_id: {"times": 3}}),
            parent_agreement_date=None,
            reason="Three sessions a week.",
            today=agreed,
        )
    assert "parent_agreement_date" in error.value.message_dict
    # A plan the amendment would leave incomplete is refused the same way.
    with pytest.raises(PlanNotReady):
        actions.amend_for_request(
            actor=manager,
            revision=rr,
            changes=Changes(
                remove_services=[speech.public_id], remove_goals=[plan.goals.get().public_id]
            ),
            parent_agreement_date=agreed,
            reason="x",
            today=agreed,
        )
    rr.refresh_from_db()
    assert rr.status == Status.OPEN and rr.amendment is None
    assert not PlanVersion.objects.filter(plan=plan, kind=VersionKind.AMENDMENT).exists()
    assert Deadline.objects.get(source_id=str(rr.public_id)).met_on is None

    version = actions.amend_for_request(
        actor=manager,
        revision=rr,
        changes=Changes(update_services={speech.public_id: {"times": 3}}),
        parent_agreement_date=agreed,
        reason="Three sessions a week, as the parent asked.",
        today=agreed,
    )
    rr.refresh_from_db()
    assert version.kind == VersionKind.AMENDMENT and version.amended_without_meeting
    assert rr.status == Status.AMENDED and rr.amendment == version
    assert rr.resolved_by == manager and rr.outcome_note.startswith("Three sessions")
    assert plan.services.get().times == 3
    assert Deadline.objects.get(source_id=str(rr.public_id)).met_on == agreed
    assert AuditEvent.objects.filter(action="revision.amended", student=world.maya).exists()
    with pytest.raises(ValidationError) as error:  # answered: no second outcome
        actions.amend_for_request(
            actor=manager,
            revision=rr,
            changes=Changes(update_services={speech.public_id: {"times": 4}}),
            parent_agreement_date=agreed,
            reason="again",
            today=agreed,
        )
    assert "status" in error.value.message_dict


def test_an_amendment_needs_a_plan_in_effect(world):
    rr = _open(world)
    with pytest.raises(ValidationError) as error:
        actions.amend_for_request(
            actor=world.users["case_manager"],
            revision=rr,
            changes=Changes(),
            parent_agreement_date=timezone.localdate(),
            reason="x",
            today=timezone.localdate(),
        )
    assert "plan" in error.value.message_dict


def test_outcome_declined_requires_every_element_of_the_notice(world):
    rr = _open(world)
    with pytest.raises(ValidationError) as error:
        actions.decline_revision_request(
            actor=world.users["case_manager"],
            revision=rr,
            content=notice(action_described="   "),
        )
    assert "action_described" in error.value.message_dict
    assert RevisionRequest.objects.get().status == Status.OPEN
    assert Deadline.objects.get().met_on is None
    assert not PriorWrittenNotice.objects.exists() and not Delivery.objects.exists()


def test_a_decline_is_prior_written_notice_delivered_to_the_family(
    world, django_capture_on_commit_callbacks
):
    rr = _open(world)
    with django_capture_on_commit_callbacks(execute=True):
        rr = actions.decline_revision_request(
            actor=world.users["case_manager"], revision=rr, content=notice("es"), note="Gracias."
        )
    pwn = rr.notice
    assert rr.status == Status.DECLINED and pwn is not None
    assert pwn.action == NoticeAction.REFUSES and pwn.language == "es"
    assert pwn.student == world.maya and pwn.issued_by == world.users["case_manager"]
    assert pwn.reasons.startswith("The data shows")
    # On the portal of each parent holding rights, linked to the notice.
    delivery = Delivery.objects.get(student=world.maya)
    assert delivery.kind == "notice" and str(pwn.public_id) in delivery.url
    assert delivery.guardian.user == world.users["parent"]
    assert AuditEvent.objects.filter(action="notice.issued", student=world.maya).exists()
    assert AuditEvent.objects.filter(action="revision.declined", student=world.maya).exists()
    # The requester (the parent) is told with the outcome, once.
    told = Notification.objects.filter(recipient=world.users["parent"], kind="revision.updated")
    assert told.count() == 1
    assert not Notification.objects.filter(kind="revision.notice").exists()


def test_only_writers_record_outcomes(world):
    rr = _open(world)
    day = timezone.localdate()
    amend = {"changes": Changes(), "parent_agreement_date": day, "reason": "x", "today": day}
    with pytest.raises(PermissionDenied):
        actions.amend_for_request(actor=world.users["teacher"], revision=rr, **amend)
    with pytest.raises(Http404):
        actions.amend_for_request(actor=world.users["stranger"], revision=rr, **amend)
    with pytest.raises(PermissionDenied):  # the family asks; the district answers
        actions.decline_revision_request(actor=world.users["parent"], revision=rr, content=notice())
    assert RevisionRequest.objects.get().status == Status.OPEN


def test_outsiders_cannot_ask_and_bad_input_changes_nothing(world, maya_goal):
    with pytest.raises(Http404):
        actions.open_revision_request(actor=world.users["stranger"], student=world.maya, reason="x")
    with pytest.raises(Http404):
        actions.open_revision_request(actor=world.users["uncle"], student=world.maya, reason="x")
    with pytest.raises(ValidationError) as error:
        actions.open_revision_request(actor=world.users["parent"], student=world.maya, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.open_revision_request(
            actor=world.users["director"], student=world.leo, reason="x", goal=maya_goal
        )
    assert "goal" in error.value.message_dict
    assert not RevisionRequest.objects.exists() and not Deadline.objects.exists()


def test_a_guardian_cannot_claim_to_be_staff(world):
    rr = _open(world, "parent", source="case_manager")
    assert rr.source == Source.PARENT


def test_plan_defaults_to_the_active_plan(world, maya_goal):
    rr = _open(world, "teacher")
    assert rr.plan == maya_goal.plan


def test_a_revision_request_gets_its_meeting(world):
    from tests.meetings.conftest import option, required_keys

    rr = _open(world, "case_manager", source="case_manager")
    meeting = actions.schedule_revision_meeting(
        actor=world.users["case_manager"],
        revision=rr,
        student=world.maya,
        kind="amendment",
        times=[option(20)],
        place_kind="in_person",
        place_details="Room 4",
        invitee_keys=required_keys(world.maya, kind="amendment"),
    )
    rr.refresh_from_db()
    assert rr.meeting_id == meeting.pk and rr.status == Status.MEETING_SCHEDULED
    assert AuditEvent.objects.filter(action="revision.meeting_scheduled").exists()


@pytest.mark.parametrize("persona", ["slp", "coordinator"])
def test_only_the_person_routed_to_or_a_leader_answers(answerers, persona):
    world = answerers
    rr = _open(world)
    with pytest.raises(PermissionDenied):
        actions.decline_revision_request(actor=world.users[persona], revision=rr, content=notice())
    with pytest.raises(PermissionDenied):
        actions.link_meeting(rr, None, actor=world.users[persona])
    assert RevisionRequest.objects.get().status == Status.OPEN
    rr = actions.decline_revision_request(
        actor=world.users["case_manager"], revision=rr, content=notice()
    )
    assert rr.status == Status.DECLINED


def test_a_parent_asks_as_the_family(world):
    rr = _open(world, "parent")
    assert rr.requested_by == world.users["parent"] and rr.source == Source.PARENT
