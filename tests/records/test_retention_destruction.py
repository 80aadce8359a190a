"""Destroying records no longer needed (IDEA 34 CFR 300.624, 300.611(a); REC-11).

The district administrator proposes; every parent who holds educational rights is told, in
their language, on their family page; they may ask for a copy first or for destruction now.
Nothing is destroyed before the waiting period ends or the parent asks, nor while a hold or a
request to see or amend the records is open. The destruction removes exactly the chosen types
(their rows, files and history), keeps the permanent record and every other type, and is
audited with counts only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tandem.accounts.models import AuditEvent
from tandem.communication.models import ContactEntry, Delivery, Notification
from tandem.core import clock
from tandem.meetings.models import Meeting, MeetingKind, MeetingStatus
from tandem.people.models import Guardian, Student, StudentGuardian
from tandem.records import actions_retention
from tandem.records.models import (
    DestructionProposal,
    Disclosure,
    HoldKind,
    ProposalStatus,
    RecordsHold,
    RecordsRequest,
    RequestStatus,
)
from tandem.referrals.models import Evidence, Referral
from tests.records.test_retention import LONG_AGO, TODAY, leave

pytestmark = pytest.mark.django_db
AFTER = TODAY + timedelta(days=46)  # the default waiting period is 45 days


@pytest.fixture
def gone(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Maya left in 2020, with a referral (an uploaded file, its history), a logged call, a
    meeting and a disclosure; her mother reads Spanish."""
    settings.MEDIA_ROOT = tmp_path
    leave(world.maya, LONG_AGO)
    author = world.users["case_manager"]
    referral = Referral.objects.create(
        student=world.maya,
        source="parent",
        received_on=date(2018, 1, 5),
        areas_of_concern=["reading"],
        description="Reads two grades below.",
        created_by=author,
    )
    referral.description = "Reads two grades below; letter reversals."
    referral.save()  # a second history row
    evidence = Evidence(
        referral=referral,
        kind="teacher_input",
        original_name="note.pdf",
        content_type="application/pdf",
        size=4,
        uploaded_by=author,
    )
    evidence.file.save("note.pdf", ContentFile(b"%PDF"), save=False)
    evidence.save()
    ContactEntry.objects.create(
        student=world.maya,
        contacted_on=date(2019, 3, 1),
        staff=author,
        method="phone",
        summary="Called about reading.",
        created_by=author,
    )
    starts = timezone.make_aware(datetime(2019, 3, 5, 15))
    Meeting.objects.create(
        student=world.maya,
        kind=MeetingKind.choices[0][0],
        status=MeetingStatus.HELD,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place_details="Room 4",
        organizer=author.staff,
        created_by=author,
    )
    Disclosure.objects.create(
        student=world.maya,
        kind="transfer",
        party="J. Ortiz, Lakeside Unified",
        basis="99.31(a)(2)",
        interest="Enrolling there.",
        records="The IEP.",
        disclosed_on=date(2020, 6, 20),
        released_by=world.users["director"],
    )
    mother = Guardian.objects.get(user=world.users["parent"])
    mother.preferred_language = "es"
    mother.save()
    world.users["parent"].preferred_language = "es"
    world.users["parent"].save()
    return {"referral": referral, "evidence": evidence, "mother": mother}


def propose(world: Any, *types: str, persona: str = "director") -> Any:
    url = reverse("retention_student", args=[world.maya.public_id])
    with clock.fixed(TODAY):
        return world.client_for(persona).post(url, {"record_types": list(types)})


def confirm(world: Any, proposal: DestructionProposal, on: date = AFTER) -> Any:
    url = reverse("destruction_confirm", args=[proposal.public_id])
    with clock.fixed(on):
        return world.client_for("director").post(url, follow=True)


def answer(world: Any, proposal: DestructionProposal, value: str) -> Any:
    url = reverse("destruction_notice", args=[proposal.public_id])
    with clock.fixed(TODAY + timedelta(days=3)):
        return world.client_for("parent").post(url, {"answer": value})


# --- the notice --------------------------------------------------------------------------------


