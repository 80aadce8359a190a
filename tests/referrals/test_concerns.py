"""A teacher's concern: raised by a roster teacher, routed, accepted or declined with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.capabilities import Cap
from tandem.access.policy import can
from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Role, TeamMembership, TeamRole
from tandem.referrals import concerns
from tandem.referrals.concern_queries import concerns_to_review, reviewers_of
from tandem.referrals.models import ConcernDecision, Referral, ReferralSource, ReferralStatus
from tests.factories import make_staff

RAISED = date(2026, 3, 2)
CONCERN = {
    "areas_of_concern": ["reading", "attention"],
    "description": "Reads two grades below; small-group phonics for six weeks did not help.",
}


@pytest.fixture(autouse=True)
def _on_a_school_day():
    with clock.fixed(RAISED):
        yield


def _raise(world, student=None, persona="teacher"):
    return concerns.raise_concern(
        actor=world.users[persona], student=student or world.maya, **CONCERN
    )


def _events(action):
    return list(AuditEvent.objects.filter(action=action))


# --- raising ----------------------------------------------------------------------------------


def test_roster_teacher_raises_a_concern_for_a_student_in_class(world):
    client = world.client_for("teacher")
    url = reverse("concern_new", args=[world.maya.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Cara" in page.content.decode()  # it says who it goes to: the case manager
    response = client.post(url, {**CONCERN})
    referral = Referral.objects.get(student=world.maya)
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_detail", args=[referral.public_id])
    assert referral.status == ReferralStatus.AWAITING_ACCEPTANCE
    assert referral.received_on == RAISED  # the district has the referral from this day
    assert referral.source == ReferralSource.TEACHER
    assert referral.concern_raised_by == world.users["teacher"]
    assert referral.created_by == world.users["teacher"]
    assert referral.areas_of_concern == ["reading", "attention"]
    (event,) = _events(Action.CONCERN__RAISED)
    assert (event.actor, event.student) == (world.users["teacher"], world.maya)
    detail = client.get(response["Location"]).content.decode()
    assert "Awaiting acceptance" in detail


def test_the_student_page_offers_the_teacher_to_refer(world):
    page = world.client_for("teacher").get(reverse("student", args=[world.leo.public_id]))
    assert reverse("concern_new", args=[world.leo.public_id]) in page.content.decode()
    # Who may open a referral has "New referral", not a concern to themselves.
    page = world.client_for("case_manager").get(reverse("student", args=[world.maya.public_id]))
    assert reverse("concern_new", args=[world.maya.public_id]) not in page.content.decode()
    assert reverse("referral_new", args=[world.maya.public_id]) in page.content.decode()


def test_a_general_education_teacher_on_the_team_may_raise_one(world):
    gened = make_staff("gened@r.test", [(Role.TEACHER, world.riverside, world.south)])
    TeamMembership.objects.create(
        staff=gened,
        student=world.ana,
        role=TeamRole.GENERAL_EDUCATION_TEACHER,
        start_date=date(2025, 8, 1),
    )
    referral = concerns.raise_concern(actor=gened.user, student=world.ana, **CONCERN)
    assert referral.status == ReferralStatus.AWAITING_ACCEPTANCE
    # And takes no step of the referral once it is accepted.
    concerns.accept_concern(actor=world.users["director"], referral=referral)
    client = Client()
    client.force_login(gened.user)
    for name in ("case_review", "consent_request", "notice_new", "concern_review"):
        assert client.get(reverse(name, args=[referral.public_id])).status_code == 403, name
    page = client.get(reverse("referral_detail", args=[referral.public_id])).content.decode()
    assert reverse("notice_new", args=[referral.public_id]) not in page


def test_missing_areas_or_description_are_refused_naming_the_field(world):
    url = reverse("concern_new", args=[world.maya.public_id])
    response = world.client_for("teacher").post(url, {"description": "  "})
    assert response.status_code == 400
    assert "Choose at least one area of concern." in response.content.decode()
    assert not Referral.objects.exists()
    with pytest.raises(Exception) as excinfo:
        concerns.raise_concern(
            actor=world.users["teacher"],
            student=world.maya,
            areas_of_concern=["x"],
            description="y",
        )
    assert "areas_of_concern" in excinfo.value.message_dict  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("teacher", "ana", 404),  # not in the teacher's class
        ("teacher", "sam", 404),  # another district
        ("oak_director", "maya", 404),  # another district's staff
        ("stranger", "maya", 404),  # a case manager with no tie to Maya
        ("parent", "maya", 403),  # reads the record, does not raise concerns
        ("uncle", "maya", 404),
    ],
)
def test_who_may_not_raise_one(world, persona, name, status):
    url = reverse("concern_new", args=[getattr(world, name).public_id])
    client = world.client_for(persona)
    assert client.get(url).status_code == status
    assert client.post(url, CONCERN).status_code == status
    assert not Referral.objects.exists()


# --- routing ----------------------------------------------------------------------------------


def test_it_goes_to_the_case_manager_or_else_the_schools_lead(world):
    for_maya = _raise(world)  # Maya has a case manager
    for_leo = _raise(world, world.leo)  # Leo has none: North's principal leads
    today = clock.today()
    assert [s.user for s in reviewers_of(world.maya, today=today)] == [world.users["case_manager"]]
    assert [s.user for s in reviewers_of(world.leo, today=today)] == [world.users["principal"]]

    def waiting(persona):
        return set(concerns_to_review(world.users[persona], today=today))

    assert waiting("case_manager") == {for_maya}
    assert waiting("principal") == {for_leo}
    assert waiting("director") == {for_maya, for_leo}
    for persona in ("teacher", "psych", "stranger", "oak_director", "parent"):
        assert waiting(persona) == set(), persona


def test_the_case_manager_sees_it_on_home_and_on_the_list(world):
    referral = _raise(world)
    review = reverse("concern_review", args=[referral.public_id])
    for url in (reverse("home"), reverse("concerns_waiting")):
        page = world.client_for("case_manager").get(url)
        assert page.status_code == 200
        assert review in page.content.decode()
    home = world.client_for("teacher").get(reverse("home")).content.decode()
    assert review not in home
    assert world.client_for("parent").get(reverse("concerns_waiting")).status_code == 404


# --- answering --------------------------------------------------------------------------------


def test_the_case_manager_accepts_it_and_the_referral_goes_on(world):
    referral = _raise(world)
    client = world.client_for("case_manager")
    assert client.get(reverse("concern_review", args=[referral.public_id])).status_code == 200
    response = client.post(reverse("concern_accept", args=[referral.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_detail", args=[referral.public_id])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN
    assert referral.received_on == RAISED
    assert referral.concern_decision == ConcernDecision.ACCEPTED
    assert referral.concern_decided_by == world.users["case_manager"]
    (event,) = _events(Action.CONCERN__ACCEPTED)
    assert event.actor == world.users["case_manager"]
    page = client.get(response["Location"]).content.decode()
    assert "Review the referral and decide what to do" in page  # the usual next step
    # Answered once: a second answer is refused, nothing changes.
    again = client.post(reverse("concern_decline", args=[referral.public_id]), {"reason": "No."})
    assert again.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_declined_with_a_reason_the_teacher_reads(world):
    referral = _raise(world)
    client = world.client_for("case_manager")
    url = reverse("concern_decline", args=[referral.public_id])
    refused = client.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert "reason" in refused.content.decode().lower()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ACCEPTANCE
    reason = "Reading intervention tier 2 starts Monday; we look again in eight weeks."
    assert client.post(url, {"reason": reason}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert referral.concern_decision == ConcernDecision.DECLINED
    assert referral.closed_reason == reason
    (event,) = _events(Action.CONCERN__DECLINED)
    assert (event.actor, event.detail["reason"]) == (world.users["case_manager"], reason)
    page = world.client_for("teacher").get(reverse("referral_detail", args=[referral.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Declined by" in text and reason in text


def test_the_teacher_cannot_answer_or_run_the_referral(world):
    referral = _raise(world)
    client = world.client_for("teacher")
    assert client.get(reverse("concern_review", args=[referral.public_id])).status_code == 403
    assert client.post(reverse("concern_accept", args=[referral.public_id])).status_code == 403
    decline = reverse("concern_decline", args=[referral.public_id])
    assert client.post(decline, {"reason": "Mine."}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ACCEPTANCE
    # Nor any other referral power: opening one directly, the case review, consent.
    teacher = world.users["teacher"]
    for cap in (Cap.START_REFERRAL, Cap.RUN_EVALUATION):
        assert not can(teacher, cap, world.maya)
    assert client.get(reverse("referral_new", args=[world.maya.public_id])).status_code == 403
    concerns.accept_concern(actor=world.users["case_manager"], referral=referral)
    for name in ("case_review", "consent_request", "notice_new"):
        assert client.get(reverse(name, args=[referral.public_id])).status_code == 403, name


@pytest.mark.parametrize(("persona", "status"), [("oak_director", 404), ("stranger", 404)])
def test_outsiders_get_404_on_the_answer_pages(world, persona, status):
    referral = _raise(world)
    client = world.client_for(persona)
    assert client.get(reverse("concern_review", args=[referral.public_id])).status_code == status
    assert client.post(reverse("concern_accept", args=[referral.public_id])).status_code == status
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_ACCEPTANCE


def test_the_schools_lead_answers_when_there_is_no_case_manager(world):
    referral = _raise(world, world.leo)
    response = world.client_for("principal").post(
        reverse("concern_accept", args=[referral.public_id])
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_a_concern_waiting_is_not_a_referral_in_progress(world):
    """No step of the usual path runs on a concern until it is accepted."""
    referral = _raise(world)
    response = world.client_for("case_manager").get(
        reverse("referral_detail", args=[referral.public_id])
    )
    assert reverse("concern_review", args=[referral.public_id]) in response.content.decode()
