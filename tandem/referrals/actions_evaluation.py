"""The evaluation: the assessment plan, each assessment, the report, and eligibility.

Checked, validated, audited, in one transaction, as every referral action (`actions.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap, team_roles_granting
from tandem.access.gatekeepers import ASSESSMENT_REOPENER, is_owner
from tandem.access.policy import decision_for, refuse, require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.compliance import actions as deadlines
from tandem.core import clock
from tandem.people.models import (
    Role,
    Staff,
    StaffRole,
    Student,
    TeamMembership,
    TeamRole,
)
from tandem.referrals import eligibility_group as group
from tandem.referrals import queries
from tandem.referrals.actions_common import (
    _lock_referral,
    _not_future,
    _refuse,
    _require_open,
    _save,
)
from tandem.referrals.actions_consent import (
    EVALUATION_KINDS,
    _initial_evaluation_deadline,
)
from tandem.referrals.models import (
    Assessment,
    AssessmentArea,
    AssessmentPlan,
    ConsentMethod,
    Deadline,
    DeadlineBasis,
    DeadlineKind,
    EligibilityDecision,
    EligibilityOutcome,
    EvaluationReport,
    Referral,
    ReferralStatus,
    Track,
)
from tandem.rules import deadlines as engine


@transaction.atomic
def plan_assessments(*, actor: User, referral: Referral, created_on: date) -> AssessmentPlan:
    """Open the assessment plan of a referral whose evaluation consent was given."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Cap.RUN_EVALUATION)
    _require_open(referral, ReferralStatus.IN_EVALUATION)
    if hasattr(referral, "assessment_plan"):
        raise _refuse("referral", _("This referral already has an assessment plan."))
    plan = AssessmentPlan(referral=referral, created_on=created_on)
    _save(plan, actor)
    audit.record(actor=actor, action="evaluation.planned", student=referral.student, target=plan)
    return plan


@transaction.atomic
def add_assessment(
    *,
    actor: User,
    plan: AssessmentPlan,
    area: str,
    evaluator: Staff,
    due_on: date,
    instrument: str = "",
    today: date | None = None,
) -> Assessment:
    """Assign one assessment to an evaluator, due no later than the legal deadline.

    The evaluator joins the student's team for the evaluation (COMPLIANCE §7.2), so that they
    can open the record and record the results.
    """
    plan = AssessmentPlan.objects.select_related("referral__student").get(pk=plan.pk)
    referral = _lock_referral(plan.referral)
    require(actor, referral.student, Cap.RUN_EVALUATION)
    _require_open(referral, ReferralStatus.IN_EVALUATION)
    day = today or timezone.localdate()
    if not (
        StaffRole.objects.active_on(day)
        .filter(staff=evaluator, district_id=referral.student.district_id)
        .exists()
    ):
        raise _refuse("evaluator", _("Choose an evaluator who works in the student's district."))
    if due_on < plan.created_on:
        raise _refuse(
            "due_on",
            _("An assessment cannot be due (%(due)s) before the plan was made (%(made)s).")
            % {"due": due_on, "made": plan.created_on},
        )
    if area in queries.refused_assessment_areas(referral):
        raise _refuse(
            "area",
            _(
                "The parent did not consent to evaluate %(area)s: the consent covers only "
                "%(agreed)s (34 CFR 300.300)."
            )
            % {
                "area": AssessmentArea(area).label,
                "agreed": queries.consented_areas_words(referral),
            },
        )
    legal = _initial_evaluation_deadline(referral)
    if legal is not None and due_on > legal.due_on:
        raise _refuse(
            "due_on",
            _(
                "The evaluation is legally due %(legal)s (%(citation)s); an assessment due "
                "%(due)s would miss it."
            )
            % {"legal": legal.due_on, "citation": legal.citation, "due": due_on},
        )
    assessment = Assessment(
        plan=plan, area=area, evaluator=evaluator, due_on=due_on, instrument=instrument
    )
    _save(assessment, actor)
    membership = _join_evaluation_team(
        student=referral.student, evaluator=evaluator, area=area, day=min(day, plan.created_on)
    )
    audit.record(
        actor=actor,
        action="assessment.added",
        student=referral.student,
        target=assessment,
        detail={
            "area": area,
            "evaluator": str(evaluator.public_id),
            "due_on": due_on.isoformat(),
            "team_role_added": membership.role if membership else None,
        },
    )
    return assessment


