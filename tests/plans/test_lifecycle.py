"""The living document's pages: annual review, amendment, correction; who may use them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.meetings.models import Meeting
from tandem.plans import actions_common, actions_drafts, actions_versions
from tandem.plans.models import (
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanVersion,
    VersionKind,
)
from tests.factories import meet_finalize_requirements

pytestmark = pytest.mark.django_db

GOAL = "By June 2026, Maya will read 90 words per minute with 95% accuracy on 3 of 4 probes."


def active_plan(world, student=None, actor=None):  # type: ignore[no-untyped-def]
    """Maya's IEP, finalized (version 1), meeting a month ago."""
    actor = actor or world.users["case_manager"]
    today = clock.today()
    meeting = today - timedelta(days=30)
    plan = actions_drafts.create_draft(
        actor=actor,
        student=student or world.maya,
        kind=PlanKind.IEP,
        today=meeting,
        meeting_date=meeting,
    )
    actions_drafts.save_section(
        actor=actor,
        plan=plan,
        key="plaafp",
        content={"text": "Maya reads 60 words per minute."},
        expected_revision=0,
    )
    actions_drafts.save_section(
        actor=actor,
        plan=plan,
        key="strengths",
        content={"text": "Maya is curious and kind."},
        expected_revision=0,
    )
    actions_drafts.add_service(
        actor=actor,
        plan=plan,
        data={
            "category": "related",
            "name": "Speech-language therapy",
            "minutes": 30,
            "times": 2,
            "per": "week",
            "setting": "Speech room",
            "start_date": meeting,
            "end_date": meeting + timedelta(days=300),
            "provider_role": "Speech-language pathologist",
        },
    )
    actions_drafts.add_goal(actor=actor, plan=plan, data={"area": "Reading", "text": GOAL})
    actions_drafts.add_accommodation(
        actor=actor,
        plan=plan,
        data={
            "kind": "accommodation",
            "category": "timing_scheduling",
            "text": "Extended time (1.5x) on tests",
            "applies_to": ["tests", "classroom"],
        },
    )
    meet_finalize_requirements(actor, plan, meeting)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=meeting, today=meeting)
    plan.refresh_from_db()
    return plan


def url(name: str, plan: Plan) -> str:
    return reverse(name, kwargs={"plan_id": plan.public_id})