def test_the_notice_goes_to_the_rights_holding_parent_in_her_language(world, gone) -> None:  # type: ignore[no-untyped-def]
    assert propose(world, "referrals", "communication").status_code == 302
    proposal = DestructionProposal.objects.get()
    assert proposal.record_types == ["referrals", "communication"]
    assert proposal.copy_by == TODAY + timedelta(days=45)
    mother = gone["mother"]
    assert proposal.sent_to == [{"guardian": str(mother.public_id), "language": "es"}]
    delivery = Delivery.objects.get(student=world.maya)
    assert delivery.guardian == mother  # the uncle, who holds no rights, gets nothing
    assert delivery.url == reverse("destruction_notice", args=[proposal.public_id])
    # And told by notification (by email too, as she chose), to her account alone.
    told = Notification.objects.filter(kind="records.destruction_notice")
    assert list(told.values_list("recipient", flat=True)) == [world.users["parent"].pk]
    event = AuditEvent.objects.get(action="destruction.proposed")
    assert event.detail["types"] == ["referrals", "communication"]
    # On her family page, and the notice itself says what the law asks it to.
    family = world.client_for("parent")
    portal = family.get(reverse("portal_child", args=[world.maya.public_id]))
    assert escape(delivery.title) in portal.content.decode()
    notice = family.get(delivery.url)
    assert notice.status_code == 200
    text = notice.content.decode()
    assert "ya no se necesitan" in text  # in Spanish, her language
    assert "permanent record" in text or "300.624" in text
    assert 'name="answer"' in text


def test_the_uncle_and_outsiders_cannot_open_the_notice(world, gone) -> None:  # type: ignore[no-untyped-def]
    propose(world, "communication")
    url = reverse("destruction_notice", args=[DestructionProposal.objects.get().public_id])
    for persona in ("stranger", "oak_director", "uncle"):
        assert world.client_for(persona).get(url).status_code == 404, persona
    # A case manager reads the student but neither answers nor destroys.
    assert world.client_for("case_manager").get(url).status_code == 403
    assert world.client_for("case_manager").post(url, {"answer": "destroy"}).status_code == 403


def test_records_inside_their_period_cannot_be_proposed(world, gone) -> None:  # type: ignore[no-untyped-def]
    response = propose(world, "service_logs")  # six years: not until 2026-06-12
    assert response.status_code == 400
    assert "keeps them until" in " ".join(response.context["form"].errors["record_types"])
    assert not DestructionProposal.objects.exists() and not Delivery.objects.exists()


def test_the_record_of_disclosures_waits_for_the_records_it_covers(world, gone) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(date(2027, 1, 4)):
        url = reverse("retention_student", args=[world.maya.public_id])
        response = world.client_for("director").post(url, {"record_types": ["records_log"]})
    assert "99.32(a)(2)" in " ".join(response.context["form"].errors["record_types"])
    assert not DestructionProposal.objects.exists()


def test_a_student_still_served_cannot_be_proposed(world, gone) -> None:  # type: ignore[no-untyped-def]
    url = reverse("retention_student", args=[world.leo.public_id])
    with clock.fixed(TODAY):
        response = world.client_for("director").post(url, {"record_types": ["communication"]})
    assert response.status_code == 400 and not DestructionProposal.objects.exists()


@pytest.mark.parametrize("persona", ["principal", "case_manager", "teacher", "parent"])
def test_readers_cannot_propose_or_confirm(world, gone, persona) -> None:  # type: ignore[no-untyped-def]
    assert propose(world, "communication", persona=persona).status_code == 403
    assert not DestructionProposal.objects.exists()


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404_on_the_students_retention(world, gone, persona) -> None:  # type: ignore[no-untyped-def]
    url = reverse("retention_student", args=[world.maya.public_id])
    assert world.client_for(persona).get(url).status_code == 404
    assert propose(world, "communication", persona=persona).status_code == 404
    hold = reverse("records_hold_new", args=[world.maya.public_id])
    assert world.client_for(persona).post(hold, {"kind": "audit", "reason": "x"}).status_code == 404
    assert not RecordsHold.objects.exists()


# --- the parent's answer -----------------------------------------------------------------------


def test_a_copy_first_opens_a_request_that_holds_the_destruction(world, gone) -> None:  # type: ignore[no-untyped-def]
    propose(world, "communication")
    proposal = DestructionProposal.objects.get()
    assert answer(world, proposal, "copy").status_code == 302
    proposal.refresh_from_db()
    assert proposal.parent_answer == "copy"
    request = RecordsRequest.objects.get(student=world.maya)
    assert request.status == RequestStatus.OPEN and request.from_portal
    page = confirm(world, proposal)
    assert "request to see or amend the records is open" in page.content.decode()
    assert ContactEntry.objects.filter(student=world.maya).exists()
    # A second answer is refused, naming the field.
    again = answer(world, proposal, "destroy")
    assert again.status_code in (200, 400)
    assert "ya se respondió" in str(again.context["form"].errors)  # in her language


