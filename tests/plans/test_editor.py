"""Writing a draft in the browser: who may, autosave, conflicts, services, accommodations, finalizing."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.plans import actions_drafts
from tandem.plans.forms_editor import compute_lre, merge_text, wording_warnings
from tandem.plans.models import Accommodation, Plan, PlanKind, PlanSection, PlanStatus, Service
from tests.plans.test_pages import SPEECH, draft_plan

HX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, plan: Plan, *args: object) -> str:
    return reverse(name, args=[plan.public_id, *args])


def _section(plan: Plan, key: str) -> PlanSection | None:
    return PlanSection.objects.filter(plan=plan, key=key).first()


# --- who may write ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("plan_edit", ()),
        ("plan_section_edit", ("plaafp",)),
        ("plan_service_add", ()),
        ("plan_accommodation_add", ()),
        ("plan_prefinalize", ()),
    ],
)
def test_pages_by_persona(world, name, args) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    url = _url(name, plan, *args)
    assert world.client_for("case_manager").get(url).status_code == 200
    assert world.client_for("teacher").get(url).status_code == 403
    assert world.client_for("parent").get(url).status_code == 403
    assert world.client_for("stranger").get(url).status_code == 404
    assert world.client_for("oak_director").get(url).status_code == 404
    assert world.client_for("anonymous").get(url).status_code == 302


def test_read_only_and_outsiders_change_nothing(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    url = _url("plan_section_edit", plan, "plaafp")
    before = _section(plan, "plaafp").content  # type: ignore[union-attr]
    for persona, status in (("teacher", 403), ("parent", 403), ("stranger", 404)):
        response = world.client_for(persona).post(url, {"revision": 1, "text": "overwritten"})
        assert response.status_code == status
    assert _section(plan, "plaafp").content == before  # type: ignore[union-attr]
    services = plan.services.count()
    response = world.client_for("teacher").post(_url("plan_service_add", plan), {**SPEECH})
    assert response.status_code == 403
    assert plan.services.count() == services


def test_start_a_draft_from_the_student_page(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    page = client.get(reverse("student", args=[world.maya.public_id])).content.decode()
    assert "Start a draft IEP" in page
    new = reverse("plan_new", args=[world.maya.public_id])
    response = client.post(new, {"kind": "iep", "meeting_date": "2025-09-10"})
    plan = Plan.objects.get(student=world.maya, kind=PlanKind.IEP)
    assert response.status_code == 302 and response["Location"] == _url("plan_edit", plan)
    assert AuditEvent.objects.filter(action="plan.draft_created").exists()
    again = client.post(new, {"kind": "iep"})
    assert again.status_code == 400  # refused, naming the field; nothing created
    assert "already has a draft of this kind" in again.content.decode()
    assert Plan.objects.filter(student=world.maya, kind=PlanKind.IEP).count() == 1
    page = client.get(reverse("student", args=[world.maya.public_id])).content.decode()
    assert "Continue writing the draft IEP" in page
    assert world.client_for("teacher").get(new).status_code == 403
    teacher_page = world.client_for("teacher").get(reverse("student", args=[world.maya.public_id]))
    assert "Start a draft" not in teacher_page.content.decode()


def test_editor_home_lists_everything(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    page = client.get(_url("plan_edit", plan)).content.decode()
    for words in (
        "Present levels (PLAAFP)",
        "Transition",
        "Speech-language therapy",
        "Extended time",
        "Shorter reading passages",
        "Federal educational environment: RC80",
        "Written",
        "Empty",
    ):
        assert words in page, words
    assert "Impairment and major life activities" not in page
    for n in range(8):
        actions_drafts.add_service(
            actor=world.users["case_manager"], plan=plan, data={**SPEECH, "name": f"S{n}"}
        )
    with django_assert_max_num_queries(20):
        assert client.get(_url("plan_edit", plan)).status_code == 200


# --- sections ---------------------------------------------------------------------------------


def test_autosave_round_trip(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    PlanSection.objects.filter(plan=plan, key="special_factors").delete()  # start unwritten
    client = world.client_for("case_manager")
    url = _url("plan_section_edit", plan, "special_factors")
    page = client.get(url).content.decode()
    assert 'hx-trigger="tandem:save"' in page and 'name="revision"' in page
    response = client.post(
        url,
        {"revision": 0, "behavior": "yes", "behavior_notes": "Check-in/check-out plan", "text": ""},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in body and 'value="1"' in body and 'hx-swap-oob="true"' in body
    section = _section(plan, "special_factors")
    assert section.revision == 1  # type: ignore[union-attr]
    assert section.content == {"behavior": "yes", "behavior_notes": "Check-in/check-out plan"}  # type: ignore[union-attr]
    # The next autosave carries the new revision.
    response = client.post(url, {"revision": 1, "behavior": "yes", "english": "no"}, **HX)
    assert "Saved at" in response.content.decode()
    assert _section(plan, "special_factors").revision == 2  # type: ignore[union-attr]
    # Shown in the document with its labels.
    detail = client.get(reverse("plan_detail", args=[plan.public_id])).content.decode()
    assert "Behavior that impedes learning" in detail


def test_without_javascript_the_form_saves_and_redirects(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    url = _url("plan_section_edit", plan, "transition")
    response = client.post(
        url, {"revision": 0, "education": "Community college", "employment": "Veterinary assistant"}
    )
    assert response.status_code == 302 and "saved=1" in response["Location"]
    assert _section(plan, "transition").content["education"] == "Community college"  # type: ignore[union-attr]
    page = client.get(url).content.decode()
    assert "Community college" in page


def test_stale_edit_returns_the_conflict_and_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    url = _url("plan_section_edit", plan, "plaafp")
    # The principal saved revision 2 meanwhile.
    actions_drafts.save_section(
        actor=world.users["principal"],
        plan=plan,
        key="plaafp",
        content={"text": "Maya reads 60 words per minute. Testing in October: average reasoning."},
        expected_revision=1,
    )
    client = world.client_for("case_manager")
    response = client.post(
        url, {"revision": 1, "text": "Maya reads 60 words per minute. She likes comics."}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#conflict-region"
    assert "Paul" in body
    assert "She likes comics." in body and "average reasoning" in body
    assert "Keep mine" in body and "Keep theirs" in body and 'name="merged-text"' in body
    section = _section(plan, "plaafp")
    assert section.revision == 2  # type: ignore[union-attr]
    assert "comics" not in section.content["text"]  # type: ignore[union-attr]
    # Without htmx: the whole page with the conflict, status 409.
    page = client.post(url, {"revision": 1, "text": "Mine again"})
    assert page.status_code == 409 and "Someone else saved this section" in page.content.decode()


def test_keep_mine_saves_over_theirs_explicitly(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    actions_drafts.save_section(
        actor=world.users["principal"],
        plan=plan,
        key="plaafp",
        content={"text": "Theirs"},
        expected_revision=1,
    )
    client = world.client_for("case_manager")
    url = _url("plan_section_edit", plan, "plaafp")
    response = client.post(
        url,
        {
            "resolve": "1",
            "revision": "2",
            "all": "mine",
            "mine-text": json.dumps("Mine"),
            "theirs-text": json.dumps("Theirs"),
        },
    )
    assert response.status_code == 302
    section = _section(plan, "plaafp")
    assert section.content == {"text": "Mine"} and section.revision == 3  # type: ignore[union-attr]
    assert section.updated_by == world.users["case_manager"]  # type: ignore[union-attr]
    # A merged choice per field.
    response = client.post(
        url,
        {
            "resolve": "1",
            "revision": "3",
            "choice-text": "merged",
            "merged-text": "Mine and theirs",
            "mine-text": json.dumps("Mine"),
            "theirs-text": json.dumps("Theirs"),
        },
    )
    assert _section(plan, "plaafp").content == {"text": "Mine and theirs"}  # type: ignore[union-attr]
    # Keep theirs writes nothing.
    response = client.post(url, {"resolve": "1", "revision": "4", "all": "theirs"})
    assert response.status_code == 302 and "discard=1" in response["Location"]
    assert _section(plan, "plaafp").revision == 4  # type: ignore[union-attr]
    # Resolving against a revision someone else moved on from is another conflict, not an
    # overwrite (revision 2 onward: the principal's save, then only this user's own saves).
    response = client.post(
        url, {"resolve": "1", "revision": "1", "all": "mine", "mine-text": json.dumps("Old")}
    )
    assert response.status_code == 409
    assert _section(plan, "plaafp").content == {"text": "Mine and theirs"}  # type: ignore[union-attr]


def test_merge_prefill() -> None:
    assert merge_text("Reads well. Likes comics.", "Reads well.") == "Reads well. Likes comics."
    assert (
        merge_text("Reads well.", "Reads well. Average reasoning.")
        == "Reads well. Average reasoning."
    )
    both = merge_text("Mine only", "Theirs only")
    assert "Mine only" in both and "Theirs only" in both


def test_poll_warns_when_someone_else_saved(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    status = _url("plan_section_status", plan, "plaafp")
    assert "saved this section" not in client.get(status, {"revision": 1}).content.decode()
    actions_drafts.save_section(
        actor=world.users["principal"],
        plan=plan,
        key="plaafp",
        content={"text": "New"},
        expected_revision=1,
    )
    with django_assert_max_num_queries(12):
        body = client.get(status, {"revision": 1}).content.decode()
    assert "Paul" in body and "saved this section" in body
    assert world.client_for("stranger").get(status).status_code == 404
    assert world.client_for("teacher").get(status).status_code == 403


def test_504_impairment_prefills_from_the_eligibility_decision(world) -> None:  # type: ignore[no-untyped-def]
    from tandem.referrals.models import EligibilityDecision, Referral

    actor = world.users["case_manager"]
    referral = Referral.objects.create(
        student=world.maya,
        source="parent",
        received_on=date(2025, 8, 20),
        areas_of_concern=["attention"],
        description="Trouble focusing",
        created_by=actor,
    )
    EligibilityDecision.objects.create(
        referral=referral,
        student=world.maya,
        decided_on=date(2025, 9, 1),
        outcome="section_504",
        impairment="ADHD, diagnosed by the family's physician",
        major_life_activities=["concentrating"],
        substantial_limitation=True,
        decided_by=actor,
    )
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.SECTION_504, today=date(2025, 9, 1)
    )
    page = world.client_for("case_manager").get(
        _url("plan_section_edit", plan, "section_504_impairment")
    )
    body = page.content.decode()
    assert "Filled in from the eligibility decision" in body
    assert "ADHD, diagnosed by the family" in body
    assert (
        'value="concentrating" class="usa-checkbox__input" id="id_major_life_activities_' in body
        or ('value="concentrating"' in body and "checked" in body)
    )


def test_504_sections_and_fields(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.SECTION_504, today=date(2025, 9, 1)
    )
    client = world.client_for("case_manager")
    home = client.get(_url("plan_edit", plan)).content.decode()
    assert "Impairment and major life activities" in home and "Review date" in home
    assert "Present levels (PLAAFP)" not in home
    assert client.get(_url("plan_section_edit", plan, "plaafp")).status_code == 404
    url = _url("plan_section_edit", plan, "section_504_impairment")
    response = client.post(
        url,
        {
            "revision": 0,
            "impairment": "ADHD",
            "major_life_activities": ["concentrating", "learning"],
        },
        **HX,
    )
    assert "Saved at" in response.content.decode()
    content = _section(plan, "section_504_impairment").content  # type: ignore[union-attr]
    assert content == {"impairment": "ADHD", "major_life_activities": ["concentrating", "learning"]}
    detail = client.get(reverse("plan_detail", args=[plan.public_id])).content.decode()
    assert "Concentrating" in detail and "Physical or mental impairment" in detail
    # 504 settings for accommodations.
    add = client.get(_url("plan_accommodation_add", plan)).content.decode()
    assert "Transportation" in add and "Health and medical" in add


# --- services ---------------------------------------------------------------------------------


def _service_post(**over: object) -> dict[str, object]:
    data = {
        "category": "related",
        "name": "Occupational therapy",
        "minutes": "30",
        "times": "1",
        "per": "week",
        "setting": "OT room",
        "start_date": "2025-09-10",
        "end_date": "2026-06-12",
        "provider_role": "Occupational therapist",
        "delivery_mode": "in_person",
        "group_size": "individual",
    }
    data.update({k: str(v) for k, v in over.items()})
    return data


def test_service_add_edit_remove(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    plan.refresh_from_db()
    client = world.client_for("case_manager")
    response = client.post(
        _url("plan_service_add", plan), _service_post(lock_version=plan.lock_version)
    )
    assert response.status_code == 302
    service = plan.services.get(name="Occupational therapy")
    plan.refresh_from_db()
    response = client.post(
        _url("plan_service_edit", plan, service.public_id),
        _service_post(times=2, lock_version=plan.lock_version),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.times == 2
    plan.refresh_from_db()
    response = client.post(
        _url("plan_service_remove", plan, service.public_id), {"lock_version": plan.lock_version}
    )
    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()


@pytest.mark.parametrize(
    "over,field,message",
    [
        ({"minutes": ""}, "minutes", "how many minutes"),
        ({"times": ""}, "times", "how many times"),
        ({"per": ""}, "per", "per day, week or month"),
        ({"end_date": "2025-09-01"}, "end_date", "ends before it starts"),
        ({"minutes": "0"}, "minutes", "greater than or equal to 1"),
    ],
)
def test_bad_service_input_names_the_field(world, over, field, message) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    count = plan.services.count()
    response = world.client_for("case_manager").post(
        _url("plan_service_add", plan), _service_post(**over)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}-error"' in body and message in body
    assert plan.services.count() == count


def test_stale_lock_refuses_a_service_change(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    plan.refresh_from_db()
    old = plan.lock_version
    actions_drafts.add_service(
        actor=world.users["principal"], plan=plan, data={**SPEECH, "name": "Other"}
    )
    response = world.client_for("case_manager").post(
        _url("plan_service_add", plan), _service_post(lock_version=old)
    )
    assert response.status_code == 400 and "Someone else changed" in response.content.decode()
    assert not plan.services.filter(name="Occupational therapy").exists()


# --- accommodations ---------------------------------------------------------------------------


def test_library_picker_and_tailoring(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    results = client.get(_url("plan_accommodation_library", plan), {"q": "extended time"})
    body = results.content.decode()
    assert results.status_code == 200 and "code=extended-time" in body
    by_category = client.get(
        _url("plan_accommodation_library", plan), {"category": "setting"}
    ).content.decode()
    assert "Use this" in by_category
    prefilled = client.get(
        _url("plan_accommodation_add", plan), {"code": "extended-time"}
    ).content.decode()
    assert "Extended time" in prefilled
    response = client.post(
        _url("plan_accommodation_add", plan),
        {
            "kind": "accommodation",
            "category": "timing_scheduling",
            "text": "Extended time (1.5x) on tests and quizzes",
            "applies_to": ["tests", "state_assessments"],
            "frequency_condition": "On every test and quiz",
            "provider_role": "General education teacher",
        },
    )
    assert response.status_code == 302
    assert plan.accommodations.filter(text__contains="quizzes").exists()
    assert (
        world.client_for("teacher").get(_url("plan_accommodation_library", plan)).status_code == 403
    )


def test_modification_filed_as_accommodation_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    count = plan.accommodations.count()
    response = world.client_for("case_manager").post(
        _url("plan_accommodation_add", plan),
        {
            "kind": "accommodation",
            "category": "content",
            "text": "Reduced content",
            "applies_to": ["classroom"],
        },
    )
    assert response.status_code == 400
    assert "Content and expectations are changed by a modification" in response.content.decode()
    assert plan.accommodations.count() == count


def test_vague_wording_is_a_warning(world) -> None:  # type: ignore[no-untyped-def]
    assert wording_warnings(
        kind="accommodation", text="Breaks as needed", frequency_condition="", provider_role=""
    )
    assert not wording_warnings(
        kind="accommodation",
        text="Breaks as needed",
        frequency_condition="When the student shows the break card, up to 3 a day",
        provider_role="Classroom teacher",
    )
    # The one vagueness check (tandem.rules.vagueness): its words, and wording that names who asks.
    assert wording_warnings(
        kind="accommodation", text="Breaks when requested", frequency_condition="", provider_role=""
    )
    assert not wording_warnings(
        kind="accommodation",
        text="Breaks as needed, when the student shows the break card",
        frequency_condition="",
        provider_role="",
    )
    assert wording_warnings(
        kind="accommodation",
        text="Fewer problems to complete",
        frequency_condition="x",
        provider_role="y",
    )
    plan = draft_plan(world)
    response = world.client_for("case_manager").post(
        _url("plan_accommodation_add", plan),
        {
            "kind": "accommodation",
            "category": "setting",
            "text": "Breaks as needed",
            "applies_to": ["classroom"],
        },
    )
    assert response.status_code == 302  # saved, and the edit page shows the warning
    page = world.client_for("case_manager").get(response["Location"]).content.decode()
    assert "is vague without who provides it and when" in page
    item = Accommodation.objects.get(plan=plan, text="Breaks as needed")
    remove = _url("plan_accommodation_remove", plan, item.public_id)
    assert world.client_for("teacher").post(remove).status_code == 403
    assert world.client_for("case_manager").post(remove).status_code == 302
    assert not Accommodation.objects.filter(pk=item.pk).exists()


# --- LRE ----------------------------------------------------------------------------------------


def test_lre_from_services(world) -> None:  # type: ignore[no-untyped-def]
    services = [
        {
            "name": "Resource",
            "category": "special_education",
            "minutes": 60,
            "times": 5,
            "per": "week",
            "setting": "Resource room",
        },
        {
            "name": "Co-taught",
            "category": "special_education",
            "minutes": 60,
            "times": 5,
            "per": "week",
            "setting": "General education classroom",
        },
        {"name": "No frequency", "category": "related"},
    ]
    reading = compute_lre(services, district=world.riverside)
    assert reading.ok and reading.percent == 83 and reading.category == "RC80"
    assert reading.not_counted == ("No frequency",)
    separate = compute_lre(services, district=world.riverside, placement="SS")
    assert separate.category == "SS"


# --- finalizing -------------------------------------------------------------------------------


def test_prefinalize_lists_problems_with_links_and_blocks(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.IEP, today=date(2025, 9, 1)
    )
    actions_drafts.add_service(
        actor=actor, plan=plan, data={"category": "related", "name": "Counseling"}
    )
    client = world.client_for("case_manager")
    response = client.get(_url("plan_prefinalize", plan))
    body = response.content.decode()
    assert "The meeting date is missing." in body
    assert _url("plan_section_edit", plan, "plaafp") in body
    assert "Counseling has no frequency or duration" in body
    service = plan.services.get()
    assert _url("plan_service_edit", plan, service.public_id) in body
    assert "Finalizing is blocked" in body and 'action="' + _url("plan_finalize", plan) not in body
    response = client.post(_url("plan_finalize", plan), {"effective_from": "2025-09-15"})
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_finalize(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    page = client.get(_url("plan_prefinalize", plan)).content.decode()
    assert "Nothing is missing" in page
    assert (
        world.client_for("teacher")
        .post(_url("plan_finalize", plan), {"effective_from": "2025-09-15"})
        .status_code
        == 403
    )
    missing = client.post(_url("plan_finalize", plan), {"effective_from": ""})
    assert (
        missing.status_code == 400
        and "Give the date the plan takes effect." in missing.content.decode()
    )
    early = client.post(_url("plan_finalize", plan), {"effective_from": "2025-09-01"})
    assert early.status_code == 400 and "before its meeting" in early.content.decode()
    response = client.post(_url("plan_finalize", plan), {"effective_from": "2025-09-15"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.current_version.number == 1  # type: ignore[union-attr]
    # The editor is closed once the plan is in effect.
    assert client.get(_url("plan_edit", plan)).status_code == 302
    assert (
        client.post(
            _url("plan_section_edit", plan, "plaafp"), {"revision": 1, "text": "x"}
        ).status_code
        == 302
    )


def test_dates_form(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    later = clock.today() + timedelta(days=30)
    response = client.post(
        _url("plan_edit", plan), {"meeting_date": later.isoformat(), "effective_to": ""}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.meeting_date == later
    bad = client.post(_url("plan_edit", plan), {"meeting_date": "not a date"})
    assert bad.status_code == 400 and 'id="id_meeting_date-error"' in bad.content.decode()


def test_plan_page_links_to_the_editor_and_shows_the_lre(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    detail = reverse("plan_detail", args=[plan.public_id])
    page = world.client_for("case_manager").get(detail).content.decode()
    assert _url("plan_edit", plan) in page and _url("plan_prefinalize", plan) in page
    assert "Time in general education" in page and "RC80" in page
    teacher = world.client_for("teacher").get(detail).content.decode()
    assert _url("plan_edit", plan) not in teacher
    pdf = world.client_for("case_manager").get(reverse("plan_pdf", args=[plan.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