def page_data(response) -> dict:  # type: ignore[no-untyped-def]
    """Every named input of the rendered form with its current value, as a browser would post."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class Parser(HTMLParser):
        textarea: str | None = None
        select: str | None = None

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name:
                kind = a.get("type", "text")
                if kind in ("checkbox", "radio"):
                    if "checked" in a:
                        data.setdefault(name, []).append(a.get("value", "on"))
                elif kind != "submit":
                    data.setdefault(name, []).append(a.get("value") or "")
            elif tag == "textarea" and name:
                self.textarea = name
                data.setdefault(name, []).append("")
            elif tag == "select" and name:
                self.select = name
                data.setdefault(name, [])
            elif tag == "option" and self.select and "selected" in a:
                data[self.select].append(a.get("value", ""))

        def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
            if tag == "textarea":
                self.textarea = None
            if tag == "select":
                self.select = None

        def handle_data(self, text):  # type: ignore[no-untyped-def]
            if self.textarea:
                data[self.textarea][-1] += text

    import html

    Parser().feed(response.content.decode())
    out = {}
    for k, v in data.items():
        v = [html.unescape(x) for x in v]
        out[k] = v if len(v) != 1 else v[0]
        if k.startswith("section__") or k.endswith("-text"):
            out[k] = out[k].lstrip("\n") if isinstance(out[k], str) else out[k]
    out.pop("csrfmiddlewaretoken", None)
    return out


# --- the buttons on the plan page -------------------------------------------------------------


def test_plan_page_shows_lifecycle_buttons_only_to_writers(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    page = world.client_for("case_manager").get(url("plan_detail", plan)).content.decode()
    for name in (
        "plan_annual_review",
        "plan_amend",
        "plan_correct",
        "plan_exit",
        "plan_transition",
    ):
        assert url(name, plan) in page
    teacher = world.client_for("teacher").get(url("plan_detail", plan))
    assert teacher.status_code == 200
    for name in ("plan_annual_review", "plan_amend", "plan_correct", "plan_exit"):
        assert url(name, plan) not in teacher.content.decode()


def test_buttons_follow_the_status(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    client.post(url("plan_annual_review", plan), {"meeting_date": ""})
    draft = Plan.objects.get(based_on=plan)
    page = client.get(url("plan_detail", plan)).content.decode()
    assert url("plan_annual_review", plan) not in page  # one draft at a time
    assert "Open the draft" in page
    draft_page = client.get(url("plan_detail", draft)).content.decode()
    assert url("plan_amend", draft) not in draft_page
    assert url("plan_exit", draft) not in draft_page


# --- personas for every view ------------------------------------------------------------------

VIEWS = ("plan_annual_review", "plan_amend", "plan_correct", "plan_exit", "plan_transition")


@pytest.mark.parametrize("name", VIEWS)
def test_case_manager_opens_every_page(world, name) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    response = world.client_for("case_manager").get(url(name, plan))
    assert response.status_code == 200
    assert b"<h1>" in response.content


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("persona", ["teacher", "parent"])
def test_readers_get_403_and_nothing_changes(world, name, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for(persona)
    before = (Plan.objects.count(), PlanVersion.objects.count(), plan.status)
    assert client.get(url(name, plan)).status_code == 403
    post = {
        "meeting_date": "",
        "with_meeting": "yes",
        "reason": "x",
        "exit_date": clock.today().isoformat(),
        "step": "to504",
        "to504-exit_date": clock.today().isoformat(),
    }
    assert client.post(url(name, plan), post).status_code == 403
    plan.refresh_from_db()
    assert (Plan.objects.count(), PlanVersion.objects.count(), plan.status) == before


@pytest.mark.parametrize("name", VIEWS)
@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404(world, name, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for(persona)
    assert client.get(url(name, plan)).status_code == 404
    assert client.post(url(name, plan), {}).status_code == 404
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_anonymous_is_sent_to_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    response = world.client_for("anonymous").get(url("plan_amend", plan))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- annual review ----------------------------------------------------------------------------


def test_annual_review_prefills_the_draft_in_one_submission(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    meeting = plan.annual_review_due - timedelta(days=7)
    response = client.post(url("plan_annual_review", plan), {"meeting_date": meeting.isoformat()})
    draft = Plan.objects.get(based_on=plan)
    assert response.status_code == 302
    try:
        expected = reverse("plan_edit", kwargs={"plan_id": draft.public_id})
    except Exception:
        expected = url("plan_detail", draft)
    assert response["Location"] == expected
    assert draft.status == PlanStatus.DRAFT
    assert draft.meeting_date == meeting
    assert set(draft.sections.values_list("key", flat=True)) == {
        "plaafp",
        "strengths",
        "lre",
        "special_factors",
        "progress_reporting",
        "assessments",
    }
    # Goals, services and accommodations carry over with their lineage (and so their progress).
    for rel in ("goals", "services", "accommodations"):
        old = set(getattr(plan, rel).values_list("lineage", flat=True))
        assert old and old == set(getattr(draft, rel).values_list("lineage", flat=True))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE  # in effect until the review is finalized
    assert AuditEvent.objects.filter(action="plan.annual_review_started").count() == 1


def test_annual_review_without_a_meeting_date_and_a_second_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    assert client.post(url("plan_annual_review", plan), {}).status_code == 302
    again = client.post(url("plan_annual_review", plan), {})
    assert again.status_code == 200
    assert "already has a draft" in again.content.decode()
    assert Plan.objects.filter(based_on=plan).count() == 1


def test_annual_review_bad_date_names_the_field(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    response = world.client_for("case_manager").post(
        url("plan_annual_review", plan), {"meeting_date": "31/31/2025"}
    )
    assert response.status_code == 200
    assert "Date of the annual review meeting" in response.content.decode()
    assert not Plan.objects.filter(based_on=plan).exists()


# --- amendment --------------------------------------------------------------------------------


def test_amend_without_meeting_changes_everything_in_one_form(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    due = plan.annual_review_due
    data = page_data(client.get(url("plan_amend", plan)))
    speech = plan.services.get()
    goal = plan.goals.get()
    extended = plan.accommodations.get()
    data.update(
        {
            "with_meeting": "no",
            "parent_agreement_date": clock.today().isoformat(),
            "reason": "More speech practice; headphones for noise.",
            "section__strengths__text": "Maya is curious, kind and persistent.",
            "services-0-times": "3",
            "goals-0-DELETE": "on",
            "goals-1-area": "Writing",
            "goals-1-text": "By June 2026, Maya will write a 5-sentence paragraph scoring 3 of 4 "
            "on the district rubric in 4 of 5 samples.",
            "accommodations-1-kind": "accommodation",
            "accommodations-1-category": "setting",
            "accommodations-1-text": "Noise-reducing headphones during independent work",
            "accommodations-1-applies_to": ["classroom"],
        }
    )
    response = client.post(url("plan_amend", plan), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan.refresh_from_db()
    version = plan.current_version
    assert (version.number, version.kind) == (2, VersionKind.AMENDMENT)
    assert version.amended_without_meeting
    assert version.parent_agreement_date == clock.today()
    assert version.reason == "More speech practice; headphones for noise."
    assert plan.annual_review_due == due  # the date does not move
    assert plan.services.get(pk=speech.pk).times == 3
    assert not plan.goals.filter(pk=goal.pk).exists()
    assert plan.goals.get().area == "Writing"
    assert plan.accommodations.filter(pk=extended.pk).exists()
    assert plan.accommodations.count() == 2
    assert plan.sections.get(key="strengths").content == {
        "text": "Maya is curious, kind and persistent."
    }
    assert AuditEvent.objects.filter(action="plan.amended").count() == 1


def test_amend_with_meeting_needs_no_agreement_date(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_amend", plan)))
    data.update({"with_meeting": "yes", "services-0-minutes": "45"})
    assert client.post(url("plan_amend", plan), data).status_code == 302
    version = PlanVersion.objects.get(plan=plan, number=2)
    assert not version.amended_without_meeting
    assert version.parent_agreement_date is None


def test_amend_without_meeting_and_without_agreement_date_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_amend", plan)))
    data.update({"with_meeting": "no", "parent_agreement_date": "", "services-0-times": "3"})
    response = client.post(url("plan_amend", plan), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Date of the parent&#x27;s written agreement" in page
    assert "needs the date of the parent" in page
    assert 'href="#id_parent_agreement_date"' in page
    assert PlanVersion.objects.filter(plan=plan).count() == 1
    assert plan.services.get().times == 2


def test_amend_refusals_from_the_check_name_the_row_and_change_nothing(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_amend", plan)))
    # Remove the only goal and blank the present levels: the plan would no longer be complete.
    data.update({"goals-0-DELETE": "on", "section__plaafp__text": ""})
    response = client.post(url("plan_amend", plan), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "at least one measurable annual goal" in page
    assert "present levels (PLAAFP) section is missing" in page
    assert 'href="#id_section__plaafp__text"' in page
    assert plan.goals.count() == 1
    assert PlanSection.objects.get(plan=plan, key="plaafp").content["text"].startswith("Maya")
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_amend_bad_row_names_the_field(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_amend", plan)))
    start = plan.services.get().start_date
    data.update(
        {
            "with_meeting": "yes",
            "services-0-end_date": (start - timedelta(days=1)).isoformat(),
            "accommodations-1-kind": "accommodation",
            "accommodations-1-category": "content",
            "accommodations-1-text": "Fewer problems on each page",
            "accommodations-1-applies_to": ["classroom"],
        }
    )
    response = client.post(url("plan_amend", plan), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The service ends before it starts." in page
    assert "modification" in page
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_amend_with_no_change_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_amend", plan)))
    response = client.post(url("plan_amend", plan), data)
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_amend_a_draft_goes_back_to_the_plan(world) -> None:  # type: ignore[no-untyped-def]
    plan = actions_drafts.create_draft(
        actor=world.users["case_manager"], student=world.maya, kind="iep", today=date(2025, 9, 1)
    )
    response = world.client_for("case_manager").get(url("plan_amend", plan))
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan)


def test_amend_page_queries_do_not_grow_with_items(world, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    client.get(url("plan_amend", plan))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url("plan_amend", plan)).status_code == 200
    more = actions_common.Changes(
        add_services=[
            {
                **{k: getattr(plan.services.get(), k) for k in actions_common.SERVICE_FIELDS},
                "name": f"S{n}",
            }
            for n in range(8)
        ],
        add_goals=[{"area": f"Area {n}", "text": GOAL} for n in range(8)],
    )
    actions_versions.amend_plan(
        actor=world.users["case_manager"],
        plan=plan,
        changes=more,
        with_meeting=True,
        parent_agreement_date=None,
        today=clock.today(),
    )
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url("plan_amend", plan)).status_code == 200


# --- correction -------------------------------------------------------------------------------


def test_correct_a_typo_in_one_step(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    goal = plan.goals.get()
    listing = client.get(url("plan_correct", plan)).content.decode()
    assert f"target=goal%3A{goal.public_id}" in listing
    target = f"goal:{goal.public_id}"
    form = client.get(url("plan_correct", plan), {"target": target})
    data = page_data(form)
    data.update(
        {"fix-text": GOAL.replace("Maya will", "Maya wil").replace("wil", "will"), "why-reason": ""}
    )
    data["fix-text"] = GOAL.replace("will read", "will read aloud")
    refused = client.post(url("plan_correct", plan), data)
    assert refused.status_code == 200
    assert "Say what the correction fixes." in refused.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 1

    data["why-reason"] = "The goal left out that Maya reads aloud."
    response = client.post(url("plan_correct", plan), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    version = plan.current_version
    assert (version.number, version.kind) == (2, VersionKind.CORRECTION)
    assert version.reason == "The goal left out that Maya reads aloud."
    assert plan.goals.get().text == GOAL.replace("will read", "will read aloud")
    event = AuditEvent.objects.get(action="plan.corrected")
    assert event.detail["reason"] == version.reason


def test_correct_a_wrong_date(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_correct", plan), {"target": "dates"}))
    new_meeting = plan.meeting_date - timedelta(days=1)
    data.update({"fix-meeting_date": new_meeting.isoformat(), "why-reason": "Wrong meeting date"})
    # Only to the date the meetings record shows.
    refused = client.post(url("plan_correct", plan), data)
    assert refused.status_code == 200 and "shows no meeting" in refused.content.decode()
    held = timezone.make_aware(datetime.combine(new_meeting, time(15)))
    Meeting.objects.create(
        student=world.maya,
        kind="annual_review",
        status="held",
        starts_at=held,
        ends_at=held + timedelta(hours=1),
        held_at=held,
        place_details="Room 4",
        created_by=world.users["case_manager"],
    )
    assert client.post(url("plan_correct", plan), data).status_code == 302
    plan.refresh_from_db()
    assert plan.meeting_date == new_meeting
    assert plan.current_version.kind == VersionKind.CORRECTION


def test_correct_a_section(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_correct", plan), {"target": "section:strengths"}))
    data.update({"fix-section__strengths__text": "Maya is curious and kind!", "why-reason": "Typo"})
    assert client.post(url("plan_correct", plan), data).status_code == 302
    assert plan.sections.get(key="strengths").content["text"] == "Maya is curious and kind!"


def test_correct_unknown_target_is_404(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    other = active_plan(world, student=world.leo, actor=world.users["director"])
    client = world.client_for("director")
    goal = other.goals.get()
    assert (
        client.get(url("plan_correct", plan), {"target": f"goal:{goal.public_id}"}).status_code
        == 404
    )
    assert client.get(url("plan_correct", plan), {"target": "goal:nonsense"}).status_code == 404
    assert client.get(url("plan_correct", plan), {"target": "section:esy"}).status_code == 404


def test_correct_with_nothing_changed_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    data = page_data(client.get(url("plan_correct", plan), {"target": "dates"}))
    data["why-reason"] = "Nothing really"
    response = client.post(url("plan_correct", plan), data)
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 1
