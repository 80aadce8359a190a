"""The student's team page (issue 11): who is on the team, and the case manager or a leader
assigning the case manager, adding members and ending their place, audited, with history kept;
team membership opens the record and ending it closes it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people import team
from tandem.people.models import (
    CaseloadAssignment,
    Role,
    Staff,
    TeamMembership,
    TeamRole,
)
from tests.factories import make_staff


def _url(world, name: str = "student_team") -> str:  # type: ignore[no-untyped-def]
    return reverse(name, args=[world.maya.public_id])


def _staff(world, persona: str) -> Staff:  # type: ignore[no-untyped-def]
    return world.users[persona].staff


def _add(world, persona: str = "case_manager", **data):  # type: ignore[no-untyped-def]
    post = {
        "add-staff": _staff(world, "stranger").pk,
        "add-role": TeamRole.SPEECH_LANGUAGE,
        "add-start_date": (clock.today() - timedelta(days=30)).isoformat(),
        **data,
    }
    return world.client_for(persona).post(_url(world, "team_member_add"), post)


def _end(world, membership, persona: str = "case_manager", **data):  # type: ignore[no-untyped-def]
    post = {
        "end-membership": membership.pk,
        "end-end_date": (clock.today() - timedelta(days=1)).isoformat(),
        "end-reason": "Moved to another school.",
        **data,
    }
    return world.client_for(persona).post(_url(world, "team_member_end"), post)


def _state():  # type: ignore[no-untyped-def]
    """Everything a refused request must leave as it was."""
    return (
        sorted(TeamMembership.objects.values_list("pk", "staff_id", "role", "end_date")),
        sorted(CaseloadAssignment.objects.values_list("pk", "staff_id", "end_date")),
        AuditEvent.objects.filter(action__startswith="team.").count(),
    )


# --- reading the page ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["case_manager", "principal", "director", "teacher", "parent"])
def test_everyone_who_reads_the_record_sees_the_team(world, persona):
    response = world.client_for(persona).get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cara Lee" in html and "Priya Lee" in html  # the case manager, the psychologist
    assert "School psychologist" in html


@pytest.mark.parametrize(("persona", "forms"), [("case_manager", True), ("principal", True),
                                                 ("teacher", False), ("parent", False)])  # fmt: skip
def test_forms_are_shown_only_to_those_who_manage_the_team(world, persona, forms):
    html = world.client_for(persona).get(_url(world)).content.decode()
    for action in ("team_case_manager", "team_member_add", "team_member_end"):
        assert (_url(world, action) in html) is forms


@pytest.mark.parametrize("persona", ["oak_director", "stranger", "anonymous"])
def test_outsider_gets_404_on_the_page(world, persona):
    response = world.client_for(persona).get(_url(world))
    assert response.status_code in ((404,) if persona != "anonymous" else (302, 404))


def test_the_student_page_links_to_the_team(world):
    html = world.client_for("case_manager").get(reverse("student", args=[world.maya.public_id]))
    assert _url(world) in html.content.decode()


def test_page_queries_do_not_grow_with_past_members(world):
    client = world.client_for("case_manager")
    client.get(_url(world))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(world)).status_code == 200
        return len(ctx.captured_queries)

    def past_members(emails: range) -> None:
        start = clock.today() - timedelta(days=100)
        for i in emails:
            staff = make_staff(f"extra{i}@r.test", [(Role.TEACHER, world.riverside, world.north)])
            m = team.add_team_member(
                actor=world.users["case_manager"],
                student=world.maya,
                staff=staff,
                role=TeamRole.GENERAL_EDUCATION_TEACHER,
                start_date=start,
            )
            team.end_team_member(
                actor=world.users["case_manager"],
                student=world.maya,
                membership=m,
                end_date=start + timedelta(days=10),
                reason="Class changed.",
            )

    past_members(range(1))
    one = count()
    past_members(range(1, 8))
    assert count() == one


# --- adding and ending a member: access follows -----------------------------------------------


def test_added_member_opens_the_record_and_loses_it_when_ended(world):
    student = reverse("student", args=[world.maya.public_id])
    assert world.client_for("stranger").get(student).status_code == 404
    response = _add(world)
    assert response.status_code == 302
    membership = TeamMembership.objects.get(staff=_staff(world, "stranger"), student=world.maya)
    assert membership.role == TeamRole.SPEECH_LANGUAGE
    added = AuditEvent.objects.get(action=Action.TEAM__MEMBER_ADDED)
    assert added.actor == world.users["case_manager"] and added.student_id == world.maya.pk
    assert world.client_for("stranger").get(student).status_code == 200

    assert _end(world, membership).status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == clock.today() - timedelta(days=1)  # kept, with its end date
    ended = AuditEvent.objects.get(action=Action.TEAM__MEMBER_ENDED)
    assert ended.detail["reason"] == "Moved to another school."
    assert world.client_for("stranger").get(student).status_code == 404
    html = world.client_for("case_manager").get(_url(world)).content.decode()
    assert "Past members" in html and "Moved to another school." in html


def test_a_planned_member_gets_nothing_until_the_day(world):
    assert (
        _add(
            world, **{"add-start_date": (clock.today() + timedelta(days=7)).isoformat()}
        ).status_code
        == 302
    )
    student = reverse("student", args=[world.maya.public_id])
    assert world.client_for("stranger").get(student).status_code == 404


def test_principal_adds_a_member(world):
    assert _add(world, "principal").status_code == 302
    assert (
        AuditEvent.objects.get(action=Action.TEAM__MEMBER_ADDED).actor == world.users["principal"]
    )


def test_parent_does_not_see_why_a_place_ended(world):
    membership = TeamMembership.objects.get(staff=_staff(world, "psych"), student=world.maya)
    assert _end(world, membership).status_code == 302
    html = world.client_for("parent").get(_url(world)).content.decode()
    assert "Priya Lee" in html and "Moved to another school." not in html


# --- the case manager ------------------------------------------------------------------------


def test_assigning_a_case_manager_hands_over_the_day_before(world):
    start = clock.today()
    response = world.client_for("principal").post(
        _url(world, "team_case_manager"),
        {"cm-staff": _staff(world, "stranger").pk, "cm-start_date": start.isoformat()},
    )
    assert response.status_code == 302
    cara, sid = _staff(world, "case_manager"), _staff(world, "stranger")
    old = CaseloadAssignment.objects.get(staff=cara, student=world.maya)
    assert old.end_date == start - timedelta(days=1)
    new = CaseloadAssignment.objects.get(staff=sid, student=world.maya)
    assert (new.start_date, new.end_date) == (start, None)
    roles = dict(
        TeamMembership.objects.filter(student=world.maya, role=TeamRole.CASE_MANAGER).values_list(
            "staff_id", "end_date"
        )
    )
    assert roles == {cara.pk: start - timedelta(days=1), sid.pk: None}  # kept in step
    event = AuditEvent.objects.get(action=Action.TEAM__CASE_MANAGER_ASSIGNED)
    assert event.detail["previous"] == [str(cara.public_id)]
    student = reverse("student", args=[world.maya.public_id])
    assert world.client_for("stranger").get(student).status_code == 200
    # Cara still reads Maya as her teacher's student? No: she had only the case manager's ties.
    assert world.client_for("case_manager").get(student).status_code == 404
    html = world.client_for("principal").get(_url(world)).content.decode()
    assert "A new case manager was assigned." in html


def test_case_manager_who_hands_over_goes_home(world):
    response = world.client_for("case_manager").post(
        _url(world, "team_case_manager"),
        {"cm-staff": _staff(world, "stranger").pk, "cm-start_date": clock.today().isoformat()},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_only_case_managers_of_the_district_can_be_assigned(world):
    before = _state()
    response = world.client_for("principal").post(
        _url(world, "team_case_manager"),
        {"cm-staff": _staff(world, "teacher").pk, "cm-start_date": clock.today().isoformat()},
    )
    assert response.status_code == 400
    assert 'id="id_cm-staff-error"' in response.content.decode()
    assert _state() == before


def test_the_last_case_manager_cannot_be_ended(world):
    before = _state()
    membership = TeamMembership.objects.get(
        staff=_staff(world, "case_manager"), student=world.maya, role=TeamRole.CASE_MANAGER
    )
    response = _end(world, membership)
    assert response.status_code == 400
    assert "only case manager" in response.content.decode()
    assert _state() == before


# --- who may write -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "parent", "psych"])
def test_read_only_roles_are_refused(world, persona):
    before = _state()
    membership = TeamMembership.objects.get(staff=_staff(world, "psych"), student=world.maya)
    assert _add(world, persona).status_code == 403
    assert _end(world, membership, persona).status_code == 403
    response = world.client_for(persona).post(
        _url(world, "team_case_manager"),
        {"cm-staff": _staff(world, "stranger").pk, "cm-start_date": clock.today().isoformat()},
    )
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("persona", ["oak_director", "stranger"])
def test_outsider_gets_404_on_every_write(world, persona):
    before = _state()
    assert _add(world, persona).status_code == 404
    membership = TeamMembership.objects.get(staff=_staff(world, "psych"), student=world.maya)
    assert _end(world, membership, persona).status_code == 404
    assert _state() == before


# --- bad input: 400, the field named, nothing changed ----------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"add-staff": "oak"}, "staff"),  # staff of another district
        ({"add-staff": ""}, "staff"),
        ({"add-role": TeamRole.CASE_MANAGER}, "role"),
        ({"add-start_date": "not a date"}, "start_date"),
        ({"add-start_date": "2020-01-01"}, "start_date"),  # before the student enrolled
        ({"add-start_date": "far"}, "start_date"),  # more than 60 days ahead
    ],
)
def test_bad_member_is_refused_naming_the_field(world, data, field):
    if data.get("add-staff") == "oak":
        data["add-staff"] = _staff(world, "oak_director").pk
    if data.get("add-start_date") == "far":
        data["add-start_date"] = (clock.today() + timedelta(days=61)).isoformat()
    before = _state()
    response = _add(world, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_add-{field}-error"' in html and "Nothing was saved" in html
    assert _state() == before


def test_duplicate_member_is_refused(world):
    response = _add(
        world, **{"add-staff": _staff(world, "psych").pk, "add-role": TeamRole.PSYCHOLOGIST}
    )
    assert response.status_code == 400
    assert 'id="id_add-staff-error"' in response.content.decode()
    assert "already on the team as School psychologist" in response.content.decode()
    assert (
        TeamMembership.objects.filter(staff=_staff(world, "psych"), student=world.maya).count() == 1
    )


def test_same_person_in_another_role_is_allowed(world):
    response = _add(
        world, **{"add-staff": _staff(world, "psych").pk, "add-role": TeamRole.COUNSELOR}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"end-end_date": "2025-07-01"}, "end_date"),  # before the member started
        ({"end-reason": ""}, "reason"),
        ({"end-membership": "other"}, "membership"),  # another student's membership
    ],
)
def test_bad_end_is_refused_naming_the_field(world, data, field):
    membership = TeamMembership.objects.get(staff=_staff(world, "psych"), student=world.maya)
    if data.get("end-membership") == "other":
        data["end-membership"] = TeamMembership.objects.get(student=world.leo).pk
    before = _state()
    response = _end(world, membership, **data)
    assert response.status_code == 400
    assert f'id="id_end-{field}-error"' in response.content.decode()
    assert _state() == before


def test_contractor_assigned_in_the_district_may_join(world):
    contractor = make_staff("slp@agency.test", [], first="Lena")
    from tandem.people.models import ProviderAssignment

    ProviderAssignment.objects.create(
        staff=contractor,
        student=world.leo,
        district=world.riverside,
        service_area="Speech-language therapy",
        start_date=clock.today() - timedelta(days=10),
    )
    assert _add(world, **{"add-staff": contractor.pk}).status_code == 302


def test_action_refuses_staff_of_another_district(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        team.add_team_member(
            actor=world.users["director"],
            student=world.maya,
            staff=_staff(world, "oak_director"),
            role=TeamRole.OTHER,
            start_date=clock.today(),
        )
    assert "staff" in refused.value.message_dict


def test_a_case_manager_with_a_co_case_manager_can_be_ended_both_rows_together(world):
    sid = _staff(world, "stranger")
    start = clock.today() - timedelta(days=60)
    CaseloadAssignment.objects.create(staff=sid, student=world.maya, start_date=start)
    TeamMembership.objects.create(
        staff=sid, student=world.maya, role=TeamRole.CASE_MANAGER, start_date=start
    )
    cara = _staff(world, "case_manager")
    membership = TeamMembership.objects.get(
        staff=cara, student=world.maya, role=TeamRole.CASE_MANAGER
    )
    assert _end(world, membership, "principal").status_code == 302
    yesterday = clock.today() - timedelta(days=1)
    assert CaseloadAssignment.objects.get(staff=cara, student=world.maya).end_date == yesterday
    student = reverse("student", args=[world.maya.public_id])
    assert world.client_for("case_manager").get(student).status_code == 404
    assert world.client_for("stranger").get(student).status_code == 200


def test_the_page_renders_in_spanish(world):
    user = world.users["case_manager"]
    user.preferred_language = "es"
    user.save()
    response = world.client_for("case_manager").get(_url(world))
    assert response.status_code == 200
    assert '<html lang="es"' in response.content.decode()
