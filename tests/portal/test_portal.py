"""The family pages: only one's own children, consent signed online and on paper, invitations."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.compliance.models import Deadline
from tandem.core.models import AppendOnlyError
from tandem.people.models import Guardian, Relationship, StudentGuardian
from tandem.portal import actions
from tandem.portal.models import Decision, Signature, SignatureMethod
from tandem.referrals.models import Consent, ReferralStatus
from tests.factories import make_student, make_user

PDF = b"%PDF-1.4\n% scan of a signed form\n"


def sign_data(**changes):
    data = {
        "decision": "give",
        "typed_name": "Grace Lopez",
        "agree": "on",
        "reason": "",
    }
    data.update(changes)
    return data


# --- who sees what ----------------------------------------------------------------------------


def test_parent_home_lists_only_their_children(world):
    html = world.client_for("parent").get(reverse("portal_home")).content.decode()
    assert "Maya Lopez" in html
    for other in ("Leo Park", "Ana Reyes", "Sam Cole"):
        assert other not in html


def test_parent_home_at_site_root_is_the_portal(world):
    html = world.client_for("parent").get(reverse("home")).content.decode()
    assert reverse("portal_child", args=[world.maya.public_id]) in html


def test_parent_sees_their_child(world):
    response = world.client_for("parent").get(reverse("portal_child", args=[world.maya.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who opened this record" in html
    assert AuditEvent.objects.filter(action="portal.child_viewed", student=world.maya).exists()


def test_other_child_is_404_and_logged_as_access_attempt(world):
    before = AuditEvent.objects.filter(action="access.denied").count()
    response = world.client_for("parent").get(reverse("portal_child", args=[world.leo.public_id]))
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="access.denied").first()
    assert AuditEvent.objects.filter(action="access.denied").count() == before + 1
    assert event.student == world.leo
    assert event.actor == world.users["parent"]


def test_unknown_child_is_404_and_logged(world):
    response = world.client_for("parent").get(
        reverse("portal_child", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", student=None).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    # Staff who read Maya's record lack Cap.ACT_AS_FAMILY (403); the others do not reach her.
    [("stranger", 404), ("oak_director", 404), ("teacher", 403), ("case_manager", 403)],
)
def test_staff_do_not_use_family_pages(world, persona, status):
    url = reverse("portal_child", args=[world.maya.public_id])
    assert world.client_for(persona).get(url).status_code == status


def test_anonymous_is_sent_to_sign_in(world):
    response = world.client_for("anonymous").get(reverse("portal_home"))
    assert response.status_code == 302


def test_uncle_without_rights_is_told_plainly(world):
    response = world.client_for("uncle").get(reverse("portal_child", args=[world.maya.public_id]))
    assert response.status_code == 403
    assert "do not hold educational rights" in response.content.decode()
    home = world.client_for("uncle").get(reverse("portal_home")).content.decode()
    assert "do not hold educational rights" in home


def test_safeguards_in_both_languages(world):
    client = world.client_for("parent")
    assert "Your rights as a parent" in client.get(reverse("portal_safeguards")).content.decode()
    parent = world.users["parent"]
    parent.preferred_language = "es"
    parent.save()
    html = client.get(reverse("portal_safeguards")).content.decode()
    assert "Sus derechos como padre o madre" in html
    assert 'lang="es"' in html


def test_child_page_shows_the_plan_in_plain_words(world):
    from tandem.plans.models import GroupSize, Per, Plan, PlanKind, PlanStatus, Service

    plan = Plan.objects.create(
        student=world.maya,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        created_by=world.users["case_manager"],
    )
    Service.objects.create(
        plan=plan,
        category="related",
        name="Speech therapy",
        minutes=30,
        times=2,
        per=Per.WEEK,
        group_size=GroupSize.GROUP,
    )
    html = world.client_for("parent").get(reverse("portal_child", args=[world.maya.public_id]))
    assert "30 minutes, 2 times a week, speech therapy, in a small group" in html.content.decode()


# --- signing online ---------------------------------------------------------------------------


def test_parent_gives_consent_online(world, consent):
    client = world.client_for("parent")
    url = reverse("portal_sign", args=[consent.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Reading" in page.content.decode()
    response = client.post(url, sign_data(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.typed_name == "Grace Lopez"
    assert signature.method == SignatureMethod.ONLINE
    assert signature.ip == "203.0.113.7"
    assert signature.language == "en"
    assert signature.document_hash == hashlib.sha256(signature.document_text.encode()).hexdigest()
    assert "Consent to evaluate Maya" in signature.document_text
    pdf = signature.signed_pdf.read()
    assert pdf.startswith(b"%PDF")
    assert signature.signed_pdf_hash == hashlib.sha256(pdf).hexdigest()
    consent.refresh_from_db()
    assert consent.response == "given"
    assert consent.received_on == timezone.localdate()
    assert consent.referral.status == ReferralStatus.IN_EVALUATION
    assert Deadline.objects.filter(student=world.maya, kind="initial_evaluation").exists()
    assert AuditEvent.objects.filter(action="consent.signed", student=world.maya).exists()
    # The frozen copy opens for the parent and for the team, never for others.
    pdf_url = reverse("portal_signature_pdf", args=[signature.public_id])
    assert client.get(pdf_url).status_code == 200
    assert world.client_for("case_manager").get(pdf_url).status_code == 200
    assert world.client_for("stranger").get(pdf_url).status_code == 404


def test_spanish_signature_hashes_the_spanish_form(world, consent):
    parent = world.users["parent"]
    parent.preferred_language = "es"
    parent.save()
    world.client_for("parent").post(reverse("portal_sign", args=[consent.public_id]), sign_data())
    signature = Signature.objects.get()
    assert signature.language == "es"
    english = actions.consent_document(consent, language="en")
    assert signature.document_hash == hashlib.sha256(signature.document_text.encode()).hexdigest()
    # The parts are named in Spanish (from the existing catalog), so the text differs.
    assert "Lectura" in signature.document_text
    assert signature.document_hash != english.hash


def test_partial_consent_records_which_parts(world, consent):
    response = world.client_for("parent").post(
        reverse("portal_sign", args=[consent.public_id]),
        sign_data(decision="partial", parts=["reading", "speech_language"]),
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.decision == Decision.PARTIAL
    assert signature.parts_given == ["reading", "speech_language"]
    assert signature.parts_refused == ["motor"]
    consent.refresh_from_db()
    assert consent.response == "partial"
    assert "Motor" in consent.partial_note


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": "partial"}, "Choose the parts you agree to."),
        (
            {"decision": "partial", "parts": ["reading", "speech_language", "motor"]},
            "You chose every part.",
        ),
        ({"typed_name": ""}, "Type your full name to sign."),
        ({"agree": ""}, "Check the box to show you read the form."),
        ({"decision": "maybe"}, "Select a valid choice"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(world, consent, data, field):
    response = world.client_for("parent").post(
        reverse("portal_sign", args=[consent.public_id]), sign_data(**data)
    )
    assert response.status_code == 200
    assert field in response.content.decode()
    assert not Signature.objects.exists()
    consent.refresh_from_db()
    assert consent.response == "pending"


def test_refusal_closes_the_referral(world, consent):
    world.client_for("parent").post(
        reverse("portal_sign", args=[consent.public_id]), sign_data(decision="refuse")
    )
    consent.refresh_from_db()
    assert consent.response == "refused"
    assert consent.refused_reason
    assert consent.referral.status == ReferralStatus.CLOSED


def test_answered_consent_cannot_be_signed_twice(world, consent):
    client = world.client_for("parent")
    url = reverse("portal_sign", args=[consent.public_id])
    client.post(url, sign_data())
    client.post(url, sign_data(decision="refuse"))
    assert Signature.objects.count() == 1
    with pytest.raises(ValidationError):
        actions.sign_consent(
            actor=world.users["parent"],
            consent=consent,
            decision="refuse",
            typed_name="Grace Lopez",
            language="en",
        )


def test_uncle_cannot_sign(world, consent):
    response = world.client_for("uncle").post(
        reverse("portal_sign", args=[consent.public_id]), sign_data(typed_name="Hugo Lopez")
    )
    assert response.status_code == 403
    assert "do not hold educational rights" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        actions.sign_consent(
            actor=world.users["uncle"],
            consent=consent,
            decision="give",
            typed_name="Hugo Lopez",
            language="en",
        )
    assert "signer" in error.value.message_dict
    assert not Signature.objects.exists()
    consent.refresh_from_db()
    assert consent.response == "pending"


def test_another_familys_consent_is_404(world, calendar):
    from tandem.referrals.models import ConsentKind
    from tests.portal.conftest import make_consent

    other = make_consent(world, kind=ConsentKind.INITIAL_EVALUATION, student=world.leo)
    response = world.client_for("parent").post(
        reverse("portal_sign", args=[other.public_id]), sign_data()
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", student=world.leo).exists()
    assert Consent.objects.get(pk=other.pk).response == "pending"


# --- paper signatures -------------------------------------------------------------------------


def paper_data(world, **changes):
    guardian = Guardian.objects.get(user=world.users["parent"])
    data = {
        "guardian": str(guardian.public_id),
        "decision": "give",
        "typed_name": "Grace Lopez",
        "signed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "language": "en",
        "reason": "",
        "scan": SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    }
    data.update(changes)
    return data


def test_staff_record_a_paper_signature_with_scan(world, consent):
    url = reverse("portal_paper_signature", args=[consent.public_id])
    client = world.client_for("case_manager")
    assert client.get(url).status_code == 200
    response = client.post(url, paper_data(world, decision="partial", parts=["reading"]))
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.method == SignatureMethod.PAPER
    assert signature.recorded_by == world.users["case_manager"]
    assert signature.scan.read() == PDF
    assert signature.parts_given == ["reading"]
    consent.refresh_from_db()
    assert consent.response == "partial"
    assert consent.document
    assert AuditEvent.objects.filter(action="consent.paper_signature_recorded").exists()


def test_paper_signature_needs_a_scan_and_a_rights_holder(world, consent):
    client = world.client_for("case_manager")
    url = reverse("portal_paper_signature", args=[consent.public_id])
    response = client.post(url, paper_data(world, scan=""))
    assert response.status_code == 200
    assert not Signature.objects.exists()
    uncle = Guardian.objects.get(user=world.users["uncle"])
    with pytest.raises(ValidationError) as error:
        actions.record_paper_signature(
            actor=world.users["case_manager"],
            consent=consent,
            guardian=uncle,
            decision="give",
            typed_name="Hugo Lopez",
            signed_on=timezone.localdate(),
            scan=SimpleUploadedFile("form.pdf", PDF),
            language="en",
        )
    assert "guardian" in error.value.message_dict
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    # Cap.RUN_EVALUATION: the contract provider no longer records a consent (it could before).
    [("teacher", 403), ("contractor", 403), ("stranger", 404), ("parent", 403)],
)
def test_paper_signature_only_by_evaluation_staff(world, consent, persona, status):
    url = reverse("portal_paper_signature", args=[consent.public_id])
    response = world.client_for(persona).post(url, paper_data(world))
    assert response.status_code == status
    assert not Signature.objects.exists()


def test_staff_print_the_form_in_the_parents_language(world, consent):
    guardian = Guardian.objects.get(user=world.users["parent"])
    guardian.preferred_language = "es"
    guardian.save()
    response = world.client_for("case_manager").get(
        reverse("portal_consent_print", args=[consent.public_id])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-es.pdf"')


# --- invitations ------------------------------------------------------------------------------


def test_invitation_in_spanish_creates_an_account_without_password(
    world, django_capture_on_commit_callbacks
):
    guardian = Guardian.objects.create(
        district=world.riverside,
        first_name="Rosa",
        last_name="Park",
        email="rosa@example.org",
        preferred_language="es",
    )
    StudentGuardian.objects.create(student=world.leo, guardian=guardian, relationship="mother")
    # Leo is on no one's caseload here: the director invites.
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("director").post(
            reverse("portal_invite", args=[world.leo.public_id, guardian.public_id])
        )
    assert response.status_code == 302
    guardian.refresh_from_db()
    user = guardian.user
    assert user.email == "rosa@example.org"
    assert not user.has_usable_password()
    assert user.preferred_language == "es"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.org"]
    assert "portal" in message.subject.lower()
    assert "/password-reset/" in message.body
    assert "Hola, Rosa" in message.body  # in her language
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[-1].split("/", 1)[1]
    page = world.client_for("anonymous").get("/" + path, follow=True)
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="portal.invited").exists()


def test_parent_without_email_is_served_on_paper(world):
    guardian = Guardian.objects.create(
        district=world.riverside, first_name="Ana", last_name="Park", email=""
    )
    StudentGuardian.objects.create(student=world.maya, guardian=guardian, relationship="mother")
    page = world.client_for("case_manager").get(
        reverse("portal_family", args=[world.maya.public_id])
    )
    assert "No email: served on paper" in page.content.decode()
    with pytest.raises(ValidationError) as error:
        actions.invite_guardian(
            actor=world.users["case_manager"], student=world.maya, guardian=guardian, base_url="/"
        )
    assert "email" in error.value.message_dict
    guardian.refresh_from_db()
    assert guardian.user is None


@pytest.mark.parametrize(
    ("persona", "status"),
    # Cap.EDIT_PROFILE: the contract provider and the psychologist no longer invite (they could
    # before, with the old "write" need).
    [("teacher", 403), ("contractor", 403), ("psych", 403), ("parent", 403), ("stranger", 404)],
)
def test_invitation_only_by_staff_who_edit_the_profile(world, persona, status):
    guardian = Guardian.objects.create(
        district=world.riverside, first_name="Ana", last_name="Park", email="ana@example.org"
    )
    StudentGuardian.objects.create(student=world.maya, guardian=guardian, relationship="mother")
    url = reverse("portal_invite", args=[world.maya.public_id, guardian.public_id])
    response = world.client_for(persona).post(url)
    assert response.status_code == status
    guardian.refresh_from_db()
    assert guardian.user is None


# --- query counts -----------------------------------------------------------------------------


def test_portal_home_query_count_is_constant_with_three_children(
    world, django_assert_max_num_queries
):
    parent = world.users["parent"]
    guardian = Guardian.objects.get(user=parent)
    client = world.client_for("parent")
    client.get(reverse("portal_home"))
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("portal_home"))
    for first in ("Ben", "Cleo"):
        kid = make_student(world.north, first=first, last="Lopez")
        StudentGuardian.objects.create(
            student=kid, guardian=guardian, relationship=Relationship.MOTHER
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("portal_home")).content.decode()
    assert "Ben Lopez" in html and "Cleo Lopez" in html


def test_user_factory_is_not_a_guardian(world):
    someone = make_user("someone@r.test")
    from django.test import Client

    client = Client()
    client.force_login(someone)
    assert client.get(reverse("portal_home")).status_code == 200


def test_signature_is_never_changed(world, consent):
    signature = actions.sign_consent(
        actor=world.users["parent"],
        consent=consent,
        decision="give",
        typed_name="Grace Lopez",
        language="en",
    )
    signature.typed_name = "Someone else"
    with pytest.raises(AppendOnlyError):
        signature.save()
    with pytest.raises(AppendOnlyError):
        signature.delete()
    with pytest.raises(AppendOnlyError):  # nor in bulk, which the old save() guard let through
        Signature.objects.filter(pk=signature.pk).update(typed_name="Someone else")
    with pytest.raises(AppendOnlyError):
        Signature.objects.filter(pk=signature.pk).delete()


def test_parent_opens_the_full_plan_pdf(world):
    from tandem.plans.models import Plan, PlanKind, PlanStatus

    plan = Plan.objects.create(
        student=world.maya,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        created_by=world.users["case_manager"],
    )
    client = world.client_for("parent")
    page = client.get(reverse("portal_child", args=[world.maya.public_id])).content.decode()
    assert reverse("plan_pdf", args=[plan.public_id]) in page
    response = client.get(reverse("plan_pdf", args=[plan.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_opening_a_document_marks_it_opened(world):
    deliveries = pytest.importorskip("tandem.communication.deliveries")
    guardian = Guardian.objects.get(user=world.users["parent"])
    delivery = deliveries.record_delivery(
        student=world.maya,
        guardian=guardian,
        kind="notice",
        title="Meeting notice",
        url="/family/rights/",
    )
    client = world.client_for("parent")
    page = client.get(reverse("portal_child", args=[world.maya.public_id])).content.decode()
    assert "Meeting notice" in page
    response = client.get(
        reverse("portal_open", args=[world.maya.public_id]), {"url": "/family/rights/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/family/rights/"
    delivery.refresh_from_db()
    assert delivery.opened_at is not None
    # Off-site links are refused.
    evil = client.get(
        reverse("portal_open", args=[world.maya.public_id]), {"url": "https://evil.example/"}
    )
    assert evil.status_code == 404


def test_meeting_to_answer_shows_on_home_and_child_page(world):
    meetings = pytest.importorskip("tandem.meetings.models")
    start = timezone.now() + timedelta(days=10)
    meeting = meetings.Meeting.objects.create(
        student=world.maya,
        kind="annual_review",
        status="scheduled",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place_details="North Elementary, room 12",
        created_by=world.users["case_manager"],
    )
    meetings.MeetingInvitee.objects.create(
        meeting=meeting,
        guardian=Guardian.objects.get(user=world.users["parent"]),
        role="parent",
        required=True,
    )
    client = world.client_for("parent")
    assert "1 meeting to answer" in client.get(reverse("portal_home")).content.decode()
    page = client.get(reverse("portal_child", args=[world.maya.public_id])).content.decode()
    assert reverse("meeting_respond", args=[meeting.public_id]) in page


def test_consent_to_services_names_the_proposed_services(world):
    from tandem.plans.models import Per, Plan, PlanKind, PlanStatus, Service
    from tandem.referrals.models import ConsentKind, ConsentMethod

    plan = Plan.objects.create(
        student=world.maya,
        kind=PlanKind.IEP,
        status=PlanStatus.PROPOSED,
        created_by=world.users["case_manager"],
    )
    speech = Service.objects.create(
        plan=plan, category="related", name="Speech therapy", minutes=30, times=2, per=Per.WEEK
    )
    Service.objects.create(
        plan=plan,
        category="related",
        name="Occupational therapy",
        minutes=30,
        times=1,
        per=Per.WEEK,
    )
    consent = Consent.objects.create(
        student=world.maya,
        kind=ConsentKind.INITIAL_SERVICES,
        sent_on=timezone.localdate(),
        method=ConsentMethod.PORTAL,
    )
    client = world.client_for("parent")
    page = client.get(reverse("portal_sign", args=[consent.public_id])).content.decode()
    assert "30 minutes, 2 times a week, speech therapy, one on one" in page
    client.post(
        reverse("portal_sign", args=[consent.public_id]),
        sign_data(decision="partial", parts=[str(speech.lineage)]),
    )
    signature = Signature.objects.get()
    assert signature.parts_given == [str(speech.lineage)]
    consent.refresh_from_db()
    assert consent.response == "partial"
    assert "Occupational therapy".lower() in consent.partial_note.lower()
