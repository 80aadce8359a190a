"""Revision pages with the personas."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.communication.models import Delivery
from tandem.meetings.models import Meeting
from tandem.referrals.models import PriorWrittenNotice
from tandem.revisions import actions
from tandem.revisions.models import RevisionRequest, Status


def _open(world, persona="parent"):  # type: ignore[no-untyped-def]
    return actions.open_revision_request(
        actor=world.users[persona], student=world.maya, reason="Reading is not improving."
    )


@pytest.mark.parametrize("persona", ["parent", "teacher", "contractor", "case_manager"])
def test_stakeholders_file_a_request_from_the_page(world, persona):
    client = world.client_for(persona)
    url = reverse("revision_new", args=[world.maya.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reason": "Needs more reading time", "proposed_change": "Add 30 min"}
    )
    assert response.status_code == 302
    rr = RevisionRequest.objects.get()
    assert response["Location"] == reverse("revision_detail", args=[rr.public_id])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Open: waiting for the case manager" in page.content.decode()


def test_goal_attaches_progress_evidence(world, maya_goal):
    client = world.client_for("case_manager")
    url = reverse("revision_new", args=[world.maya.public_id]) + f"?goal={maya_goal.public_id}"
    page = client.get(url)
    assert "Progress data attached" in page.content.decode()
    client.post(url, {"reason": "Flat trend", "goal": str(maya_goal.public_id)})
    rr = RevisionRequest.objects.get()
    assert rr.goal == maya_goal
    assert rr.evidence["goal"] == str(maya_goal.public_id)


def test_bad_input_names_the_field(world):
    client = world.client_for("parent")
    response = client.post(reverse("revision_new", args=[world.maya.public_id]), {"reason": ""})
    assert response.status_code == 200
    assert "Why should the plan change?" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not RevisionRequest.objects.exists()


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404(world, persona):
    rr = _open(world)
    client = world.client_for(persona)
    assert client.get(reverse("revision_new", args=[world.maya.public_id])).status_code == 404
    assert (
        client.post(
            reverse("revision_new", args=[world.maya.public_id]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert client.get(reverse("revision_detail", args=[rr.public_id])).status_code == 404
    assert RevisionRequest.objects.count() == 1
    assert (
        str(rr.public_id)
        not in client.get(reverse("revision_list"), {"status": "all"}).content.decode()
    )


def test_case_manager_queue_and_leaders_view(world):
    rr = _open(world)
    for persona in ("case_manager", "principal", "director"):
        page = world.client_for(persona).get(reverse("revision_list"))
        assert page.status_code == 200
        assert str(rr.public_id) in page.content.decode()
    mine = world.client_for("case_manager").get(reverse("revision_list"), {"mine": "1"})
    assert str(rr.public_id) in mine.content.decode()
    assert AuditEvent.objects.filter(action="revision.queue_viewed").exists()


def decline_data(**changes: str) -> dict[str, str]:
    """The decline form as a browser posts it: the seven elements, the language, a note."""
    data = {
        "outcome": "decline",
        "decline-action_described": "The district refuses to add 30 minutes of reading.",
        "decline-reasons": "We refuse the change: the data shows steady growth.",
        "decline-evaluation_basis": "Weekly probes since September.",
        "decline-procedural_safeguards_statement": "You are protected by the safeguards.",
        "decline-sources_of_help": "Call the case manager.",
        "decline-options_considered": "Adding time; rejected while the data shows growth.",
        "decline-other_factors": "None.",
        "decline-language": "en",
        "decline-note": "",
    }
    data.update({f"decline-{k}": v for k, v in changes.items()})
    return data


def test_case_manager_declines_with_notice_and_parent_sees_it(world):
    rr = _open(world)
    client = world.client_for("case_manager")
    url = reverse("revision_detail", args=[rr.public_id])
    page = client.get(url).content.decode()
    assert "Decline, with prior written notice" in page
    # The notice is started: what is refused (the request's words), safeguards, help.
    assert "Reading is not improving." in page and "procedural safeguards" in page
    bad = client.post(url, decline_data(reasons="", options_considered="  "))
    assert bad.status_code == 200
    text = bad.content.decode()
    assert text.count("Prior written notice needs this part (34 CFR 300.503(b)).") >= 2
    assert RevisionRequest.objects.get().status == Status.OPEN
    assert not PriorWrittenNotice.objects.exists() and not Delivery.objects.exists()
    ok = client.post(url, decline_data())
    assert ok.status_code == 302
    pwn = PriorWrittenNotice.objects.get()
    parent = world.client_for("parent")
    parent_page = parent.get(url).content.decode()
    assert "Declined, with prior written notice" in parent_page
    assert reverse("notice_detail", args=[pwn.public_id]) in parent_page
    assert "Answer the request" not in parent_page
    # The family's portal lists it, and the parent reads the whole notice and its PDF.
    child = parent.get(reverse("portal_child", args=[world.maya.public_id])).content.decode()
    assert reverse("notice_detail", args=[pwn.public_id]) in child
    notice_page = parent.get(reverse("notice_detail", args=[pwn.public_id])).content.decode()
    assert "steady growth" in notice_page and "Weekly probes since September." in notice_page
    pdf = parent.get(reverse("notice_pdf", args=[pwn.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert Delivery.objects.get().opened_at is not None


def test_a_spanish_family_gets_the_notice_started_in_spanish(world):
    guardian = world.users["parent"].guardian
    guardian.preferred_language = "es"
    guardian.save()
    rr = _open(world)
    page = world.client_for("case_manager").get(reverse("revision_detail", args=[rr.public_id]))
    form = page.context["decline"]
    assert form.initial["language"] == "es"
    assert "garantías procesales" in form.initial["procedural_safeguards_statement"]
    assert "rechaza" in form.initial["action_described"]
    # The staff page itself stays in the staff member's language.
    assert "Decline, with prior written notice" in page.content.decode()


def _amend_page_data(client, url):  # type: ignore[no-untyped-def]
    from tests.plans.test_lifecycle import page_data

    return page_data(client.get(url))


def test_amend_from_the_request_resolves_it_with_the_version(world):
    from tests.plans.test_lifecycle import active_plan

    plan = active_plan(world)
    rr = _open(world)
    client = world.client_for("case_manager")
    detail = reverse("revision_detail", args=[rr.public_id])
    url = reverse("revision_amend", args=[rr.public_id])
    assert url in client.get(detail).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This amendment answers the request" in text and "Reading is not improving." in text
    assert 'name="with_meeting"' not in text  # the request is answered without a meeting
    data = _amend_page_data(client, url)
    assert data["reason"].strip().startswith("Answering the request of")
    # Without the parent's agreement date: refused, named, nothing saved.
    data.update({"services-0-times": "3", "parent_agreement_date": ""})
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "parent" in refused.content.decode() and "agreement" in refused.content.decode()
    rr.refresh_from_db()
    assert rr.status == Status.OPEN and plan.services.get().times == 2
    data["parent_agreement_date"] = timezone.localdate().isoformat()
    done = client.post(url, data)
    assert done.status_code == 302 and done["Location"] == detail
    rr.refresh_from_db()
    assert rr.status == Status.AMENDED and rr.amendment is not None
    assert plan.services.get().times == 3
    after = client.get(detail).content.decode()
    assert reverse("plan_version", args=[plan.public_id, rr.amendment.number]) in after
    # Answered: the amend page sends the user back to the request.
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == detail


def test_amend_without_a_plan_in_effect_says_so(world):
    rr = _open(world)
    response = world.client_for("case_manager").get(
        reverse("revision_amend", args=[rr.public_id]), follow=True
    )
    assert "no plan in effect" in response.content.decode()


def test_read_only_cannot_record_an_outcome(world):
    rr = _open(world)
    url = reverse("revision_detail", args=[rr.public_id])
    amend = reverse("revision_amend", args=[rr.public_id])
    for persona in ("teacher", "parent"):
        client = world.client_for(persona)
        assert client.get(url).status_code == 200
        assert client.post(url, decline_data()).status_code == 403
        assert client.get(amend).status_code == 403
        assert client.post(amend, {"reason": "x"}).status_code == 403
    assert world.client_for("stranger").get(amend).status_code == 404
    assert RevisionRequest.objects.get().status == Status.OPEN


def test_student_page_shows_the_sections(world):
    from tandem.communication import actions as comm

    _open(world)
    comm.send_message(actor=world.users["parent"], student=world.maya, body="Hi")
    comm.add_contact(
        actor=world.users["case_manager"],
        student=world.maya,
        contacted_on=timezone.localdate(),
        method="phone",
        summary="Called",
    )
    page = world.client_for("case_manager").get(reverse("student", args=[world.maya.public_id]))
    text = page.content.decode()
    assert "Requests to revise the plan" in text
    assert "Communication with the family" in text
    assert "1 unread" in text and "(Phone)" in text
    assert (
        "1 document sent to the family, 0 not opened yet" not in text
    )  # parent wrote, no delivery


def test_queue_queries_do_not_grow(world, django_assert_max_num_queries):
    for _ in range(15):
        _open(world)
    client = world.client_for("case_manager")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("revision_list"), {"status": "all"}).status_code == 200


# --- who answers: ANSWER_REVISIONS, and the person the request is routed to (or a leader) ------

DECLINE = decline_data()


def test_only_the_person_routed_to_answers(answerers):
    world = answerers
    rr = _open(world)
    assert rr.case_manager == world.users["case_manager"]
    url = reverse("revision_detail", args=[rr.public_id])
    # The speech-language pathologist on the team does not answer requests (the matrix).
    slp = world.client_for("slp")
    assert "Answer the request" not in slp.get(url).content.decode()
    assert slp.post(url, DECLINE).status_code == 403
    # The 504 coordinator answers requests, but this one is routed to the case manager.
    coordinator = world.client_for("coordinator")
    assert "Answer the request" not in coordinator.get(url).content.decode()
    assert coordinator.post(url, DECLINE).status_code == 403
    assert RevisionRequest.objects.get().status == Status.OPEN
    response = world.client_for("case_manager").post(url, DECLINE)
    assert response.status_code == 302
    assert RevisionRequest.objects.get().status == Status.DECLINED


def test_a_leader_answers_a_request_routed_to_someone_else(world):
    rr = _open(world)
    client = world.client_for("principal")
    url = reverse("revision_detail", args=[rr.public_id])
    assert "Answer the request" in client.get(url).content.decode()
    response = client.post(url, DECLINE)
    assert response.status_code == 302
    assert RevisionRequest.objects.get().status == Status.DECLINED


def test_an_unknown_outcome_is_404(world):
    rr = _open(world)
    url = reverse("revision_detail", args=[rr.public_id])
    assert world.client_for("case_manager").post(url, {"outcome": "x"}).status_code == 404


# --- answering with a meeting -------------------------------------------------------------------


def _meeting_post(world):  # type: ignore[no-untyped-def]
    from tests.meetings.conftest import open_day, required_keys

    return {
        "kind": "amendment",
        "purpose": "Talk about reading.",
        "day_1": open_day(20).date().isoformat(),
        "start_1": "15:00",
        "minutes_1": "60",
        "place_kind": "in_person",
        "place_details": "Room 12",
        "invitees": required_keys(world.maya, kind="amendment"),
    }


def test_case_manager_answers_with_a_meeting(world):
    rr = _open(world)
    client = world.client_for("case_manager")
    detail = client.get(reverse("revision_detail", args=[rr.public_id])).content.decode()
    url = reverse("revision_meeting", args=[rr.public_id])
    assert url in detail
    page = client.get(url + "?kind=amendment")
    assert page.status_code == 200
    text = page.content.decode()
    assert "This meeting answers a request to revise the plan." in text
    assert "Reading is not improving." in text  # the purpose starts from the request
    response = client.post(url, _meeting_post(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meeting_detail", args=[meeting.public_id])
    rr.refresh_from_db()
    assert rr.meeting == meeting and rr.status == Status.MEETING_SCHEDULED


@pytest.mark.parametrize("persona", ["teacher", "parent", "psych", "contractor"])
def test_others_in_reach_cannot_answer_with_a_meeting(world, persona):
    rr = _open(world)
    client = world.client_for(persona)
    url = reverse("revision_meeting", args=[rr.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, _meeting_post(world)).status_code == 403
    assert not Meeting.objects.exists()
    assert RevisionRequest.objects.get().status == Status.OPEN


def test_the_routed_to_rule_holds_for_meetings_too(answerers):
    rr = _open(answerers)
    url = reverse("revision_meeting", args=[rr.public_id])
    for persona in ("slp", "coordinator"):
        assert answerers.client_for(persona).post(url, _meeting_post(answerers)).status_code == 403
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404_on_the_meeting_page(world, persona):
    rr = _open(world)
    client = world.client_for(persona)
    url = reverse("revision_meeting", args=[rr.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, _meeting_post(world)).status_code == 404
    assert not Meeting.objects.exists()


def test_the_request_queue_is_in_the_menu_of_those_who_answer(world):
    queue = f'href="{reverse("revision_list")}"'
    for persona, shown in (("case_manager", True), ("principal", True), ("teacher", False)):
        home = world.client_for(persona).get(reverse("home")).content.decode()
        assert (queue in home.split("</header>")[0]) is shown, persona


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_queue_downloads_naming_each_student(world, fmt):
    from tandem.web.pages import record_of_access
    from tests.downloads import read_download

    _open(world)
    response = world.client_for("director").get(
        reverse("revision_list"), {"status": "all", "download": fmt}
    )
    rows = read_download(response, fmt)
    assert rows[0][:2] == ["Student", "Student id"] and rows[1][0] == "Maya Lopez"
    event = AuditEvent.objects.get(action="revision.exported")
    assert event in record_of_access(world.maya, with_refusals=False)
    stranger = world.client_for("oak_director").get(
        reverse("revision_list"), {"status": "all", "download": fmt}
    )
    assert len(read_download(stranger, fmt)) == 1  # the header only: nothing out of reach
