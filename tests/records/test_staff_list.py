"""The district's list of who may open students' records (IDEA 34 CFR 300.623(d)).

Read from the policy's ties and the capability matrix: a case manager with no student (Sid) is
not on it, a contractor serving one student is; a leader of the district and the parent of one
of its students may read it; staff who lead nothing, a relative without educational rights and
another district's leader get 404 (another district's leader sees their own district's list).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core import clock
from tandem.people.models import ProviderAssignment
from tandem.records import staff_list

pytestmark = pytest.mark.django_db
URL = reverse("records_staff")


def positions_by_label(world) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    found = staff_list.positions(world.riverside, today=clock.today())
    return {p.label: [person.name for person in p.people] for p in found}


def test_the_list_is_read_from_the_ties_not_written_by_hand(world) -> None:  # type: ignore[no-untyped-def]
    listed = positions_by_label(world)
    assert listed["District administrator"] == ["Dana Lee"]
    assert listed["School administrator"] == ["Paul Lee"]
    assert listed["Case manager"] == ["Cara Lee"]  # not Sid: no student on his caseload
    assert listed["General education teacher"] == ["Tom Lee"]
    assert listed["Evaluator / school psychologist"] == ["Priya Lee"]
    assert listed["Related-service provider"] == ["Olive Lee"]
    assert "Omar Lee" not in str(listed)


def test_what_each_may_do_comes_from_the_matrix(world) -> None:  # type: ignore[no-untyped-def]
    found = staff_list.positions(world.riverside, today=clock.today())
    people = {person.name: person for p in found for person in p.people}
    assert "Write and change the IEP or 504 Plan" in people["Cara Lee"].may
    assert "See who opened the record" not in people["Cara Lee"].may
    assert "See who opened the record" in people["Dana Lee"].may
    assert people["Olive Lee"].may == [
        "Record progress data",
        "Confirm having read the plan they carry out",
        "Log contacts and message the family",
    ]
    assert people["Olive Lee"].reach == ["the students they are assigned to serve"]
    assert people["Dana Lee"].reach == ["every student of the district"]


def test_an_ended_assignment_takes_the_person_off_the_list(world) -> None:  # type: ignore[no-untyped-def]
    ProviderAssignment.objects.filter(student=world.maya).update(
        end_date=clock.today().replace(year=2025)
    )
    assert "Related-service provider" not in positions_by_label(world)


@pytest.mark.parametrize("persona", ["director", "principal", "parent"])
def test_leaders_and_the_parent_read_the_list(world, persona) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for(persona).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Riverside Unified" in html
    assert "Cara Lee" in html and "Olive Lee" in html
    assert "Sid Lee" not in html
    assert "300.623(d)" in html


@pytest.mark.parametrize("persona", ["teacher", "case_manager", "stranger", "uncle"])
def test_others_get_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get(URL).status_code == 404


def test_anonymous_is_sent_to_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for("anonymous").get(URL).status_code == 302


def test_another_districts_leader_sees_only_their_own(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("oak_director")
    page = client.get(URL, {"district": str(world.riverside.public_id)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Oak Valley School District" in html
    assert "Cara Lee" not in html and "Dana Lee" not in html
    assert "Olive Lee" in html  # she serves Sam in Oak Valley too


def test_leaders_find_it_on_their_tools(world) -> None:  # type: ignore[no-untyped-def]
    home = world.client_for("director").get(reverse("home")).content.decode()
    assert URL in home
    assert URL not in world.client_for("teacher").get(reverse("home")).content.decode()


def test_the_parent_finds_it_beside_who_opened_the_record(world) -> None:  # type: ignore[no-untyped-def]
    log = reverse("student_access_log", args=[world.maya.public_id])
    assert URL in world.client_for("parent").get(log).content.decode()


def test_query_count_does_not_grow_with_the_district(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("director")
    client.get(URL)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    for n in range(5):
        ProviderAssignment.objects.create(
            staff=world.users["contractor"].staff,
            student=world.leo,
            district=world.riverside,
            service_area=f"Area {n}",
            start_date=clock.today().replace(year=2025),
        )
    with CaptureQueriesContext(connection) as second:
        client.get(URL)
    assert len(second) == len(first)
    assert len(first) <= 20