@transaction.atomic
def add_to_assessment_plan(
    *,
    actor: User,
    referral: Referral,
    area: str,
    evaluator: Staff,
    due_on: date,
    instrument: str = "",
    planned_on: date | None = None,
) -> Assessment:
    """Add an assessment to the referral's plan, making the plan (on `planned_on`) with the first."""
    plan = queries.step_record(referral, "assessment_plan")
    if plan is None:
        if planned_on is None:
            raise _refuse("planned_on", _("Give the date the plan was made."))
        plan = plan_assessments(actor=actor, referral=referral, created_on=planned_on)
    return add_assessment(
        actor=actor, plan=plan, area=area, evaluator=evaluator, due_on=due_on, instrument=instrument
    )


# The team role an evaluator takes for an area, when they hold no evaluator role.
_AREA_TEAM_ROLE = {
    AssessmentArea.SPEECH_LANGUAGE: TeamRole.SPEECH_LANGUAGE,
    AssessmentArea.OCCUPATIONAL_THERAPY: TeamRole.OCCUPATIONAL_THERAPIST,
    AssessmentArea.PHYSICAL_THERAPY: TeamRole.PHYSICAL_THERAPIST,
    AssessmentArea.HEALTH: TeamRole.NURSE,
    AssessmentArea.ACADEMIC: TeamRole.SPECIAL_EDUCATION_TEACHER,
}


