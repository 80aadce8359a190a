"""Reads for referrals and deadlines, scoped by the one access policy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.access.policy import students_visible_to
from tandem.accounts.models import User
from tandem.compliance.queries import (  # noqa: F401 - moved there; kept while callers move
    SOON,
    DeadlineStatus,
    deadline_status,
    deadlines_visible_to,
    next_deadline_by_student,
)
from tandem.people.models import (
    Guardian,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
)
from tandem.referrals.models import (
    ASSESSMENT_AREA_COVERS,
    AreaOfConcern,
    Assessment,
    AssessmentArea,
    CaseReviewDecision,
    Consent,
    ConsentKind,
    ConsentResponse,
    Deadline,
    DeadlineBasis,
    DeadlineKind,
    EligibilityDecision,
    EligibilityOutcome,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
    Purpose,
    Referral,
    ReferralStatus,
    Track,
)


def referrals_for(user: User, *, today: date | None = None) -> QuerySet[Referral]:
    """The referrals of every student `user` may read, newest first."""
    return (
        Referral.objects.filter(student__in=students_visible_to(user, today=today))
        .select_related("student", "student__school", "created_by")
        .order_by("-received_on", "-id")
    )


# --- the workflow of one referral -------------------------------------------------------------


def _with_steps(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals with every step loaded: a fixed number of queries however many there are."""
    return referrals.select_related(
        "student",
        "student__school",
        "student__district",
        "case_review",
        "assessment_plan",
        "evaluation_report",
        "eligibility",
    ).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")),
        Prefetch("notices", queryset=PriorWrittenNotice.objects.order_by("issued_on", "id")),
        Prefetch("consents", queryset=Consent.objects.order_by("sent_on", "id")),
        Prefetch(
            "assessment_plan__assessments",
            queryset=Assessment.objects.select_related("evaluator__user").order_by("due_on", "id"),
        ),
    )


def referrals_with_steps() -> QuerySet[Referral]:
    """Referrals with their steps loaded, for a gatekeeper to pick one from."""
    return _with_steps(Referral.objects.all())


def referral_with_steps(public_id: uuid.UUID) -> Referral | None:
    """One referral by public id with its steps loaded (access is the caller's gatekeeper)."""
    return _with_steps(Referral.objects.filter(public_id=public_id)).first()


def referrals_of_student(student: Student) -> list[Referral]:
    """A student's referrals, newest first, with steps and stored deadlines attached."""
    referrals = list(_with_steps(Referral.objects.filter(student=student)))
    attach_deadlines(referrals, student=student)
    return referrals


def attach_deadlines(referrals: list[Referral], *, student: Student) -> None:
    """Set `referral.stored_deadlines`: the deadlines started by its consents or its decision."""
    sources: dict[str, Referral] = {}
    for referral in referrals:
        referral.stored_deadlines = []  # type: ignore[attr-defined]
        for consent in referral.consents.all():
            sources[str(consent.public_id)] = referral
        decision = eligibility_of(referral)
        if decision is not None:
            sources[str(decision.public_id)] = referral
    if not sources:
        return
    for deadline in Deadline.objects.filter(student=student, source_id__in=list(sources)).order_by(
        "due_on", "id"
    ):
        sources[deadline.source_id].stored_deadlines.append(deadline)  # type: ignore[attr-defined]


def eligibility_of(referral: Referral) -> EligibilityDecision | None:
    try:
        return referral.eligibility
    except EligibilityDecision.DoesNotExist:
        return None


def step_record(referral: Referral, name: str) -> Any:
    try:
        return getattr(referral, name)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class Step:
    """A step of the workflow: what it is, when it was done, and where its page is."""

    label: Any
    url_name: str = ""
    url_arg: Any = None
    done_on: date | None = None
    detail: Any = ""


def steps_done(referral: Referral) -> list[Step]:
    """The timeline of what has happened on a referral, oldest first."""
    rid = referral.public_id
    first = _("Reevaluation requested") if referral.is_reevaluation else _("Referral received")
    steps = [Step(first, "referral_detail", rid, referral.received_on)]
    review = step_record(referral, "case_review")
    if review is not None:
        steps.append(
            Step(_("Case review"), "", None, review.decided_on, review.get_decision_display())
        )
    for notice in referral.notices.all():
        steps.append(
            Step(
                _("Prior written notice"),
                "notice_detail",
                notice.public_id,
                notice.issued_on,
                notice.get_action_display(),
            )
        )
    for consent in referral.consents.all():
        steps.append(
            Step(_("Consent requested"), "", None, consent.sent_on, consent.get_kind_display())
        )
        if consent.received_on:
            steps.append(
                Step(
                    _("Parent's answer received"),
                    "",
                    None,
                    consent.received_on,
                    consent.get_response_display(),
                )
            )
    plan = step_record(referral, "assessment_plan")
    if plan is not None:
        steps.append(Step(_("Assessment plan made"), "assessment_plan", rid, plan.created_on))
        for assessment in plan.assessments.all():
            if assessment.completed_on:
                steps.append(
                    Step(
                        _("Assessment completed"),
                        "assessment_complete",
                        assessment.public_id,
                        assessment.completed_on,
                        assessment.get_area_display(),
                    )
                )
    report = step_record(referral, "evaluation_report")
    if report is not None:
        steps.append(Step(_("Evaluation report"), "", None, report.completed_on))
    decision = eligibility_of(referral)
    if decision is not None:
        steps.append(
            Step(
                _("Eligibility decided"),
                "eligibility_notice",
                rid,
                decision.decided_on,
                decision.get_outcome_display(),
            )
        )
    steps.sort(key=lambda step: step.done_on or date.min)
    return steps


