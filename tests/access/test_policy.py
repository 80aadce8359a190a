"""The one access policy: relationships, not roles, open a student's record."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from tandem import audit
from tandem.access.capabilities import Cap, Tie
from tandem.access.policy import (
    access_student,
    can,
    decision_for,
    students_visible_to,
)
from tandem.accounts.models import AuditEvent

# persona -> (students readable, students they may write to: LOG_CONTACTS, which every staff
# tie that works with the student holds, and a teacher's or parent's does not)
EXPECTED = {
    "director": ({"maya", "leo", "ana"}, {"maya", "leo", "ana"}),
    "principal": ({"maya", "leo"}, {"maya", "leo"}),
    "case_manager": ({"maya"}, {"maya"}),
    "teacher": ({"maya", "leo"}, set()),
    # A district-wide evaluator finds every student of the district's schools (child find,
    # Tie.SCHOOL_EVALUATOR) and writes only to the record of a student whose team they are on.
    "psych": ({"maya", "leo", "ana"}, {"maya"}),
    "contractor": ({"maya", "sam"}, {"maya", "sam"}),
    "stranger": (set(), set()),
    "oak_director": ({"sam", "tess"}, {"sam", "tess"}),
    "parent": ({"maya"}, set()),
    "uncle": (set(), set()),
}
STUDENTS = ("maya", "leo", "ana", "sam", "tess")


@pytest.mark.parametrize("persona", EXPECTED)
def test_visible_students_follow_relationships(world, persona):
    user = world.users[persona]
    readable, writable = EXPECTED[persona]
    names = {s.legal_first_name.lower() for s in students_visible_to(user)}
    assert names == readable
    names_w = {s.legal_first_name.lower() for s in students_visible_to(user, need=Cap.LOG_CONTACTS)}
    assert names_w == writable


@pytest.mark.parametrize("persona", EXPECTED)
@pytest.mark.parametrize("name", STUDENTS)
def test_gatekeeper_answers_404_when_out_of_reach_and_403_when_read_only(world, persona, name):
    user = world.users[persona]
    student = getattr(world, name)
    readable, writable = EXPECTED[persona]
    if name not in readable:
        with pytest.raises(Http404):
            access_student(user, student.public_id)
        return
    assert access_student(user, student.public_id) == student
    if name in writable:
        assert access_student(user, student.public_id, need=Cap.LOG_CONTACTS) == student
    else:
        with pytest.raises(PermissionDenied):
            access_student(user, student.public_id, need=Cap.LOG_CONTACTS)


def test_malformed_and_unknown_ids_are_not_found(world):
    user = world.users["director"]
    for bad in ("nope", "123", "00000000-0000-0000-0000-000000000000", None):
        with pytest.raises(Http404):
            access_student(user, bad)


def test_ended_relationship_gives_nothing(world):
    # The psychologist's place on Leo's team ended: only the school evaluator's tie is left.
    assert decision_for(world.users["psych"], world.leo).ties == {Tie.SCHOOL_EVALUATOR}
    assert not can(world.users["psych"], Cap.RUN_EVALUATION, world.leo)


def test_relationship_not_yet_started_gives_nothing(world):
    from tandem.people.models import CaseloadAssignment

    CaseloadAssignment.objects.filter(student=world.maya).update(start_date=date(2099, 1, 1))
    from tandem.people.models import TeamMembership

    TeamMembership.objects.filter(student=world.maya).update(start_date=date(2099, 1, 1))
    user = world.users["case_manager"]
    assert not can(user, Cap.READ, world.maya)


def test_role_alone_opens_nothing(world):
    """A case manager with no caseload sees no student, even in their own school."""
    assert list(students_visible_to(world.users["stranger"])) == []


def test_district_admin_never_sees_another_district(world):
    visible = set(
        students_visible_to(world.users["director"]).values_list("district__slug", flat=True)
    )
    assert visible == {"riverside"}


def test_every_read_through_the_gatekeeper_is_audited(world):
    user = world.users["case_manager"]
    before = AuditEvent.objects.count()
    access_student(user, world.maya.public_id, purpose="preparing the annual review")
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.action, event.student, event.purpose) == (
        user,
        "student.viewed",
        world.maya,
        "preparing the annual review",
    )
    assert event.district == world.riverside


def test_refused_access_is_logged_as_refused_not_as_read(world):
    with pytest.raises(Http404):
        access_student(world.users["stranger"], world.maya.public_id)
    events = list(AuditEvent.objects.values_list("action", "student_id"))
    assert events == [("access.denied", world.maya.pk)]


def test_audit_log_is_append_only_in_the_model(world):
    event = audit.record(actor=world.users["director"], action="student.viewed", student=world.maya)
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_audit_log_is_append_only_in_the_database(world):
    from django.db import transaction
    from django.db.utils import DatabaseError

    event = audit.record(actor=world.users["director"], action="student.viewed", student=world.maya)
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET action = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "student.viewed"


def test_visibility_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    user = world.users["contractor"]
    with django_assert_max_num_queries(3):
        list(students_visible_to(user))