def _join_evaluation_team(
    *, student: Student, evaluator: Staff, area: str, day: date
) -> TeamMembership | None:
    """An active team membership for the evaluator, unless they already may record assessments."""
    if (
        TeamMembership.objects.active_on(day)
        .filter(
            staff=evaluator,
            student=student,
            role__in=team_roles_granting(Cap.RECORD_ASSESSMENT),
        )
        .exists()
    ):
        return None
    if StaffRole.objects.filter(staff=evaluator, role=Role.EVALUATOR).exists():
        role = TeamRole.PSYCHOLOGIST
    else:
        role = _AREA_TEAM_ROLE.get(AssessmentArea(area), TeamRole.OTHER)
    # Already on the team in this role (from a date after `day`, or open-ended): one row per
    # person and role, never a second (the team list would show the evaluator twice).
    if (
        TeamMembership.objects.filter(staff=evaluator, student=student, role=role)
        .exclude(end_date__lt=day)
        .exists()
    ):
        return None
    membership = TeamMembership(staff=evaluator, student=student, role=role, start_date=day)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def complete_assessment(
    *,
    actor: User,
    assessment: Assessment,
    completed_on: date,
    summary: str,
    scores: dict[str, Any] | None = None,
    instrument: str | None = None,
) -> Assessment:
    """Record an assessment's results."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("plan__referral__student")
        .get(pk=assessment.pk)
    )
    student = assessment.plan.referral.student
    require_evaluator(actor, assessment, student)
    if assessment.completed_on is not None:
        raise _refuse("completed_on", _("This assessment is already complete."))
    _not_future("completed_on", completed_on)
    if completed_on < assessment.plan.created_on:
        raise _refuse(
            "completed_on",
            _("An assessment cannot be completed (%(day)s) before the plan was made (%(made)s).")
            % {"day": completed_on, "made": assessment.plan.created_on},
        )
    if not summary.strip():
        raise _refuse("summary", _("Summarise the results."))
    assessment.completed_on = completed_on
    assessment.summary = summary
    assessment.scores = scores or {}
    if instrument is not None:
        assessment.instrument = instrument
    _save(assessment, actor)
    audit.record(
        actor=actor,
        action="assessment.completed",
        student=student,
        target=assessment,
        detail={"area": assessment.area, "completed_on": completed_on.isoformat()},
    )
    return assessment


def may_record(actor: User, assessment: Assessment, student: Student) -> bool:
    """Whether `actor` may record (or reopen) this assessment: its evaluator, whoever runs the
    evaluation, or a leader; all with RECORD_ASSESSMENT (`ASSESSMENT_REOPENER` in the policy)."""
    decision = decision_for(actor, student)
    if not decision.has(Cap.RECORD_ASSESSMENT):
        return False
    unless = ASSESSMENT_REOPENER.unless
    if decision.is_leader or (unless is not None and decision.has(unless)):
        return True
    return is_owner(actor, assessment, ASSESSMENT_REOPENER.field)


def require_evaluator(actor: User, assessment: Assessment, student: Student) -> None:
    """404 out of reach, 403 unless `actor` may record this assessment (`may_record`)."""
    require(actor, student, Cap.RECORD_ASSESSMENT)
    if not may_record(actor, assessment, student):
        refuse(
            actor, student, f"owner:{ASSESSMENT_REOPENER.field}", page="action", target=assessment
        )


def reopen_refusal(assessment: Assessment) -> ValidationError | None:
    """Why this assessment cannot be reopened now (keyed by field), or None when it can.

    Only a completed assessment, and only while the evaluation runs: once the evaluation report
    is written it rests on the results, and once eligibility is decided the evaluation is over.
    """
    referral = assessment.plan.referral
    if assessment.completed_on is None:
        return _refuse(
            "completed_on", _("This assessment is not complete; there is nothing to reopen.")
        )
    if hasattr(referral, "evaluation_report") or referral.status != ReferralStatus.IN_EVALUATION:
        return _refuse(
            "referral",
            _("The evaluation report is written; an assessment it rests on cannot be reopened."),
        )
    return None


@transaction.atomic
def reopen_assessment(*, actor: User, assessment: Assessment, reason: str) -> Assessment:
    """Reopen an assessment recorded by mistake: its evaluator, or who runs the evaluation.

    The results are cleared for re-entry; the field history keeps what was recorded, and the
    audit event keeps why it was reopened. Who may: `ASSESSMENT_REOPENER` (the access policy).
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("plan__referral__student", "evaluator")
        .get(pk=assessment.pk)
    )
    referral = assessment.plan.referral
    student = referral.student
    require_evaluator(actor, assessment, student)
    refusal = reopen_refusal(assessment)
    if refusal is not None:
        raise refusal
    if not reason.strip():
        raise _refuse("reason", _("Say why the assessment is reopened."))
    was = assessment.completed_on
    assert was is not None
    assessment.completed_on = None
    assessment._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
    _save(assessment, actor)
    audit.record(
        actor=actor,
        action=Action.ASSESSMENT__REOPENED,
        student=student,
        target=assessment,
        detail={
            "area": assessment.area,
            "was_completed_on": was.isoformat(),
            "reason": reason.strip(),
        },
    )
    return assessment


