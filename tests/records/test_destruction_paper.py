"""A parent without a family page is served the destruction notice on paper (IDEA 34 CFR
300.624(a)): the district prints it in the parent's language, mails it, and records the answer
the parent sends back; a copy asked for on paper holds the destruction as one asked online."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import Guardian, Relationship, StudentGuardian
from tandem.records.models import DestructionProposal, ParentAnswer, RecordsRequest
from tests.records.test_retention import TODAY
from tests.records.test_retention_destruction import gone, propose  # noqa: F401

pytestmark = pytest.mark.django_db
LATER = TODAY + timedelta(days=10)


@pytest.fixture
def father(world, gone):  # type: ignore[no-untyped-def]  # noqa: F811
    """Maya's father holds rights too, reads Spanish, and has no account: served on paper."""
    dad = Guardian.objects.create(
        district=world.riverside,
        first_name="Luis",
        last_name="Lopez",
        address="12 Elm St, Riverside",
        preferred_language="es",
    )
    StudentGuardian.objects.create(
        student=world.maya, guardian=dad, relationship=Relationship.FATHER
    )
    return dad


def _proposal(world: Any) -> DestructionProposal:
    assert propose(world, "communication").status_code == 302
    return DestructionProposal.objects.get()


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _paper_answer(world: Any, proposal: DestructionProposal, data: dict[str, Any]) -> Any:
    url = reverse("destruction_paper_answer", args=[proposal.public_id])
    with clock.fixed(LATER):
        return world.client_for("director").post(url, data)


def test_the_page_lists_the_parent_on_paper_with_a_print_link(world, father) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world)
    with clock.fixed(TODAY):
        page = world.client_for("director").get(
            reverse("retention_student", args=[world.maya.public_id])
        )
    html = page.content.decode()
    assert "Parents served on paper" in html and "Luis Lopez" in html
    print_url = reverse("destruction_notice_print", args=[proposal.public_id])
    assert f"{print_url}?lang=es" in html
    # The mother has a family page: she is not on the paper list.
    assert html.count("?lang=") == 1


def test_the_printed_notice_is_in_the_parents_language_with_the_answer_to_tick(
    world, father
) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world)
    url = reverse("destruction_notice_print", args=[proposal.public_id])
    response = world.client_for("director").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "ya no se necesitan" in text and "Luis Lopez" in text and "12 Elm St" in text
    assert "Envíenme una copia primero" in text or "copia" in text
    assert str(proposal.public_id) in text
    assert "Communication logs" not in text  # the types are named in her language too
    english = _text(world.client_for("director").get(url, {"lang": "en"}).content)
    assert "no longer needed" in english and "Send me a copy first" in english
    assert "Communication logs" in english and "Luis Lopez" in english  # still addressed to him
    assert AuditEvent.objects.filter(action="destruction_notice.printed").count() == 2
    event = AuditEvent.objects.filter(action="destruction_notice.printed").latest("id")
    assert event.student_id == world.maya.pk and event.detail["language"] == "en"


@pytest.mark.parametrize("persona", ["parent", "case_manager", "teacher"])
def test_only_the_district_prints_the_notice(world, father, persona) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world)
    url = reverse("destruction_notice_print", args=[proposal.public_id])
    assert world.client_for(persona).get(url).status_code in (403, 404)


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404_on_the_print_and_the_paper_answer(world, father, persona) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world)
    client = world.client_for(persona)
    assert (
        client.get(reverse("destruction_notice_print", args=[proposal.public_id])).status_code
        == 404
    )
    url = reverse("destruction_paper_answer", args=[proposal.public_id])
    assert client.post(url, {"answer": "destroy"}).status_code == 404
    assert DestructionProposal.objects.get().parent_answer == ParentAnswer.NONE


def test_a_copy_asked_on_paper_opens_a_request_dated_when_received(world, father) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world)
    received = TODAY + timedelta(days=7)
    data = {"guardian": str(father.public_id), "answer": "copy", "received_on": received}
    assert _paper_answer(world, proposal, data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.parent_answer, proposal.answered_on) == (ParentAnswer.COPY, received)
    request = RecordsRequest.objects.get(student=world.maya)
    assert request.requested_on == received and request.requested_by == "Luis Lopez"
    assert not request.from_portal
    event = AuditEvent.objects.get(action="destruction.answered")
    assert event.detail == {"answer": "copy", "on_paper": "yes", "guardian": str(father.public_id)}
    # The first answer stands: the mother's later one is refused by name.
    again = _paper_answer(world, proposal, {**data, "answer": "destroy"})
    assert again.status_code == 400 and "already answered" in again.content.decode()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"received_on": ""}, "Give the day the answer was received."),
        ({"received_on": "2001-01-01"}, "Give a day between the notice"),
        ({"answer": ""}, "Choose a copy first, or destruction now."),
        ({"guardian": "nobody"}, "Choose one of the parents the notice was sent to."),
    ],
)
def test_a_bad_paper_answer_is_refused_naming_the_field(world, father, change, words) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world)
    data = {"guardian": str(father.public_id), "answer": "destroy", "received_on": LATER}
    response = _paper_answer(world, proposal, {**data, **change})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert DestructionProposal.objects.get().parent_answer == ParentAnswer.NONE


def test_a_principal_cannot_record_a_paper_answer(world, father) -> None:  # type: ignore[no-untyped-def]
    proposal = _proposal(world)
    data = {"guardian": str(father.public_id), "answer": "destroy", "received_on": LATER}
    url = reverse("destruction_paper_answer", args=[proposal.public_id])
    with clock.fixed(LATER):
        assert world.client_for("principal").post(url, data).status_code == 403
    assert DestructionProposal.objects.get().parent_answer == ParentAnswer.NONE
