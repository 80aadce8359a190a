"""Reevaluation (34 CFR 300.303, 300.300(c); 34 CFR 104.35(d)): the rules, the deadlines, the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.referrals import actions, queries, reevaluations
from tandem.referrals.models import (
    AgreementKind,
    AreaOfConcern,
    AssessmentArea,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    ConsentResponse,
    Deadline,
    DeadlineBasis,
    DeadlineKind,
    DisabilityCategory,
    EligibilityOutcome,
    NoticeAction,
    PriorWrittenNotice,
    Purpose,
    ReevaluationAgreement,
    ReevaluationKind,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.rules import deadlines as engine
from tests.referrals.conftest import notice_content

DECIDED = date(2026, 1, 12)


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def _evaluate_and_decide(world, cm, referral, *, decided_on=DECIDED, category=None):
    psych = world.users["psych"]
    plan = actions.plan_assessments(actor=cm, referral=referral, created_on=referral.received_on)
    assessment = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=psych.staff,
        due_on=decided_on,
    )
    actions.complete_assessment(
        actor=psych, assessment=assessment, completed_on=decided_on, summary="Results."
    )
    actions.complete_evaluation_report(
        actor=cm, referral=referral, completed_on=decided_on, summary="Findings."
    )
    return actions.decide_eligibility(
        actor=cm,
        referral=referral,
        decided_on=decided_on,
        outcome=EligibilityOutcome.IEP,
        team_present=[cm.staff, psych.staff],
        parent_present=True,
        primary_category=category or DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        has_disability=True,
        adverse_effect=True,
        needs_sdi=True,
    )


@pytest.fixture
def eligible(world, cm, evaluating_referral):
    """Maya, found eligible for an IEP on 12 January 2026 (CA rules)."""
    return _evaluate_and_decide(world, cm, evaluating_referral)


def _start(cm, student, **changes):
    values = {
        "actor": cm,
        "student": student,
        "kind": ReevaluationKind.TRIENNIAL,
        "requested_on": date(2028, 11, 1),
        "requested_by": "IEP team",
        "areas_of_concern": [AreaOfConcern.READING],
        "description": "Triennial reevaluation.",
    }
    values.update(changes)
    return reevaluations.start_reevaluation(**values)


def _agreement(**changes):
    values = {
        "parent_name": "Grace Lopez",
        "parent_agreed_on": date(2028, 10, 1),
        "district_name": "Casey Manager",
        "district_agreed_on": date(2028, 10, 3),
        "note": "Current data show the needs.",
    }
    values.update(changes)
    return reevaluations.Agreement(**values)


# --- deadlines stored at the eligibility decision -----------------------------------------------


def test_an_iep_decision_stores_the_triennial_and_the_earliest_date(world, eligible):
    profile = engine.load_profile("CA")
    expected = engine.compute(engine.Rule.REEVALUATION, profile, DECIDED)
    triennial = Deadline.objects.get(student=world.maya, kind=DeadlineKind.REEVALUATION)
    assert triennial.due_on == date(2029, 1, 12) == expected.due
    assert triennial.citation == expected.citation and "300.303(b)(2)" in triennial.citation
    assert triennial.status_basis == DeadlineBasis.DUE
    assert triennial.source_id == str(eligible.public_id)

    earliest = queries.reevaluation_not_before(world.maya)
    assert earliest.due_on == date(2027, 1, 12)
    assert earliest.citation == "34 CFR 300.303(b)(1)"
    # An earliest date is never "overdue".
    assert earliest.status_basis == DeadlineBasis.EARLIEST
    assert queries.deadline_status(earliest, date(2030, 1, 1)) == "not_applicable"


def test_pennsylvania_reevaluates_intellectual_disability_every_two_years(
    world, cm, evaluating_referral
):
    world.riverside.state = "PA"
    world.riverside.save()
    _evaluate_and_decide(
        world, cm, evaluating_referral, category=DisabilityCategory.INTELLECTUAL_DISABILITY
    )
    triennial = Deadline.objects.get(student=world.maya, kind=DeadlineKind.REEVALUATION)
    assert triennial.due_on == date(2028, 1, 12)
    assert triennial.citation.startswith("22 Pa. Code 14.124(c)")
    assert "intellectual disability" in triennial.explanation


def test_a_504_decision_stores_the_periodic_reevaluation(world, section_504):
    deadline = Deadline.objects.get(student=world.leo)
    assert deadline.kind == DeadlineKind.SECTION_504_REEVALUATION
    assert deadline.due_on == date(2028, 9, 19)
    assert deadline.citation == "34 CFR 104.35(d)"
    assert queries.reevaluation_not_before(world.leo) is None


# --- once a year (300.303(b)(1)) ----------------------------------------------------------------


def test_a_reevaluation_within_a_year_is_refused_naming_the_earliest_date(world, cm, eligible):
    with pytest.raises(ValidationError) as excinfo:
        _start(cm, world.maya, requested_on=date(2026, 6, 1))
    message = _errors(excinfo)["requested_on"][0]
    assert "Not more than once a year" in message
    assert "2027-01-12" in message and "34 CFR 300.303(b)(1)" in message
    assert "refuse the parent" not in message
    assert not Referral.objects.filter(purpose=Purpose.REEVALUATION).exists()


def test_within_a_year_with_the_agreement_of_parent_and_district(world, cm, eligible):
    referral = _start(
        cm,
        world.maya,
        kind=ReevaluationKind.TEACHER_REQUEST,
        requested_on=date(2026, 6, 1),
        early_agreement=_agreement(
            parent_agreed_on=date(2026, 5, 28), district_agreed_on=date(2026, 5, 29)
        ),
    )
    assert referral.purpose == Purpose.REEVALUATION and referral.status == ReferralStatus.OPEN
    assert referral.source == ReferralSource.TEACHER and referral.track == Track.IEP
    agreement = ReevaluationAgreement.objects.get()
    assert agreement.kind == AgreementKind.EARLY and agreement.referral == referral
    assert agreement.agreed_on == date(2026, 5, 29)


def test_an_agreement_is_not_taken_when_none_is_needed(world, cm, eligible):
    with pytest.raises(ValidationError) as excinfo:
        _start(cm, world.maya, early_agreement=_agreement())
    assert "No agreement is needed" in _errors(excinfo)["parent_name"][0]


def test_a_parent_request_within_a_year_is_refused_with_prior_written_notice(world, cm, eligible):
    with pytest.raises(ValidationError) as excinfo:
        _start(cm, world.maya, kind=ReevaluationKind.PARENT_REQUEST, requested_on=date(2026, 6, 1))
    assert (
        "Or refuse the parent's request with prior written notice."
        in (_errors(excinfo)["requested_on"][0])
    )
    referral = _start(
        cm,
        world.maya,
        kind=ReevaluationKind.PARENT_REQUEST,
        requested_on=date(2026, 6, 1),
        requested_by="Grace Lopez",
        refusal=notice_content(action_described="The district refuses to reevaluate now."),
    )
    assert referral.status == ReferralStatus.CLOSED
    assert "2027-01-12" in referral.closed_reason
    notice = PriorWrittenNotice.objects.get(referral=referral)
    assert notice.action == NoticeAction.REFUSES and notice.issued_on == date(2026, 6, 1)
    # A closed refusal does not block a later request.
    assert queries.open_reevaluation(world.maya) is None


def test_only_an_early_parent_request_is_refused_here(world, cm, eligible):
    with pytest.raises(ValidationError) as excinfo:
        _start(cm, world.maya, kind=ReevaluationKind.PARENT_REQUEST, refusal=notice_content())
    assert "refuse" in _errors(excinfo)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (ReevaluationKind.SECTION_504_PERIODIC, "is for a student with a 504 plan"),
    ],
)
def test_the_kind_must_fit_the_plan(world, cm, eligible, kind, message):
    with pytest.raises(ValidationError) as excinfo:
        _start(cm, world.maya, kind=kind)
    assert message in _errors(excinfo)["kind"][0]


def test_only_an_eligible_student_is_reevaluated_and_one_at_a_time(world, cm, eligible):
    with pytest.raises(ValidationError) as excinfo:
        _start(world.users["director"], world.leo)
    assert "make a referral instead" in _errors(excinfo)["kind"][0]
    _start(cm, world.maya)
    with pytest.raises(ValidationError) as excinfo:
        _start(cm, world.maya, requested_on=date(2028, 11, 2))
    assert "already in progress" in _errors(excinfo)["kind"][0]


# --- the same assessment flow -------------------------------------------------------------------


@pytest.fixture
def in_2029():
    """The triennial's steps are dated 2028; done dates cannot be after today."""
    from tandem.core import clock

    with clock.fixed(date(2029, 6, 1)):
        yield