@transaction.atomic
def complete_evaluation_report(
    *, actor: User, referral: Referral, completed_on: date, summary: str
) -> EvaluationReport:
    """Write the evaluation report once every planned assessment is complete."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Cap.RUN_EVALUATION)
    _require_open(referral, ReferralStatus.IN_EVALUATION)
    if hasattr(referral, "evaluation_report"):
        raise _refuse("referral", _("This referral already has an evaluation report."))
    _not_future("completed_on", completed_on)
    plan = getattr(referral, "assessment_plan", None)
    assessments = list(plan.assessments.all()) if plan is not None else []
    if not assessments:
        raise _refuse("assessments", _("Plan and complete the assessments first."))
    open_ = [a for a in assessments if a.completed_on is None]
    if open_:
        raise _refuse(
            "assessments",
            _("Not every assessment is complete: %(areas)s.")
            % {"areas": ", ".join(str(a.get_area_display()) for a in open_)},
        )
    last = max(a.completed_on for a in assessments if a.completed_on is not None)
    if completed_on < last:
        raise _refuse(
            "completed_on",
            _("The report (%(day)s) cannot be completed before the last assessment (%(last)s).")
            % {"day": completed_on, "last": last},
        )
    report = EvaluationReport(
        referral=referral, completed_on=completed_on, summary=summary, completed_by=actor
    )
    _save(report, actor)
    audit.record(
        actor=actor,
        action="evaluation.report_completed",
        student=referral.student,
        target=report,
        detail={"completed_on": completed_on.isoformat()},
    )
    return report


@transaction.atomic
def decide_eligibility(
    *,
    actor: User,
    referral: Referral,
    decided_on: date,
    outcome: str,
    team_present: Sequence[Staff],
    parent_present: bool,
    primary_category: str = "",
    secondary_categories: Sequence[str] = (),
    has_disability: bool | None = None,
    adverse_effect: bool | None = None,
    needs_sdi: bool | None = None,
    impairment: str = "",
    major_life_activities: Sequence[str] = (),
    substantial_limitation: bool | None = None,
    no_evaluation_reason: str = "",
    others_present: Sequence[group.Other] = (),
    parent_invited: bool = False,
) -> EligibilityDecision:
    """Record the team's eligibility decision; an IEP outcome starts the initial IEP clock.

    The group present is checked against the law (tandem/referrals/eligibility_group.py).
    """
    referral = _lock_referral(referral)
    student = Student.objects.select_related("district", "school").get(pk=referral.student_id)
    require(actor, student, Cap.RUN_EVALUATION)
    _require_open(referral, ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION)
    if not referral.is_reevaluation and not hasattr(referral, "case_review"):
        raise _refuse("referral", _("Review the referral before deciding eligibility."))
    if hasattr(referral, "eligibility"):
        raise _refuse("referral", _("Eligibility for this referral is already decided."))
    _not_future("decided_on", decided_on)
    report = getattr(referral, "evaluation_report", None)
    if report is None:
        if outcome != EligibilityOutcome.SECTION_504:
            raise _refuse(
                "evaluation_report",
                _("Eligibility rests on a completed evaluation report; complete it first."),
            )
        if not no_evaluation_reason.strip():
            raise _refuse(
                "no_evaluation_reason",
                _(
                    "Without a formal evaluation, record the information a 504 decision rests "
                    "on (medical documentation, teacher input, observations)."
                ),
            )
    elif decided_on < report.completed_on:
        raise _refuse(
            "decided_on",
            _("Eligibility (%(day)s) cannot be decided before the report (%(report)s).")
            % {"day": decided_on, "report": report.completed_on},
        )
    if decided_on < referral.received_on:
        raise _refuse(
            "decided_on", _("Eligibility cannot be decided before the referral was received.")
        )
    team = list(team_present)
    if not team:
        raise _refuse(
            "team_present", _("Name the team members who made the decision (34 CFR 300.306).")
        )
    others = list(others_present)
    parent_invited = parent_invited and not parent_present
    decision = EligibilityDecision(
        referral=referral,
        student=student,
        decided_on=decided_on,
        outcome=outcome,
        primary_category=primary_category,
        secondary_categories=list(secondary_categories),
        has_disability=has_disability,
        adverse_effect=adverse_effect,
        needs_sdi=needs_sdi,
        impairment=impairment,
        major_life_activities=list(major_life_activities),
        substantial_limitation=substantial_limitation,
        no_evaluation_reason=no_evaluation_reason,
        parent_present=parent_present,
        decided_by=actor,
    )
    # Every refusal at once, each on its field: the findings (the model) and the group present.
    errors: dict[str, list[str]] = {}
    checks = (
        decision.full_clean,
        lambda: group.check_group(
            referral=referral,
            student=student,
            actor=actor,
            decided_on=decided_on,
            today=clock.today(),
            outcome=outcome,
            team=team,
            others=others,
            parent_present=parent_present,
            parent_invited=parent_invited,
        ),
    )
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _save(decision, actor)
    decision.team_present.set(team)
    # 300.301(c)(1): the evaluation timeline ends when eligibility is determined.
    evaluation_deadline = _initial_evaluation_deadline(referral)
    if evaluation_deadline is not None:
        deadlines.meet_deadlines(
            kinds=EVALUATION_KINDS,
            source=(evaluation_deadline.source_type, evaluation_deadline.source_id),
            on=decided_on,
            actor=actor,
        )
    reevaluation_deadlines = _store_reevaluation_deadlines(student, decision, actor)
    meeting_deadline = None
    if outcome == EligibilityOutcome.IEP and not referral.is_reevaluation:
        meeting_deadline = deadlines.compute_deadline(
            actor=actor,
            student=student,
            kind=DeadlineKind.INITIAL_IEP_MEETING,
            trigger=decided_on,
            source=decision,
            field="decided_on",
        )
    referral.status = ReferralStatus.ELIGIBILITY_DECIDED
    if outcome == EligibilityOutcome.IEP:
        referral.track = Track.IEP
    elif outcome == EligibilityOutcome.SECTION_504:
        referral.track = Track.SECTION_504
    _save(referral, actor)
    audit.record(
        actor=actor,
        action="eligibility.decided",
        student=student,
        target=decision,
        detail={
            "outcome": outcome,
            "primary_category": primary_category,
            "edfacts_code": decision.edfacts_code,
            "initial_iep_meeting_due": meeting_deadline.due_on.isoformat()
            if meeting_deadline
            else None,
            "reevaluation_due": {d.kind: d.due_on.isoformat() for d in reevaluation_deadlines},
            "team_present": [str(s.public_id) for s in team],
            "parent_present": parent_present,
            **group.audit_detail(others, parent_invited=parent_invited),
        },
    )
    return decision


@transaction.atomic
def mark_eligibility_notice_sent(
    *, actor: User, referral: Referral, sent_on: date, method: str
) -> EligibilityDecision:
    """Record that the parent was sent written notice of the eligibility decision."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Cap.RUN_EVALUATION)
    decision = (
        EligibilityDecision.objects.select_for_update(of=("self",))
        .filter(referral=referral)
        .first()
    )
    if decision is None:
        raise _refuse("referral", _("Decide eligibility before sending its notice."))
    if decision.notice_sent_on is not None:
        raise _refuse("sent_on", _("The notice is already recorded as sent."))
    _not_future("sent_on", sent_on)
    if sent_on < decision.decided_on:
        raise _refuse(
            "sent_on",
            _("The notice cannot be sent (%(day)s) before the decision (%(decided)s).")
            % {"day": sent_on, "decided": decision.decided_on},
        )
    if method not in ConsentMethod.values:
        raise _refuse("method", _("Choose how the notice was sent."))
    decision.notice_sent_on = sent_on
    decision.notice_method = method
    _save(decision, actor)
    audit.record(
        actor=actor,
        action="eligibility.notice_sent",
        student=referral.student,
        target=decision,
        detail={"sent_on": sent_on.isoformat(), "method": method},
    )
    return decision