def next_step(referral: Referral) -> Step | None:
    """What is to be done next on a referral, and the page where it is done; None when closed."""
    rid = referral.public_id
    if referral.status == ReferralStatus.CLOSED:
        return None
    if referral.status == ReferralStatus.AWAITING_ACCEPTANCE:
        return Step(_("Accept or decline the teacher's concern"), "concern_review", rid)
    if referral.status == ReferralStatus.ELIGIBILITY_DECIDED:
        decision = eligibility_of(referral)
        if decision is not None and decision.notice_sent_on is not None:
            return None
        return Step(_("Give the parent written notice of the decision"), "eligibility_notice", rid)
    if referral.is_reevaluation and referral.status == ReferralStatus.OPEN:
        return _next_reevaluation_step(referral)
    if referral.is_reevaluation:
        return _next_evaluation_step(referral)
    review = step_record(referral, "case_review")
    if review is None:
        return Step(_("Review the referral and decide what to do"), "case_review", rid)
    consents = [c for c in referral.consents.all() if c.kind == ConsentKind.INITIAL_EVALUATION]
    if referral.status == ReferralStatus.OPEN:
        proposes = [n for n in referral.notices.all() if n.action == NoticeAction.PROPOSES]
        if review.decision == CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION and not proposes:
            return Step(_("Give prior written notice proposing the evaluation"), "notice_new", rid)
        pending = [c for c in consents if c.response == ConsentResponse.PENDING]
        if pending:
            return Step(_("Record the parent's answer"), "consent_response", pending[-1].public_id)
        return Step(_("Ask the parent for consent to evaluate"), "consent_request", rid)
    return _next_evaluation_step(referral)


def _next_reevaluation_step(referral: Referral) -> Step:
    """Notice proposing it (IEP), consent to reevaluate (or no answer to reasonable efforts)."""
    rid = referral.public_id
    proposes = [n for n in referral.notices.all() if n.action == NoticeAction.PROPOSES]
    if referral.track == Track.IEP and not proposes:
        return Step(_("Give prior written notice proposing the reevaluation"), "notice_new", rid)
    pending = [
        c
        for c in referral.consents.all()
        if c.kind == ConsentKind.REEVALUATION and c.response == ConsentResponse.PENDING
    ]
    if pending:
        return Step(_("Record the parent's answer"), "consent_response", pending[-1].public_id)
    return Step(_("Ask the parent for consent to reevaluate"), "consent_request", rid)


def _next_evaluation_step(referral: Referral) -> Step:
    rid = referral.public_id
    plan = step_record(referral, "assessment_plan")
    assessments = list(plan.assessments.all()) if plan is not None else []
    if not assessments and referral.track == Track.SECTION_504:
        # A 504 decision may rest on existing information (34 CFR 104.35(c)): no assessment
        # has to come first; the assessment plan stays under the referral's other steps.
        return Step(
            _("Decide eligibility from existing information, or plan assessments"),
            "eligibility_decide",
            rid,
        )
    if not assessments:
        return Step(_("Plan the assessments"), "assessment_plan", rid)
    if any(a.completed_on is None for a in assessments):
        return Step(_("Complete the assessments"), "assessment_plan", rid)
    if step_record(referral, "evaluation_report") is None:
        return Step(_("Write the evaluation report"), "evaluation_report", rid)
    return Step(_("Decide eligibility"), "eligibility_decide", rid)


@dataclass(frozen=True)
class Reopening:
    """An assessment reopened by mistake: when, by whom, why, and what had been recorded."""

    on: Any
    by: Any
    reason: str
    was_completed_on: date | None
    was_summary: str


def reopenings(assessment: Assessment) -> list[Reopening]:
    """Every time the assessment was reopened, oldest first, from its field history."""
    out: list[Reopening] = []
    previous = None
    for row in assessment.history.select_related("history_user").order_by("history_date", "pk"):  # type: ignore[attr-defined]
        if previous is not None and previous.completed_on and row.completed_on is None:
            out.append(
                Reopening(
                    on=row.history_date,
                    by=row.history_user,
                    reason=row.history_change_reason or "",
                    was_completed_on=previous.completed_on,
                    was_summary=previous.summary,
                )
            )
        previous = row
    return out


