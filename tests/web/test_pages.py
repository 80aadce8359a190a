"""The web shell: sign-in, home pages per role, search, the overview, edits, history, language."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tests.factories import make_student


def test_sign_in_lands_on_home_and_sign_out_ends_the_session(world, client, password):
    response = client.post(reverse("login"), {"username": "cm@r.test", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_says_so_and_signs_in_no_one(world, client):
    response = client.post(reverse("login"), {"username": "cm@r.test", "password": "wrong"})
    assert response.status_code == 200
    assert b"do not match an account" in response.content
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_working_link(world, client):
    client.post(reverse("password_reset"), {"email": "cm@r.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
    )
    assert response.status_code == 302
    assert client.login(username="cm@r.test", password="a-new-long-passphrase-42")


@pytest.mark.parametrize(
    ("persona", "heading", "names"),
    [
        ("case_manager", "My caseload", ["Lopez, Maya"]),
        ("teacher", "My students", ["Lopez, Maya", "Park, Leo"]),
        ("contractor", "My caseload across schools and districts", ["Lopez, Maya", "Cole, Sam"]),
        ("psych", "Students whose team I am on", ["Lopez, Maya"]),
        ("principal", "Schools", ["North Elementary"]),
        ("director", "Schools", ["North Elementary", "South Middle"]),
        ("oak_director", "Schools", ["Prairie Elementary"]),
        ("parent", "My children", ["Maya Lopez"]),
    ],
)
def test_each_role_lands_on_its_own_home(world, persona, heading, names):
    html = world.client_for(persona).get(reverse("home")).content.decode()
    assert heading in html
    for name in names:
        assert name in html
    for other in ("Reyes", "Young") if persona not in ("director", "oak_director") else ():
        assert other not in html


def test_director_home_counts_students_per_school(world):
    html = world.client_for("director").get(reverse("home")).content.decode()
    row = re.search(
        r"North Elementary</a></th><td>Riverside Unified</td><td>(\d+)</td><td>(\d+)</td>", html
    )
    assert row.groups() == ("2", "1")
    assert "Prairie" not in html


def test_case_manager_without_caseload_is_told_so(world):
    html = world.client_for("stranger").get(reverse("home")).content.decode()
    assert "No students on your caseload." in html


def test_overview_shows_profile_guardians_team_and_enrollment(world):
    html = (
        world.client_for("case_manager")
        .get(reverse("student", args=[world.maya.public_id]))
        .content.decode()
    )
    for text in (
        "Maya Lopez",
        "Grace Lopez",
        "Holds rights",
        "Cara Lee",
        "Case manager",
        "Olive Lee",
        "Occupational therapy",
        "North Elementary",
    ):
        assert text in html


def test_profile_edit_saves_audits_and_keeps_history(world):
    client = world.client_for("case_manager")
    url = reverse("student_edit", args=[world.maya.public_id])
    response = client.post(
        url,
        {"preferred_first_name": "Mia", "grade": "3", "home_language": "Spanish", "state_id": ""},
    )
    assert response.status_code == 302
    world.maya.refresh_from_db()
    assert (world.maya.preferred_first_name, world.maya.home_language) == ("Mia", "Spanish")
    event = AuditEvent.objects.filter(action="student.updated").latest("id")
    assert event.detail["fields"]["home_language"] == ["English", "Spanish"]
    html = client.get(reverse("student_history", args=[world.maya.public_id])).content.decode()
    assert (
        "Home language" in html and "English" in html and "Spanish" in html and "Cara Lee" in html
    )


def test_invalid_edit_names_the_field_and_changes_nothing(world):
    client = world.client_for("case_manager")
    url = reverse("student_edit", args=[world.maya.public_id])
    before = AuditEvent.objects.filter(action="student.updated").count()
    response = client.post(url, {"preferred_first_name": "Mia", "grade": "13", "home_language": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert 'id="id_grade-error"' in html and 'id="id_home_language-error"' in html
    world.maya.refresh_from_db()
    assert world.maya.preferred_first_name == ""
    assert AuditEvent.objects.filter(action="student.updated").count() == before


def test_guardian_contact_edit(world):
    client = world.client_for("case_manager")
    guardian = world.maya.guardian_links.get(primary_contact=True).guardian
    url = reverse("guardian_edit", args=[world.maya.public_id, guardian.public_id])
    response = client.post(url, {"email": "not-an-email", "preferred_language": "es"})
    assert response.status_code == 200 and b"id_email-error" in response.content
    response = client.post(
        url, {"email": "grace@example.com", "preferred_language": "es", "phone": "555-0101"}
    )
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert (guardian.email, guardian.preferred_language) == ("grace@example.com", "es")
    assert AuditEvent.objects.filter(action="guardian.updated", student=world.maya).exists()


def test_guardian_of_another_student_is_not_found(world):
    client = world.client_for("director")
    guardian = world.maya.guardian_links.first().guardian
    url = reverse("guardian_edit", args=[world.leo.public_id, guardian.public_id])
    assert client.get(url).status_code == 404


def test_teacher_and_parent_cannot_edit_guardians(world):
    guardian = world.maya.guardian_links.first().guardian
    url = reverse("guardian_edit", args=[world.maya.public_id, guardian.public_id])
    assert world.client_for("teacher").post(url, {"email": "x@y.z"}).status_code == 403
    assert world.client_for("parent").post(url, {"email": "x@y.z"}).status_code == 403
    # The matrix: a contract provider and a psychologist on the team read, but never edit.
    assert world.client_for("contractor").post(url, {"email": "x@y.z"}).status_code == 403
    assert world.client_for("psych").post(url, {"email": "x@y.z"}).status_code == 403
    assert world.client_for("stranger").post(url, {"email": "x@y.z"}).status_code == 404


def test_search_by_name_and_id_with_htmx_partial(world):
    client = world.client_for("director")
    html = client.get(reverse("student_search"), {"q": "park"}).content.decode()
    assert "Park, Leo" in html and "Lopez" not in html
    partial = client.get(
        reverse("student_search"), {"q": world.maya.sis_id}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in partial.content and b"Lopez, Maya" in partial.content
    assert AuditEvent.objects.filter(
        action="students.searched", actor=world.users["director"]
    ).exists()


def test_parent_sees_who_opened_the_record(world):
    staff = world.client_for("case_manager")
    staff.post(reverse("access_purpose"), {"purpose": "plan_writing"})
    staff.get(reverse("student", args=[world.maya.public_id]))
    html = (
        world.client_for("parent")
        .get(reverse("student_access_log", args=[world.maya.public_id]))
        .content.decode()
    )
    # The catalogue's plain words, never the code.
    assert "Cara Lee" in html and "Opened the student" in html
    assert "Writing or reviewing a plan" in html
    assert "student.viewed" not in html and "chosen:" not in html


def test_a_link_cannot_write_a_purpose_into_the_log(world):
    world.client_for("case_manager").get(
        reverse("student", args=[world.maya.public_id]), {"purpose": "the parent asked me to"}
    )
    event = AuditEvent.objects.filter(action="student.viewed").latest("id")
    assert event.purpose == "tie:caseload,team:case_manager"  # the tie that let her in
    html = (
        world.client_for("parent")
        .get(reverse("student_access_log", args=[world.maya.public_id]))
        .content.decode()
    )
    assert "As case manager, member of the student" in html


def test_the_purpose_page_offers_only_the_listed_reasons(world):
    client = world.client_for("teacher")
    assert client.get(reverse("access_purpose")).status_code == 200
    refused = client.post(reverse("access_purpose"), {"purpose": "curiosity"})
    assert refused.status_code == 400 and "curiosity" not in client.session.get(
        "access_purpose", ""
    )


def test_audit_search_filters(world):
    world.client_for("case_manager").get(reverse("student", args=[world.maya.public_id]))
    world.client_for("teacher").get(reverse("student", args=[world.leo.public_id]))
    world.client_for("oak_director").get(reverse("student", args=[world.sam.public_id]))
    client = world.client_for("director")
    html = client.get(reverse("audit_log"), {"actor": "cm@r.test"}).content.decode()
    assert "Maya Lopez" in html and "Leo Park" not in html
    html = client.get(reverse("audit_log"), {"student": "park"}).content.decode()
    assert "Leo Park" in html and "Maya Lopez" not in html
    html = client.get(reverse("audit_log")).content.decode()
    assert "Sam Cole" not in html  # another district's log
    response = client.get(
        reverse("audit_log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert b"cannot be before the start date" in response.content


def test_language_switch_is_remembered_for_the_user(world):
    client = world.client_for("case_manager")
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    world.users["case_manager"].refresh_from_db()
    assert world.users["case_manager"].preferred_language == "es"
    fresh = world.client_for("case_manager")  # a new browser: the account remembers
    html = fresh.get(reverse("home")).content.decode()
    assert 'lang="es"' in html and "Mi lista de casos" in html


def test_language_switch_refuses_unknown_language(world, client):
    assert client.post(reverse("set_language"), {"language": "fr"}).status_code == 400


def test_language_switch_never_redirects_off_site(world, client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_spanish_speaking_parent_reads_spanish(world):
    parent = world.users["parent"]
    parent.preferred_language = "es"
    parent.save()
    html = world.client_for("parent").get(reverse("home")).content.decode()
    assert "Mis hijos" in html


@pytest.mark.parametrize("persona", ["case_manager", "director", "teacher"])
def test_home_query_count_does_not_grow_with_rows(world, persona, django_assert_max_num_queries):
    from tandem.people.models import CaseloadAssignment, ClassEnrollment, ClassSection
    from tests.conftest import START

    client = world.client_for(persona)
    client.get(reverse("home"))
    section = ClassSection.objects.get(teacher__user=world.users["teacher"])
    for i in range(25):
        student = make_student(world.north, first=f"Kid{i}", last="Extra")
        CaseloadAssignment.objects.create(
            staff=world.users["case_manager"].staff, student=student, start_date=START
        )
        ClassEnrollment.objects.create(section=section, student=student, start_date=START)
    # 14: the page's 12 and its audit event naming the students shown (an event and its index).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("home"))
    assert response.content.decode().count("Kid") >= 25 or persona == "director"


def test_search_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    client = world.client_for("director")
    client.get(reverse("student_search"))
    for i in range(30):
        make_student(world.north, first=f"Kid{i}", last="Extra")
    with django_assert_max_num_queries(12):
        client.get(reverse("student_search"), {"q": "extra"})


def test_overview_query_count_is_fixed(world, django_assert_max_num_queries):
    # The profile and its people take 13; each app's section on the page (plans, goals' progress,
    # reports, meetings, revision requests, messages, referrals) takes one or two.
    client = world.client_for("case_manager")
    with django_assert_max_num_queries(24):
        client.get(reverse("student", args=[world.maya.public_id]))


def test_school_filter_shows_that_school_and_never_widens_reach(world):
    client = world.client_for("director")
    html = client.get(reverse("student_search"), {"school": world.south.public_id}).content.decode()
    assert "Reyes, Ana" in html and "Lopez, Maya" not in html and "Showing students at" in html
    # A principal filtering on a school they do not lead sees nothing extra.
    html = (
        world.client_for("principal")
        .get(reverse("student_search"), {"school": world.south.public_id})
        .content.decode()
    )
    assert "Reyes" not in html and "Showing students at" not in html
    assert client.get(reverse("student_search"), {"school": "junk"}).status_code == 200


def test_history_of_a_bulk_created_student_shows_the_first_change(world):
    from tandem.people.models import Student

    [bulk] = Student.objects.bulk_create(
        [
            Student(
                district=world.riverside,
                school=world.north,
                sis_id="BULK1",
                legal_first_name="Bo",
                legal_last_name="Bulk",
                date_of_birth=world.maya.date_of_birth,
                grade="3",
                enrollment_date=world.maya.enrollment_date,
                sex="M",
                search_text="bo bulk bulk1",
            )
        ]
    )
    bulk = Student.objects.get(sis_id="BULK1")
    client = world.client_for("director")
    client.post(
        reverse("student_edit", args=[bulk.public_id]), {"grade": "4", "home_language": "English"}
    )
    html = client.get(reverse("student_history", args=[bulk.public_id])).content.decode()
    assert "Grade 3" in html or ">3<" in html
    assert "Dana Lee" in html


def test_caseload_shows_each_students_next_legal_deadline(world):
    from datetime import timedelta

    from django.utils import timezone

    from tandem.compliance.models import Deadline

    today = timezone.localdate()

    def deadline(kind, due, met=None):
        return Deadline.objects.create(
            student=world.maya,
            district=world.riverside,
            school=world.north,
            kind=kind,
            state="CA",
            trigger_on=today - timedelta(days=70),
            due_on=due,
            citation="x",
            explanation="x",
            status_basis="due",
            met_on=met,
            source_type="t",
            source_id="1",
            computed_at=timezone.now(),
        )

    deadline("initial_evaluation", today - timedelta(days=30), met=today - timedelta(days=31))
    deadline("initial_iep_meeting", today - timedelta(days=3))
    deadline("annual_review", today + timedelta(days=200))
    html = world.client_for("case_manager").get(reverse("home")).content.decode()
    assert "Initial IEP meeting" in html and "Overdue" in html
    assert "Annual review" not in html  # only the earliest open one


def test_repeated_failed_sign_ins_lock_the_account_out(world, client, password, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "cm@r.test", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "cm@r.test", "password": password})
    assert response.status_code in (403, 429)
    assert client.get(reverse("home")).status_code == 302


def test_failures_from_many_addresses_lock_the_account(world, client, password, settings):
    # Guessing one account's password from a different address each time is still counted.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": " CM@r.test ", "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    response = client.post(
        reverse("login"), {"username": "cm@r.test", "password": password}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code in (403, 429)


def test_a_shared_address_does_not_lock_out_everyone_behind_it(world, client, password, settings):
    # Ten typos by one teacher behind the school's address must not stop a colleague signing in.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(
            reverse("login"),
            {"username": "cm@r.test", "password": "wrong"},
            REMOTE_ADDR="192.0.2.7",
        )
    colleague = world.users["director"].email
    response = client.post(
        reverse("login"), {"username": colleague, "password": password}, REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302