REEVALUATION_KINDS = (DeadlineKind.REEVALUATION, DeadlineKind.SECTION_504_REEVALUATION)


def _engine_disability(category: str) -> engine.Disability | None:
    try:
        return engine.Disability(category)
    except ValueError:
        return None


def _store_reevaluation_deadlines(
    student: Student, decision: EligibilityDecision, actor: User
) -> list[Deadline]:
    """FED-REEVAL-01/02, 504-04: the next reevaluation, and for IDEA the earliest one.

    A decision on a reevaluation meets the reevaluation that was due.
    """
    if decision.referral.is_reevaluation:
        deadlines.meet_deadlines(
            student=student, kinds=REEVALUATION_KINDS, on=decision.decided_on, actor=actor
        )
    common = {
        "actor": actor,
        "student": student,
        "trigger": decision.decided_on,
        "source": decision,
        "field": "decided_on",
    }
    if decision.outcome == EligibilityOutcome.IEP:
        disability = _engine_disability(decision.primary_category)
        return [
            deadlines.compute_deadline(
                kind=DeadlineKind.REEVALUATION, disability=disability, **common
            ),
            deadlines.compute_deadline(
                kind=DeadlineKind.REEVALUATION_NOT_BEFORE,
                status_basis=DeadlineBasis.EARLIEST,
                **common,
            ),
        ]
    if decision.outcome == EligibilityOutcome.SECTION_504:
        return [deadlines.compute_deadline(kind=DeadlineKind.SECTION_504_REEVALUATION, **common)]
    return []
