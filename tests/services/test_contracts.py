"""A contractor sees a district's students only while a contract with that district is in force."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tandem.core import clock
from tandem.people.models import ProviderAssignment, Role
from tandem.services.models import ProviderContract
from tests.conftest import START
from tests.factories import make_staff

END = date(2026, 1, 31)


def _page(student) -> str:  # type: ignore[no-untyped-def]
    return reverse("student", args=[student.public_id])


def _contract(world, district, *, end=None):  # type: ignore[no-untyped-def]
    staff = world.users["contractor"].staff
    return ProviderContract.objects.create(
        created_by=world.users["director"],
        staff=staff,
        district=district,
        agency="BrightPath",
        start_date=START,
        end_date=end,
    )


def test_the_contractor_reads_until_the_contract_ends_then_gets_404(world) -> None:  # type: ignore[no-untyped-def]
    _contract(world, world.riverside, end=END)
    url = _page(world.maya)
    with clock.fixed(END):
        assert world.client_for("contractor").get(url).status_code == 200
    with clock.fixed(date(2026, 2, 1)):
        assert world.client_for("contractor").get(url).status_code == 404


def test_a_contract_with_one_district_opens_nothing_of_the_other(world) -> None:  # type: ignore[no-untyped-def]
    _contract(world, world.riverside)
    client = world.client_for("contractor")
    with clock.fixed(date(2026, 1, 15)):
        assert client.get(_page(world.maya)).status_code == 200
        assert client.get(_page(world.sam)).status_code == 404
    _contract(world, world.oak_valley)
    with clock.fixed(date(2026, 1, 15)):
        assert world.client_for("contractor").get(_page(world.sam)).status_code == 200


def test_an_ended_contract_leaves_the_caseload_lists_too(world) -> None:  # type: ignore[no-untyped-def]
    from tandem.access.policy import students_visible_to

    _contract(world, world.riverside, end=END)
    _contract(world, world.oak_valley)
    user = world.users["contractor"]
    after = set(students_visible_to(user, today=date(2026, 2, 1)))
    assert world.maya not in after and world.sam in after
    before = set(students_visible_to(user, today=END))
    assert {world.maya, world.sam} <= before


def test_a_district_employee_without_a_contract_is_unaffected(world) -> None:  # type: ignore[no-untyped-def]
    employee = make_staff("slp2@r.test", [(Role.PROVIDER, world.riverside, None)], first="Eve")
    ProviderAssignment.objects.create(
        staff=employee,
        student=world.leo,
        district=world.riverside,
        service_area="Speech-language therapy",
        start_date=START,
    )
    world.users["employee"] = employee.user
    with clock.fixed(date(2026, 2, 1)):
        response = world.client_for("employee").get(_page(world.leo))
    assert response.status_code == 200