def test_destroy_now_lets_the_administrator_confirm_before_the_date(world, gone) -> None:  # type: ignore[no-untyped-def]
    propose(world, "communication")
    proposal = DestructionProposal.objects.get()
    answer(world, proposal, "destroy")
    confirm(world, proposal, on=TODAY + timedelta(days=4))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DESTROYED
    assert not ContactEntry.objects.filter(student=world.maya).exists()


# --- the confirmation --------------------------------------------------------------------------


def test_confirmation_is_refused_before_the_date(world, gone) -> None:  # type: ignore[no-untyped-def]
    propose(world, "communication")
    proposal = DestructionProposal.objects.get()
    page = confirm(world, proposal, on=TODAY + timedelta(days=10))
    assert "may ask for a copy until" in page.content.decode()
    assert ContactEntry.objects.filter(student=world.maya).exists()
    assert DestructionProposal.objects.get().status == ProposalStatus.NOTICE_SENT
    assert not AuditEvent.objects.filter(action="records.destroyed").exists()


def test_a_hold_blocks_the_confirmation_until_released(world, gone) -> None:  # type: ignore[no-untyped-def]
    propose(world, "communication")
    proposal = DestructionProposal.objects.get()
    client = world.client_for("director")
    url = reverse("records_hold_new", args=[world.maya.public_id])
    with clock.fixed(TODAY):
        client.post(url, {"kind": HoldKind.LITIGATION, "reason": "Case 24-0193"})
    hold = RecordsHold.objects.get()
    page = confirm(world, proposal)
    assert "Case 24-0193" in page.content.decode()
    assert ContactEntry.objects.filter(student=world.maya).exists()
    client.post(reverse("records_hold_release", args=[hold.public_id]))
    assert not RecordsHold.objects.get().is_active
    confirm(world, proposal)
    assert not ContactEntry.objects.filter(student=world.maya).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"records_hold.placed", "records_hold.released", "records.destroyed"} <= actions


def test_an_open_inspection_request_blocks_the_confirmation(world, gone) -> None:  # type: ignore[no-untyped-def]
    propose(world, "communication")
    proposal = DestructionProposal.objects.get()
    RecordsRequest.objects.create(
        student=world.maya,
        kind="inspect",
        details="All of it.",
        requested_by="Grace Lopez",
        requested_on=TODAY,
        recorded_by=world.users["director"],
        due_on=TODAY,
    )
    page = confirm(world, proposal)
    assert "300.613" in page.content.decode()
    assert ContactEntry.objects.filter(student=world.maya).exists()