def test_a_triennial_runs_the_same_steps_and_meets_the_deadline(world, cm, eligible, in_2029):
    referral = _start(cm, world.maya)
    assert queries.next_step(queries.referral_with_steps(referral.public_id)).url_name == (
        "notice_new"
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.request_consent(
            actor=cm,
            referral=referral,
            kind=ConsentKind.REEVALUATION,
            sent_on=date(2028, 11, 2),
            method=ConsentMethod.MAIL,
        )
    assert "proposing the reevaluation" in _errors(excinfo)["sent_on"][0]
    actions.issue_prior_written_notice(
        actor=cm,
        student=world.maya,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=notice_content(),
        issued_on=date(2028, 11, 2),
    )
    with pytest.raises(ValidationError):
        actions.request_consent(
            actor=cm,
            referral=referral,
            kind=ConsentKind.INITIAL_EVALUATION,
            sent_on=date(2028, 11, 2),
            method=ConsentMethod.MAIL,
        )
    consent = actions.request_consent(
        actor=cm,
        referral=referral,
        kind=ConsentKind.REEVALUATION,
        sent_on=date(2028, 11, 2),
        method=ConsentMethod.MAIL,
    )
    step = queries.next_step(queries.referral_with_steps(referral.public_id))
    assert step.url_name == "consent_response" and step.url_arg == consent.public_id
    actions.record_consent_response(
        actor=cm, consent=consent, response=ConsentResponse.GIVEN, received_on=date(2028, 11, 6)
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_EVALUATION
    decision = _evaluate_and_decide(world, cm, referral, decided_on=date(2028, 12, 1))

    old = Deadline.objects.get(source_id=str(eligible.public_id), kind=DeadlineKind.REEVALUATION)
    assert old.met_on == date(2028, 12, 1)
    new = Deadline.objects.get(source_id=str(decision.public_id), kind=DeadlineKind.REEVALUATION)
    assert new.due_on == date(2031, 12, 1) and new.met_on is None
    # Not a first evaluation: no new initial IEP meeting.
    assert not Deadline.objects.filter(
        source_id=str(decision.public_id), kind=DeadlineKind.INITIAL_IEP_MEETING
    ).exists()
    assert queries.reevaluation_not_before(world.maya).due_on == date(2029, 12, 1)


def test_no_answer_after_reasonable_efforts_lets_the_reevaluation_go_ahead(
    world, cm, eligible, in_2029
):
    referral = _start(cm, world.maya)
    actions.issue_prior_written_notice(
        actor=cm,
        student=world.maya,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=notice_content(),
        issued_on=date(2028, 11, 2),
    )
    consent = actions.request_consent(
        actor=cm,
        referral=referral,
        kind=ConsentKind.REEVALUATION,
        sent_on=date(2028, 11, 2),
        method=ConsentMethod.MAIL,
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.record_consent_response(
            actor=cm,
            consent=consent,
            response=ConsentResponse.NO_RESPONSE,
            received_on=date(2028, 11, 20),
        )
    assert "reasonable efforts" in _errors(excinfo)["response"][0]
    with pytest.raises(ValidationError) as excinfo:
        reevaluations.record_consent_attempt(
            actor=cm,
            consent=consent,
            attempted_on=date(2028, 11, 1),
            method=ConsentMethod.PHONE,
            note="Called.",
        )
    assert "before the request was sent" in _errors(excinfo)["attempted_on"][0]
    for day in (6, 13):
        reevaluations.record_consent_attempt(
            actor=cm,
            consent=consent,
            attempted_on=date(2028, 11, day),
            method=ConsentMethod.PHONE,
            note="No answer; left a message.",
        )
    actions.record_consent_response(
        actor=cm,
        consent=consent,
        response=ConsentResponse.NO_RESPONSE,
        received_on=date(2028, 11, 20),
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_EVALUATION


def test_a_refusal_stops_the_reevaluation(world, cm, eligible, in_2029):
    referral = _start(cm, world.maya)
    actions.issue_prior_written_notice(
        actor=cm,
        student=world.maya,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=notice_content(),
        issued_on=date(2028, 11, 2),
    )
    consent = actions.request_consent(
        actor=cm,
        referral=referral,
        kind=ConsentKind.REEVALUATION,
        sent_on=date(2028, 11, 2),
        method=ConsentMethod.MAIL,
    )
    actions.record_consent_response(
        actor=cm,
        consent=consent,
        response=ConsentResponse.REFUSED,
        received_on=date(2028, 11, 5),
        refused_reason="The parent sees no need.",
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert queries.next_step(referral) is None


def test_no_response_is_only_for_a_reevaluation(world, cm, consent_request):
    with pytest.raises(ValidationError) as excinfo:
        actions.record_consent_response(
            actor=cm,
            consent=consent_request,
            response=ConsentResponse.NO_RESPONSE,
            received_on=date(2025, 11, 20),
        )
    assert "response" in _errors(excinfo)


# --- waiver (300.303(b)(2)) ---------------------------------------------------------------------


def test_the_triennial_is_waived_by_parent_and_district(world, cm, eligible):
    due = queries.reevaluation_due(world.maya)
    following = reevaluations.waive_reevaluation(
        actor=cm,
        deadline=due,
        agreement=_agreement(
            parent_agreed_on=date(2028, 12, 1), district_agreed_on=date(2028, 12, 5)
        ),
    )
    due.refresh_from_db()
    assert due.status_basis == DeadlineBasis.WAIVED and due.due_on == date(2029, 1, 12)
    assert "Waived" in due.explanation
    assert queries.deadline_status(due, date(2029, 6, 1)) == "not_applicable"
    assert following.due_on == date(2031, 12, 5) and following.trigger_on == date(2028, 12, 5)
    assert following.status_basis == DeadlineBasis.DUE
    assert queries.reevaluation_due(world.maya) == following
    agreement = ReevaluationAgreement.objects.get()
    assert agreement.kind == AgreementKind.WAIVER and agreement.deadline == due
    assert (agreement.parent_name, agreement.district_name) == ("Grace Lopez", "Casey Manager")
    with pytest.raises(ValidationError) as excinfo:
        reevaluations.waive_reevaluation(actor=cm, deadline=due, agreement=_agreement())
    assert "already done or waived" in _errors(excinfo)["deadline"][0]


def test_the_504_reevaluation_is_not_waived_here(world, section_504):
    deadline = Deadline.objects.get(student=world.leo)
    with pytest.raises(ValidationError) as excinfo:
        reevaluations.waive_reevaluation(
            actor=world.users["principal"], deadline=deadline, agreement=_agreement()
        )
    assert "Only the IDEA reevaluation can be waived" in _errors(excinfo)["deadline"][0]


# --- the 504 periodic reevaluation (104.35(d)) --------------------------------------------------


@pytest.fixture
def section_504(world):
    principal = world.users["principal"]
    referral = actions.create_referral(
        actor=principal,
        student=world.leo,
        source=ReferralSource.PHYSICIAN_ORDER,
        received_on=date(2025, 9, 2),
        areas_of_concern=[AreaOfConcern.HEALTH],
        description="Type 1 diabetes.",
    )
    actions.record_case_review(
        actor=principal,
        referral=referral,
        decided_on=date(2025, 9, 5),
        decision=CaseReviewDecision.GATHER_504_INFORMATION,
        reason="Medical documentation.",
    )
    return actions.decide_eligibility(
        actor=principal,
        referral=referral,
        decided_on=date(2025, 9, 19),
        outcome=EligibilityOutcome.SECTION_504,
        impairment="Type 1 diabetes",
        major_life_activities=["endocrine"],
        substantial_limitation=True,
        no_evaluation_reason="Endocrinologist's letter.",
        team_present=[principal.staff],
        parent_present=True,
    )


def test_the_504_periodic_reevaluation(world, section_504):
    principal = world.users["principal"]
    with pytest.raises(ValidationError) as excinfo:
        _start(principal, world.leo, requested_on=date(2028, 8, 1))
    assert "choose the 504 reevaluation" in _errors(excinfo)["kind"][0]
    # No once-a-year limit in Section 504.
    referral = _start(
        principal,
        world.leo,
        kind=ReevaluationKind.SECTION_504_PERIODIC,
        requested_on=date(2026, 3, 1),
    )
    assert referral.track == Track.SECTION_504
    step = queries.next_step(queries.referral_with_steps(referral.public_id))
    assert step.url_name == "consent_request"  # no notice step before consent for a 504 plan
    consent = actions.request_consent(
        actor=principal,
        referral=referral,
        kind=ConsentKind.REEVALUATION,
        sent_on=date(2026, 3, 2),
        method=ConsentMethod.EMAIL,
    )
    actions.record_consent_response(
        actor=principal, consent=consent, response="given", received_on=date(2026, 3, 4)
    )
    decision = actions.decide_eligibility(
        actor=principal,
        referral=referral,
        decided_on=date(2026, 3, 20),
        outcome=EligibilityOutcome.SECTION_504,
        impairment="Type 1 diabetes",
        major_life_activities=["endocrine"],
        substantial_limitation=True,
        no_evaluation_reason="Updated endocrinologist's letter and the nurse's log.",
        team_present=[principal.staff],
        parent_present=True,
    )
    old = Deadline.objects.get(source_id=str(section_504.public_id))
    assert old.met_on == date(2026, 3, 20)
    new = Deadline.objects.get(source_id=str(decision.public_id))
    assert new.kind == DeadlineKind.SECTION_504_REEVALUATION and new.due_on == date(2029, 3, 20)


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("case_manager", 200),
        ("director", 200),
        ("teacher", 403),
        ("parent", 403),
        ("stranger", 404),
        ("oak_director", 404),
    ],
)
def test_the_pages_answer_by_relationship(world, cm, eligible, persona, expected):
    referral = _start(cm, world.maya)
    actions.issue_prior_written_notice(
        actor=cm,
        student=world.maya,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=notice_content(),
        issued_on=date(2028, 11, 2),
    )
    consent = actions.request_consent(
        actor=cm,
        referral=referral,
        kind=ConsentKind.REEVALUATION,
        sent_on=date(2028, 11, 2),
        method=ConsentMethod.MAIL,
    )
    due = queries.reevaluation_due(world.maya)
    client = world.client_for(persona)
    for url in (
        reverse("reevaluation_new", args=[world.maya.public_id]),
        reverse("reevaluation_waiver", args=[due.public_id]),
        reverse("consent_attempts", args=[consent.public_id]),
    ):
        assert client.get(url).status_code == expected, url
        if expected != 200:
            assert client.post(url, {}).status_code == expected, url


def test_overview_links_to_start_and_to_waive(world, eligible):
    html = (
        world.client_for("case_manager")
        .get(reverse("student", args=[world.maya.public_id]))
        .content.decode()
    )
    due = queries.reevaluation_due(world.maya)
    assert reverse("reevaluation_new", args=[world.maya.public_id]) in html
    assert reverse("reevaluation_waiver", args=[due.public_id]) in html
    teacher = (
        world.client_for("teacher")
        .get(reverse("student", args=[world.maya.public_id]))
        .content.decode()
    )
    assert reverse("reevaluation_new", args=[world.maya.public_id]) not in teacher


def _post(**changes):
    data = {
        "kind": "parent_request",
        "requested_on": "2026-06-01",
        "requested_by": "Grace Lopez",
        "areas_of_concern": ["reading"],
        "description": "The parent asks again.",
        "language": "en",
    }
    data.update(changes)
    return data


def test_start_page_refuses_too_soon_with_the_date_on_the_field(world, eligible):
    client = world.client_for("case_manager")
    url = reverse("reevaluation_new", args=[world.maya.public_id])
    response = client.post(url, _post())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in html and "Not more than once a year" in html
    assert "requested_on-error" in html or "id_requested_on-error" in html
    assert not Referral.objects.filter(purpose=Purpose.REEVALUATION).exists()
    # Half an agreement is a field error, not a saved agreement.
    response = client.post(url, _post(parent_name="Grace Lopez"))
    assert "Give who agreed and when" in response.content.decode()
    # The refusal needs the seven elements, then saves the notice.
    response = client.post(url, _post(refuse="on"))
    assert "Refusing the parent&#x27;s request needs this part" in response.content.decode()
    fields = {
        "action_described": "We refuse to reevaluate now.",
        "reasons": "Evaluated in January.",
        "evaluation_basis": "The January evaluation report.",
        "procedural_safeguards_statement": "Copy enclosed.",
        "sources_of_help": "PTI center.",
        "options_considered": "Reevaluating now: too soon.",
        "other_factors": "None.",
    }
    response = client.post(url, _post(refuse="on", **fields))
    notice = PriorWrittenNotice.objects.get(action=NoticeAction.REFUSES)
    assert response.status_code == 302
    assert response["Location"] == reverse("notice_detail", args=[notice.public_id])


def test_start_page_with_agreement_goes_to_the_hub(world, eligible):
    client = world.client_for("case_manager")
    url = reverse("reevaluation_new", args=[world.maya.public_id])
    response = client.post(
        url,
        _post(
            kind="teacher_request",
            parent_name="Grace Lopez",
            parent_agreed_on="2026-05-28",
            district_name="Casey Manager",
            district_agreed_on="2026-05-29",
        ),
    )
    referral = Referral.objects.get(purpose=Purpose.REEVALUATION)
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_detail", args=[referral.public_id])
    hub = client.get(response["Location"]).content.decode()
    assert "Reevaluation for" in hub and "by agreement" in hub
    assert reverse("notice_new", args=[referral.public_id]) in hub


def test_waiver_page_records_the_waiver(world, eligible):
    due = queries.reevaluation_due(world.maya)
    client = world.client_for("case_manager")
    url = reverse("reevaluation_waiver", args=[due.public_id])
    response = client.post(url, {"parent_name": "Grace Lopez"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(
        url,
        {
            "parent_name": "Grace Lopez",
            "parent_agreed_on": "2028-12-01",
            "district_name": "Casey Manager",
            "district_agreed_on": "2028-12-05",
            "note": "Current data show the needs.",
        },
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.status_basis == DeadlineBasis.WAIVED


def test_attempts_page_and_the_no_response_answer(world, cm, eligible, in_2029):
    referral = _start(cm, world.maya)
    actions.issue_prior_written_notice(
        actor=cm,
        student=world.maya,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=notice_content(),
        issued_on=date(2028, 11, 2),
    )
    consent = actions.request_consent(
        actor=cm,
        referral=referral,
        kind=ConsentKind.REEVALUATION,
        sent_on=date(2028, 11, 2),
        method=ConsentMethod.MAIL,
    )
    client = world.client_for("case_manager")
    answer = client.get(reverse("consent_response", args=[consent.public_id])).content.decode()
    assert "No response after reasonable efforts" in answer
    assert reverse("consent_attempts", args=[consent.public_id]) in answer
    url = reverse("consent_attempts", args=[consent.public_id])
    response = client.post(
        url, {"attempted_on": "2028-11-06", "method": "phone", "note": "Left a message."}
    )
    assert response.status_code == 302
    assert "Left a message." in client.get(url).content.decode()
    response = client.post(
        reverse("consent_response", args=[consent.public_id]),
        {"response": "no_response", "received_on": "2028-11-20"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_EVALUATION
