"""The people who implement a plan: the teacher's page and recording what was provided."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import ClassEnrollment, ClassSection
from tandem.plans import implementation
from tandem.plans.models import (
    Accommodation,
    AccommodationProvided,
    Goal,
    Plan,
    PlanKind,
    PlanStatus,
    Service,
)
from tests.factories import make_student

URL = "/implementation/"


def _active_plan(world, student, *, kind=PlanKind.IEP, start=None, end=None):  # type: ignore[no-untyped-def]
    today = clock.today()
    plan = Plan.objects.create(
        student=student,
        kind=kind,
        status=PlanStatus.ACTIVE,
        effective_from=start or today - timedelta(days=30),
        effective_to=end or today + timedelta(days=300),
        created_by=world.users["case_manager"],
    )
    Accommodation.objects.create(
        plan=plan,
        kind="accommodation",
        category="timing_scheduling",
        text=f"Extended time for {student.legal_first_name}",
        applies_to=["tests", "classroom"],
        frequency_condition="On every timed task",
    )
    Accommodation.objects.create(
        plan=plan,
        kind="modification",
        category="content",
        text="Shortened spelling list",
        applies_to=["classroom"],
    )
    Goal.objects.create(plan=plan, area="Reading", text="Reads 90 words per minute by June.")
    Service.objects.create(
        plan=plan,
        category="related",
        name="Occupational therapy",
        minutes=30,
        times=2,
        per="week",
        provider_role="Occupational therapist",
    )
    Service.objects.create(
        plan=plan,
        category="related",
        name="Speech-language therapy",
        minutes=20,
        times=1,
        per="week",
    )
    return plan


def _acc(plan):  # type: ignore[no-untyped-def]
    return plan.accommodations.get(kind="accommodation")


def _post(client, acc, day, note="", **headers):  # type: ignore[no-untyped-def]
    prefix = f"a{acc.public_id.hex}"
    return client.post(
        reverse("implementation_provided", args=[acc.public_id]),
        {f"{prefix}-provided_on": day.isoformat() if day else "", f"{prefix}-note": note},
        **headers,
    )


# --- the page -----------------------------------------------------------------------------------


def test_teacher_sees_each_rostered_student_with_an_active_plan(world) -> None:  # type: ignore[no-untyped-def]
    _active_plan(world, world.maya)
    draft = Plan.objects.create(
        student=world.leo, kind=PlanKind.IEP, created_by=world.users["case_manager"]
    )
    Goal.objects.create(plan=draft, area="Math", text="A draft goal nobody implements yet.")
    response = world.client_for("teacher").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Grade 3 homeroom" in html
    assert "Lopez, Maya" in html
    assert "Extended time for Maya" in html and "Shortened spelling list" in html
    assert "Modification" in html and "Accommodation" in html
    assert "Tests, Classroom" in html and "On every timed task" in html
    assert "Reads 90 words per minute by June." in html
    assert "Park, Leo" not in html  # no active plan
    assert "A draft goal" not in html
    assert "data-print" in html and "js/print.js" in html and 'media="print"' in html
    assert "Services I deliver" not in html  # the teacher is not a provider
    assert AuditEvent.objects.filter(action="implementation.viewed").count() == 1


def test_provider_sees_the_services_they_deliver(world) -> None:  # type: ignore[no-untyped-def]
    _active_plan(world, world.maya)
    html = world.client_for("contractor").get(URL).content.decode()
    assert "Other students I work with" in html
    assert "Services I deliver to Maya" in html
    assert "30 min, 2 times a week" in html
    assert "Speech-language therapy" not in html  # not the contractor's service


def test_stranger_and_parent_see_no_student(world) -> None:  # type: ignore[no-untyped-def]
    _active_plan(world, world.maya)
    for persona in ("stranger", "parent", "oak_director"):
        response = world.client_for(persona).get(URL)
        assert response.status_code == 200
        assert "Maya" not in response.content.decode()
    assert world.client_for("anonymous").get(URL).status_code == 302


def test_query_count_same_for_2_and_10_students(world) -> None:  # type: ignore[no-untyped-def]
    section = ClassSection.objects.get(name="Grade 3 homeroom")
    client = world.client_for("teacher")
    counts = []
    made = 0
    for total in (2, 10):
        while made < total:
            kid = make_student(world.north, first=f"Kid{made}", last="Roster")
            ClassEnrollment.objects.create(
                section=section, student=kid, start_date=section.start_date
            )
            plan = _active_plan(world, kid)
            AccommodationProvided.objects.create(
                plan=plan,
                accommodation=_acc(plan),
                accommodation_lineage=_acc(plan).lineage,
                student=kid,
                provided_on=clock.today(),
                recorded_by=world.users["teacher"],
            )
            made += 1
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert (
            response.content.decode().count('<article class="tandem-implementation__student')
            == total
        )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- recording ----------------------------------------------------------------------------------


def test_teacher_records_without_javascript(world) -> None:  # type: ignore[no-untyped-def]
    plan = _active_plan(world, world.maya)
    acc = _acc(plan)
    today = clock.today()
    response = _post(world.client_for("teacher"), acc, today, note="Used in the reading test")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#acc-{acc.public_id}"
    record = AccommodationProvided.objects.get()
    assert (record.plan, record.accommodation, record.student) == (plan, acc, world.maya)
    assert record.provided_on == today and record.note == "Used in the reading test"
    assert record.recorded_by == world.users["teacher"]
    event = AuditEvent.objects.get(action="accommodation.provided")
    assert event.student_id == world.maya.pk
    assert list(implementation.provided_for(plan)) == [record]
    html = world.client_for("teacher").get(URL).content.decode()
    assert "Not yet recorded" in html  # the modification, not the accommodation


def test_htmx_post_returns_the_row(world) -> None:  # type: ignore[no-untyped-def]
    acc = _acc(_active_plan(world, world.maya))
    yesterday = clock.today() - timedelta(days=1)
    response = _post(world.client_for("teacher"), acc, yesterday, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="acc-{acc.public_id}"')
    assert "<html" not in html
    assert "Recorded as provided." in html
    assert "Not yet recorded" not in html
    assert AccommodationProvided.objects.count() == 1


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(days=1), "The date cannot be in the future."),
        (timedelta(days=-31), "while the plan is in effect"),
    ],
)
def test_bad_dates_store_nothing(world, offset, message) -> None:  # type: ignore[no-untyped-def]
    acc = _acc(_active_plan(world, world.maya))
    day = clock.today() + offset
    client = world.client_for("teacher")
    response = _post(client, acc, day, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "usa-error-message" in response.content.decode()
    response = _post(client, acc, day)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not AccommodationProvided.objects.exists()
    assert not AuditEvent.objects.filter(action="accommodation.provided").exists()


def test_missing_date_is_a_field_error(world) -> None:  # type: ignore[no-untyped-def]
    acc = _acc(_active_plan(world, world.maya))
    response = _post(world.client_for("teacher"), acc, None, HTTP_HX_REQUEST="true")
    assert "usa-error-message" in response.content.decode()
    assert not AccommodationProvided.objects.exists()


def test_plan_that_has_ended_refuses(world) -> None:  # type: ignore[no-untyped-def]
    today = clock.today()
    plan = _active_plan(
        world, world.maya, start=today - timedelta(days=60), end=today - timedelta(days=10)
    )
    response = _post(world.client_for("teacher"), _acc(plan), today, HTTP_HX_REQUEST="true")
    assert "while the plan is in effect" in response.content.decode()
    assert not AccommodationProvided.objects.exists()


@pytest.mark.parametrize("persona", ["stranger", "uncle", "oak_director"])
def test_outsiders_get_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    acc = _acc(_active_plan(world, world.maya))
    response = _post(world.client_for(persona), acc, clock.today())
    assert response.status_code == 404
    assert not AccommodationProvided.objects.exists()


# The parent reads the plan but does not teach the class; the psychologist on the team and the
# contract therapist (a provider assignment) serve the student without implementing it in class.
@pytest.mark.parametrize("persona", ["parent", "psych", "contractor"])
def test_readers_who_do_not_implement_get_403_and_nothing_is_recorded(world, persona) -> None:  # type: ignore[no-untyped-def]
    acc = _acc(_active_plan(world, world.maya))
    response = _post(world.client_for(persona), acc, clock.today())
    assert response.status_code == 403
    assert not AccommodationProvided.objects.exists()
    page = world.client_for(persona).get(URL).content.decode()
    assert reverse("implementation_provided", args=[acc.public_id]) not in page


def test_parent_refused_by_the_action_too(world) -> None:  # type: ignore[no-untyped-def]
    acc = _acc(_active_plan(world, world.maya))
    with pytest.raises(PermissionDenied):
        implementation.record_provided(
            actor=world.users["parent"],
            accommodation=acc,
            provided_on=clock.today(),
            today=clock.today(),
        )
    with pytest.raises(Http404):
        implementation.record_provided(
            actor=world.users["stranger"],
            accommodation=acc,
            provided_on=clock.today(),
            today=clock.today(),
        )
    assert not AccommodationProvided.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "case_manager", "principal"])
def test_class_teachers_and_case_managers_may_record(world, persona) -> None:  # type: ignore[no-untyped-def]
    acc = _acc(_active_plan(world, world.maya))
    response = _post(world.client_for(persona), acc, clock.today())
    assert response.status_code == 302
    assert AccommodationProvided.objects.count() == 1


def test_malformed_id_is_404(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("teacher").post("/implementation/accommodations/nope/provided/")
    assert response.status_code == 404


def test_record_survives_the_accommodation_being_removed(world) -> None:  # type: ignore[no-untyped-def]
    plan = _active_plan(world, world.maya)
    acc = _acc(plan)
    implementation.record_provided(
        actor=world.users["teacher"],
        accommodation=acc,
        provided_on=clock.today(),
        today=clock.today(),
    )
    lineage = acc.lineage
    acc.delete()
    record = implementation.provided_for(plan).get()
    assert record.accommodation is None and record.accommodation_lineage == lineage