def test_after_the_date_exactly_the_chosen_types_are_destroyed(
    world, gone, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    propose(world, "referrals", "communication")
    proposal = DestructionProposal.objects.get()
    stored = gone["evidence"].file.name
    storage = gone["evidence"].file.storage
    assert storage.exists(stored)
    referral_id = gone["referral"].pk
    with django_capture_on_commit_callbacks(execute=True):
        page = confirm(world, proposal)
    assert "were destroyed" in page.content.decode()
    # The chosen types: rows, history and files.
    assert not Referral.objects.filter(student=world.maya).exists()
    assert not Evidence.objects.exists()
    assert not Referral.history.filter(id=referral_id).exists()
    assert not Referral.history.filter(student_id=world.maya.pk).exists()
    assert not storage.exists(stored)
    assert not ContactEntry.objects.filter(student=world.maya).exists()
    # The other types, and the permanent record (300.624(b)).
    assert Meeting.objects.filter(student=world.maya).count() == 1
    assert Disclosure.objects.filter(student=world.maya).count() == 1
    maya = Student.objects.get(pk=world.maya.pk)
    assert (maya.legal_first_name, maya.legal_last_name, maya.grade) == ("Maya", "Lopez", "3")
    assert StudentGuardian.objects.filter(student=world.maya).count() == 2
    # The notice itself is kept: it proves the parents were told.
    assert Delivery.objects.filter(student=world.maya, url__contains=str(proposal.public_id))
    # One audit event with counts, no content.
    event = AuditEvent.objects.get(action="records.destroyed", student=world.maya)
    assert event.detail["types"] == {"referrals": 2, "communication": 1}  # referral, its file
    assert event.detail["rows"]["referrals.Evidence"] == 1
    assert event.detail["history_rows"] >= 2 and event.detail["files"] == 1
    assert "Reads two grades" not in str(event.detail)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DESTROYED and proposal.destroyed_on == AFTER
    # The schedule shows them destroyed; they are no longer due.
    with clock.fixed(AFTER):
        row = world.client_for("director").get(
            reverse("retention_student", args=[world.maya.public_id])
        )
    due = {t.kind for t in row.context["row"].due}
    assert "referrals" not in due and "communication" not in due and "meetings" in due


def test_a_second_confirmation_is_refused_cleanly(world, gone) -> None:  # type: ignore[no-untyped-def]
    propose(world, "communication")
    proposal = DestructionProposal.objects.get()
    confirm(world, proposal)
    page = confirm(world, proposal)
    assert page.status_code == 200
    assert "already destroyed" in page.content.decode()
    assert AuditEvent.objects.filter(action="records.destroyed").count() == 1
    with clock.fixed(AFTER), pytest.raises(ValidationError):
        actions_retention.confirm_destruction(actor=world.users["director"], proposal=proposal)


def test_a_kept_record_pointing_to_a_chosen_one_refuses_the_proposal(world, gone) -> None:  # type: ignore[no-untyped-def]
    """Plans cannot go while the progress reports or session logs that point to them stay."""
    from tandem.plans.models import Plan, PlanKind, PlanStatus
    from tandem.reports.models import ProgressReport

    plan = Plan.objects.create(
        student=world.maya,
        kind=PlanKind.IEP,
        status=PlanStatus.ENDED,
        created_by=world.users["case_manager"],
    )
    ProgressReport.objects.create(
        plan=plan,
        student=world.maya,
        district=world.riverside,
        school=world.north,
        created_by=world.users["case_manager"],
        period_label="Quarter 1",
        period_start=date(2019, 8, 1),
        period_end=date(2019, 10, 1),
        due_on=date(2019, 10, 15),
    )
    response = propose(world, "plans")
    errors = " ".join(response.context["form"].errors["record_types"])
    assert "Progress data and progress reports" in errors
    assert Plan.objects.filter(pk=plan.pk).exists() and not DestructionProposal.objects.exists()


# Models about a student that destruction keeps, each with why; every other model that reaches
# a student must be in `destruction.MODELS`, so a new kind of record cannot escape a destruction.
KEPT = {
    "people.Enrollment": "the permanent record: enrolments (300.624(b))",
    "people.ClassEnrollment": "the permanent record: classes attended (300.624(b))",
    "people.StudentGuardian": "the permanent record: the parents' addresses and phones",
    "people.CaseloadAssignment": "who served the student: staff assignments, not the record",
    "people.TeamMembership": "who served the student: staff assignments, not the record",
    "people.ProviderAssignment": "who served the student: staff assignments, not the record",
    "access.AuditEvent": "the record of access (300.614), append-only",
    "access.AuditListing": "the record of access (300.614), append-only",
    "compliance.Deadline": "removed with the rows that started them (destruction._deadlines)",
    "records.RecordsHold": "the destruction workflow's own record",
    "records.DestructionProposal": "the destruction workflow's own record",
}


def _reaches_student(model, depth: int = 0) -> bool:  # type: ignore[no-untyped-def]
    from tandem.people.models import Student

    for field in model._meta.concrete_fields:
        target = getattr(field, "related_model", None)
        if target is Student:
            return True
        if (
            target is not None
            and target is not model
            and target.__module__.startswith("tandem")
            and depth < 4
            and _reaches_student(target, depth + 1)
        ):
            return True
    return False


def test_every_model_about_a_student_is_destroyed_or_kept_for_a_reason() -> None:
    from django.apps import apps

    from tandem.records.destruction import MODELS

    listed = {name for entries in MODELS.values() for name, _finder in entries}
    unaccounted = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("tandem")
        and not model.__name__.startswith("Historical")
        and model._meta.label not in listed | set(KEPT)
        and _reaches_student(model)
    ]
    assert unaccounted == []