def partial_evaluation_consent(referral: Referral) -> Consent | None:
    """The referral's consent to evaluate when the parent agreed to some areas only."""
    answered = [
        c
        for c in referral.consents.all()
        if c.kind in (ConsentKind.INITIAL_EVALUATION, ConsentKind.REEVALUATION)
        and c.response not in (ConsentResponse.PENDING,)
    ]
    answered.sort(key=lambda c: (c.received_on or date.min, c.pk))
    if answered and answered[-1].response == ConsentResponse.PARTIAL:
        return answered[-1] if answered[-1].areas_agreed else None
    return None


def refused_assessment_areas(referral: Referral) -> list[str]:
    """Assessment areas the parent did not consent to: none serves an area they agreed to."""
    consent = partial_evaluation_consent(referral)
    if consent is None:
        return []
    agreed = set(consent.areas_agreed)
    return [
        area
        for area in AssessmentArea.values
        if not (ASSESSMENT_AREA_COVERS.get(area, frozenset()) & agreed)
    ]


def consented_areas_words(referral: Referral) -> str:
    """The areas of concern agreed under a partial consent, in words."""
    consent = partial_evaluation_consent(referral)
    labels = dict(AreaOfConcern.choices)
    codes = consent.areas_agreed if consent is not None else referral.areas_of_concern
    return ", ".join(str(labels.get(a, a)) for a in codes)


def legal_deadline(referral: Referral) -> Deadline | None:
    """The referral's open legal deadline (stored), if any: the one to show as 'due next'."""
    deadlines = getattr(referral, "stored_deadlines", [])
    unmet = [d for d in deadlines if d.met_on is None]
    return unmet[0] if unmet else None


def evaluators_for(student: Student, *, today: date) -> QuerySet[Staff]:
    """Staff who work in the student's district today, to choose an evaluator from."""
    ids = StaffRole.objects.active_on(today).filter(district_id=student.district_id)
    return (
        Staff.objects.filter(pk__in=ids.values("staff_id"))
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def rights_holder(student: Student) -> Guardian | None:
    """The parent who receives notices: the primary contact among those holding the rights."""
    link = (
        StudentGuardian.objects.filter(student=student, educational_rights_holder=True)
        .select_related("guardian")
        .order_by("-primary_contact", "id")
        .first()
    )
    return link.guardian if link else None


# --- reevaluation -----------------------------------------------------------------------------

REEVALUATION_KINDS = (DeadlineKind.REEVALUATION, DeadlineKind.SECTION_504_REEVALUATION)


def latest_eligibility(student: Student) -> EligibilityDecision | None:
    """The student's most recent eligibility decision: the one a reevaluation follows."""
    return (
        EligibilityDecision.objects.filter(student=student)
        .select_related("referral")
        .order_by("-decided_on", "-id")
        .first()
    )


def open_reevaluation(student: Student) -> Referral | None:
    return Referral.objects.filter(
        student=student,
        purpose=Purpose.REEVALUATION,
        status__in=(ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION),
    ).first()


def reevaluation_not_before(student: Student) -> Deadline | None:
    """The earliest date of the next reevaluation (34 CFR 300.303(b)(1)), from the last one."""
    return (
        Deadline.objects.filter(
            student=student,
            kind=DeadlineKind.REEVALUATION_NOT_BEFORE,
            status_basis=DeadlineBasis.EARLIEST,
        )
        .order_by("-trigger_on", "-id")
        .first()
    )


def reevaluation_due(student: Student) -> Deadline | None:
    """The reevaluation that is due next (IDEA or 504), if any."""
    return (
        Deadline.objects.filter(
            student=student,
            kind__in=REEVALUATION_KINDS,
            met_on__isnull=True,
            status_basis=DeadlineBasis.DUE,
        )
        .order_by("due_on", "id")
        .first()
    )


# --- what a page shows ------------------------------------------------------------------------


def parent_language(student: Student) -> str:
    """The language of the parent who receives notices (English when there is none)."""
    guardian = rights_holder(student)
    return guardian.preferred_language if guardian else "en"


def assessment_plan_page(referral: Referral, student: Student) -> dict[str, Any]:
    """The assessment plan page's reads: the plan, its assessments, the legal deadline and what
    a partial consent leaves out (`refused` codes for the form, `refused_areas` in words)."""
    attach_deadlines([referral], student=student)
    plan = step_record(referral, "assessment_plan")
    refused = refused_assessment_areas(referral)
    return {
        "plan": plan,
        "assessments": list(plan.assessments.all()) if plan is not None else [],
        "deadline": legal_deadline(referral),
        "partial": partial_evaluation_consent(referral),
        "refused": refused,
        "refused_areas": [AssessmentArea(a).label for a in refused],
    }


def reevaluation_page(student: Student) -> dict[str, Any]:
    """The reevaluation page's reads: the decision it follows, its dates, the parent's language."""
    decision = latest_eligibility(student)
    return {
        "decision": decision,
        "section_504": decision is not None and decision.outcome == EligibilityOutcome.SECTION_504,
        "due": reevaluation_due(student),
        "not_before": reevaluation_not_before(student),
        "language": parent_language(student),
    }
