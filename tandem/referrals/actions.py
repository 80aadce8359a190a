"""The only write path for referral to eligibility: checked, validated, audited, in one transaction.

Every action takes the acting user first and refuses, changing nothing, when the user may not
change the student's record (404 when they may not even see it, as elsewhere) or when the input
breaks a rule (a ValidationError keyed by field name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access import audit
from tandem.access.models import Language, User
from tandem.access.policy import Need, can
from tandem.people.models import (
    WRITING_TEAM_ROLES,
    CalendarClosure,
    Role,
    SchoolCalendar,
    Staff,
    StaffRole,
    Student,
    TeamMembership,
    TeamRole,
)
from tandem.referrals.models import (
    Assessment,
    AssessmentArea,
    AssessmentPlan,
    CaseReview,
    CaseReviewDecision,
    Consent,
    ConsentKind,
    ConsentResponse,
    Deadline,
    DeadlineBasis,
    DeadlineKind,
    EligibilityDecision,
    EligibilityOutcome,
    EvaluationReport,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.rules import calendar as rules_calendar
from tandem.rules import deadlines as engine

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# extension -> (magic prefix, content type); TXT has no magic and is sniffed as UTF-8 text.
UPLOAD_TYPES: dict[str, tuple[bytes, str]] = {
    ".pdf": (b"%PDF", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".docx": (b"PK\x03\x04", DOCX),
    ".txt": (b"", "text/plain"),
}
_SNIFF_BYTES = 2048
# How far before a school year's first day its calendar is used (the summer before it).
_SUMMER_BEFORE = timedelta(days=120)


@dataclass(frozen=True, kw_only=True)
class NoticeContent:
    """The seven elements of prior written notice (34 CFR 300.503(b)), in the parent's language."""

    action_described: str
    reasons: str
    evaluation_basis: str
    procedural_safeguards_statement: str
    sources_of_help: str
    options_considered: str
    other_factors: str
    language: str = Language.ENGLISH


# --- helpers ----------------------------------------------------------------------------------


def _require_write(actor: User, student: Student) -> None:
    # Out of sight is "absent" (404); in sight but read-only is 403.
    if not can(actor, Need.READ, student):
        raise Http404
    if not can(actor, Need.WRITE, student):
        raise PermissionDenied


def _save(instance: Model, actor: User, *, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude))
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save()


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _lock_referral(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("student")
        .get(pk=referral.pk)
    )


def _require_open(referral: Referral, *statuses: str) -> None:
    if referral.status not in statuses:
        raise _refuse(
            "referral",
            _("This referral is %(status)s; this step is not possible now.")
            % {"status": referral.get_status_display()},
        )


def _engine_calendar(student: Student, trigger: date) -> rules_calendar.SchoolCalendar | None:
    """The rules' calendar value for the school year covering `trigger`, from the stored rows."""
    rows = list(
        SchoolCalendar.objects.filter(
            Q(district_id=student.district_id, school__isnull=True) | Q(school_id=student.school_id)
        )
    )
    # A school's own calendar wins over the district's; then the school year that is running
    # on the trigger, or the one the summer before leads into.
    rows.sort(key=lambda row: (row.school_id is None, row.last_day))
    chosen = None
    for row in rows:
        end = row.next_first_day or (row.last_day + timedelta(days=1))
        if row.first_day - _SUMMER_BEFORE <= trigger < end:
            chosen = row
            break
    if chosen is None:
        return None
    closures = list(CalendarClosure.objects.filter(calendar=chosen))
    days: set[date] = set()
    for closure in closures:
        day = closure.start
        while day <= closure.end:
            days.add(day)
            day += timedelta(days=1)
    return rules_calendar.SchoolCalendar(
        first_day=chosen.first_day,
        last_day=chosen.last_day,
        next_first_day=chosen.next_first_day,
        non_school_days=frozenset(days),
        breaks=tuple(rules_calendar.Break(c.name, c.start, c.end) for c in closures),
    )


def _store_deadline(
    *,
    student: Student,
    kind: str,
    trigger: date,
    source: Model,
    field: str,
    status_basis: str | None = None,
    **options: Any,
) -> Deadline:
    """Compute `kind` from `trigger` with the district's state rules and store it.

    `options` go to the engine as they are (`disability`, `waiver`); `status_basis` replaces
    the engine's status (an earliest date is stored as such, never as due).
    """
    calendar = _engine_calendar(student, trigger)
    try:
        profile = engine.load_profile(student.district.state)
        result = engine.compute(engine.Rule(kind), profile, trigger, calendar=calendar, **options)
    except engine.NeedsCalendar:
        raise _refuse(
            field,
            _(
                "No school calendar covers %(day)s for %(school)s, and the %(state)s timeline "
                "counts school days or skips breaks; add the calendar first."
            )
            % {"day": trigger, "school": student.school, "state": student.district.state},
        ) from None
    except engine.InvalidInput as error:
        raise _refuse(field, str(error)) from None
    deadline = Deadline(
        student=student,
        district_id=student.district_id,
        school_id=student.school_id,
        kind=kind,
        state=result.state,
        trigger_on=result.trigger,
        due_on=result.due,
        citation=result.citation[:300],
        explanation=result.explanation,
        status_basis=status_basis or result.status.value,
        source_type=source._meta.label_lower,
        source_id=str(getattr(source, "public_id", source.pk)),
        computed_at=timezone.now(),
    )
    deadline.full_clean()
    deadline.save()
    return deadline


def _initial_evaluation_deadline(referral: Referral) -> Deadline | None:
    consent_ids = [
        str(pid)
        for pid in referral.consents.filter(kind=ConsentKind.INITIAL_EVALUATION).values_list(
            "public_id", flat=True
        )
    ]
    return (
        Deadline.objects.filter(
            student_id=referral.student_id,
            kind=DeadlineKind.INITIAL_EVALUATION,
            source_type=Consent._meta.label_lower,
            source_id__in=consent_ids,
        )
        .order_by("-computed_at")
        .first()
    )


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The checked name and content type of an upload, or a ValidationError on `file`."""
    return _sniff(upload)


def _sniff(upload: UploadedFile) -> tuple[str, str]:
    """The checked extension and content type of an upload, or a ValidationError on `file`."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in UPLOAD_TYPES:
        raise _refuse(
            "file",
            _("Upload a PDF, PNG, JPEG, Word (.docx) or text file; %(name)s is not one.")
            % {"name": name},
        )
    if upload.size is None or upload.size == 0:
        raise _refuse("file", _("The file is empty."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise _refuse(
            "file",
            _("The file is %(size).1f MB; the limit is 10 MB.") % {"size": upload.size / 1048576},
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    magic, content_type = UPLOAD_TYPES[extension]
    # TXT has no magic: accept it only if it reads as text.
    matches = head.startswith(magic) if magic else b"\x00" not in head and _is_text(head)
    if not matches:
        raise _refuse(
            "file",
            _("%(name)s does not contain what its name says (%(ext)s).")
            % {"name": name, "ext": extension},
        )
    return name, content_type


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sniff boundary is still text.
        return error.start >= len(head) - 3
    return True


# --- referral and evidence --------------------------------------------------------------------


@transaction.atomic
def create_referral(
    *,
    actor: User,
    student: Student,
    source: str,
    received_on: date,
    areas_of_concern: Sequence[str],
    description: str,
    source_name: str = "",
    track: str = Track.UNDECIDED,
) -> Referral:
    """Record a concern raised about a student (lifecycle step 1)."""
    _require_write(actor, student)
    referral = Referral(
        student=student,
        source=source,
        source_name=source_name,
        received_on=received_on,
        areas_of_concern=list(areas_of_concern),
        description=description,
        track=track,
        created_by=actor,
    )
    _save(referral, actor)
    audit.record(
        actor=actor,
        action="referral.created",
        student=student,
        target=referral,
        detail={"source": source, "areas_of_concern": list(areas_of_concern)},
    )
    return referral


@transaction.atomic
def add_evidence(
    *, actor: User, referral: Referral, kind: str, upload: UploadedFile, summary: str = ""
) -> Evidence:
    """Attach a document to a referral after checking its type (name and content) and size."""
    referral = _lock_referral(referral)
    _require_write(actor, referral.student)
    original_name, content_type = _sniff(upload)
    evidence = Evidence(
        referral=referral,
        kind=kind,
        summary=summary,
        original_name=original_name[:255],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    evidence.full_clean(exclude=["file"])
    evidence.file.save(original_name, upload, save=False)
    try:
        evidence.save()
        audit.record(
            actor=actor,
            action="referral.evidence_added",
            student=referral.student,
            target=evidence,
            detail={"kind": kind, "content_type": content_type, "size": evidence.size},
        )
    except Exception:
        evidence.file.delete(save=False)  # the rollback does not remove files
        raise
    return evidence


# --- case review and notice -------------------------------------------------------------------


def _issue_notice(
    *,
    actor: User,
    student: Student,
    referral: Referral | None,
    action: str,
    content: NoticeContent,
    issued_on: date,
) -> PriorWrittenNotice:
    notice = PriorWrittenNotice(
        student=student,
        referral=referral,
        action=action,
        issued_on=issued_on,
        issued_by=actor,
        **asdict(content),
    )
    _save(notice, actor)
    return notice


@transaction.atomic
def record_case_review(
    *,
    actor: User,
    referral: Referral,
    decided_on: date,
    decision: str,
    reason: str,
    notice: NoticeContent | None = None,
) -> CaseReview:
    """Decide what to do with a referral; refusing a parent's request for evaluation needs PWN."""
    referral = _lock_referral(referral)
    _require_write(actor, referral.student)
    _require_open(referral, ReferralStatus.OPEN)
    if hasattr(referral, "case_review"):
        raise _refuse("referral", _("This referral already has a case review."))
    if decided_on < referral.received_on:
        raise _refuse(
            "decided_on",
            _("The review (%(day)s) cannot come before the referral was received (%(received)s).")
            % {"day": decided_on, "received": referral.received_on},
        )
    not_evaluating = decision in (
        CaseReviewDecision.NO_ACTION,
        CaseReviewDecision.GENERAL_EDUCATION_INTERVENTION,
    )
    refuses_parent = referral.source == ReferralSource.PARENT and not_evaluating
    if refuses_parent and notice is None:
        raise _refuse(
            "notice",
            _(
                "The parent asked for an evaluation; refusing it needs prior written notice "
                "(34 CFR 300.503). Give its seven elements."
            ),
        )
    review = CaseReview(
        referral=referral, decided_on=decided_on, decision=decision, reason=reason, decided_by=actor
    )
    _save(review, actor)
    issued = None
    if refuses_parent:
        assert notice is not None
        issued = _issue_notice(
            actor=actor,
            student=referral.student,
            referral=referral,
            action=NoticeAction.REFUSES,
            content=notice,
            issued_on=decided_on,
        )
    if decision == CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION:
        referral.track = Track.IEP
    elif decision == CaseReviewDecision.GATHER_504_INFORMATION:
        referral.track = Track.SECTION_504
    elif not_evaluating:
        referral.status = ReferralStatus.CLOSED
        referral.closed_reason = reason
    _save(referral, actor)
    audit.record(
        actor=actor,
        action="referral.case_reviewed",
        student=referral.student,
        target=review,
        detail={
            "decision": decision,
            "prior_written_notice": str(issued.public_id) if issued else None,
        },
    )
    return review


@transaction.atomic
def issue_prior_written_notice(
    *,
    actor: User,
    student: Student,
    action: str,
    content: NoticeContent,
    issued_on: date,
    referral: Referral | None = None,
) -> PriorWrittenNotice:
    """Record prior written notice of an action proposed or refused (34 CFR 300.503)."""
    _require_write(actor, student)
    if referral is not None and referral.student_id != student.pk:
        raise _refuse("referral", _("The referral is for another student."))
    notice = _issue_notice(
        actor=actor,
        student=student,
        referral=referral,
        action=action,
        content=content,
        issued_on=issued_on,
    )
    audit.record(
        actor=actor,
        action="notice.issued",
        student=student,
        target=notice,
        detail={"action": action, "language": content.language},
    )
    return notice


# --- consent ----------------------------------------------------------------------------------


@transaction.atomic
def request_consent(
    *, actor: User, referral: Referral, kind: str, sent_on: date, method: str
) -> Consent:
    """Send the parent a consent request; initial evaluation follows the review and the PWN."""
    referral = _lock_referral(referral)
    _require_write(actor, referral.student)
    _require_open(referral, ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION)
    if referral.is_reevaluation:
        if kind != ConsentKind.REEVALUATION:
            raise _refuse("kind", _("For a reevaluation, ask for consent to reevaluate."))
        # CONSENT-04 after notice proposing the reevaluation (300.503(a)), as for the first.
        if (
            referral.track == Track.IEP
            and not referral.notices.filter(
                action=NoticeAction.PROPOSES, issued_on__lte=sent_on
            ).exists()
        ):
            raise _refuse(
                "sent_on",
                _(
                    "Issue prior written notice proposing the reevaluation before asking "
                    "for consent."
                ),
            )
    elif kind == ConsentKind.REEVALUATION:
        raise _refuse("kind", _("Consent to reevaluate is asked on a reevaluation."))
    if kind == ConsentKind.INITIAL_EVALUATION:
        review = getattr(referral, "case_review", None)
        if review is None or review.decision not in (
            CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
            CaseReviewDecision.GATHER_504_INFORMATION,
        ):
            raise _refuse(
                "referral", _("The case review has not decided to evaluate this student.")
            )
        # CONSENT-01: consent to evaluate is sought after prior written notice (300.503).
        if (
            review.decision == CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION
            and not referral.notices.filter(
                action=NoticeAction.PROPOSES, issued_on__lte=sent_on
            ).exists()
        ):
            raise _refuse(
                "sent_on",
                _("Issue prior written notice proposing the evaluation before asking for consent."),
            )
    consent = Consent(
        student=referral.student, referral=referral, kind=kind, sent_on=sent_on, method=method
    )
    _save(consent, actor)
    audit.record(
        actor=actor,
        action="consent.requested",
        student=referral.student,
        target=consent,
        detail={"kind": kind, "method": method},
    )
    return consent


@transaction.atomic
def record_consent_response(
    *,
    actor: User,
    consent: Consent,
    response: str,
    received_on: date,
    partial_note: str = "",
    refused_reason: str = "",
    document: UploadedFile | None = None,
) -> Consent:
    """Record the parent's answer; given consent to evaluate starts the evaluation clock."""
    consent = (
        Consent.objects.select_for_update(of=("self",))
        .select_related("student__district", "student__school", "referral")
        .get(pk=consent.pk)
    )
    student = consent.student
    _require_write(actor, student)
    if consent.response != ConsentResponse.PENDING:
        raise _refuse("response", _("The answer to this request is already recorded."))
    if response == ConsentResponse.PENDING:
        raise _refuse("response", _("Record the parent's answer: given, refused or partial."))
    if (
        response == ConsentResponse.NO_RESPONSE
        and not consent.attempts.filter(attempted_on__lte=received_on).exists()
    ):
        raise _refuse(
            "response",
            _(
                "Record the reasonable efforts to reach the parent first "
                "(34 CFR 300.300(c)(2)(i), 300.322(d))."
            ),
        )
    consent.response = response
    consent.received_on = received_on
    consent.partial_note = partial_note
    consent.refused_reason = refused_reason
    consent.full_clean(exclude=["document"])
    if document is not None:
        _sniff(document)
    referral = consent.referral
    deadline = None
    if referral is not None:
        referral = _lock_referral(referral)
        if response == ConsentResponse.REFUSED:
            referral.status = ReferralStatus.CLOSED
            referral.closed_reason = refused_reason
            _save(referral, actor)
        elif response == ConsentResponse.GIVEN and consent.kind == ConsentKind.INITIAL_EVALUATION:
            referral.status = ReferralStatus.IN_EVALUATION
            _save(referral, actor)
        elif consent.kind == ConsentKind.REEVALUATION and response in (
            ConsentResponse.GIVEN,
            ConsentResponse.NO_RESPONSE,
        ):
            # CONSENT-04: no answer after reasonable efforts lets the reevaluation go ahead.
            referral.status = ReferralStatus.IN_EVALUATION
            _save(referral, actor)
    if response == ConsentResponse.GIVEN and consent.kind == ConsentKind.INITIAL_EVALUATION:
        # 300.301(c)(1): counted from the day the agency receives consent.
        deadline = _store_deadline(
            student=student,
            kind=DeadlineKind.INITIAL_EVALUATION,
            trigger=received_on,
            source=consent,
            field="received_on",
        )
    if document is not None:
        consent.document.save(document.name or "consent", document, save=False)
    consent._history_user = actor  # type: ignore[attr-defined]
    try:
        consent.save()
        audit.record(
            actor=actor,
            action="consent.response_recorded",
            student=student,
            target=consent,
            detail={
                "kind": consent.kind,
                "response": response,
                "deadline_due": deadline.due_on.isoformat() if deadline else None,
            },
        )
    except Exception:
        if document is not None:
            consent.document.delete(save=False)
        raise
    return consent


# --- evaluation -------------------------------------------------------------------------------


@transaction.atomic
def plan_assessments(*, actor: User, referral: Referral, created_on: date) -> AssessmentPlan:
    """Open the assessment plan of a referral whose evaluation consent was given."""
    referral = _lock_referral(referral)
    _require_write(actor, referral.student)
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
    _require_write(actor, referral.student)
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
    """An active team membership for the evaluator, unless they already may change the record."""
    if (
        TeamMembership.objects.active_on(day)
        .filter(staff=evaluator, student=student, role__in=WRITING_TEAM_ROLES)
        .exists()
    ):
        return None
    if StaffRole.objects.filter(staff=evaluator, role=Role.EVALUATOR).exists():
        role = TeamRole.PSYCHOLOGIST
    else:
        role = _AREA_TEAM_ROLE.get(AssessmentArea(area), TeamRole.OTHER)
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
    _require_write(actor, student)
    if assessment.completed_on is not None:
        raise _refuse("completed_on", _("This assessment is already complete."))
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


@transaction.atomic
def complete_evaluation_report(
    *, actor: User, referral: Referral, completed_on: date, summary: str
) -> EvaluationReport:
    """Write the evaluation report once every planned assessment is complete."""
    referral = _lock_referral(referral)
    _require_write(actor, referral.student)
    _require_open(referral, ReferralStatus.IN_EVALUATION)
    if hasattr(referral, "evaluation_report"):
        raise _refuse("referral", _("This referral already has an evaluation report."))
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


# --- eligibility ------------------------------------------------------------------------------


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
) -> EligibilityDecision:
    """Record the team's eligibility decision; an IEP outcome starts the initial IEP clock."""
    referral = _lock_referral(referral)
    student = Student.objects.select_related("district", "school").get(pk=referral.student_id)
    _require_write(actor, student)
    _require_open(referral, ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION)
    if not referral.is_reevaluation and not hasattr(referral, "case_review"):
        raise _refuse("referral", _("Review the referral before deciding eligibility."))
    if hasattr(referral, "eligibility"):
        raise _refuse("referral", _("Eligibility for this referral is already decided."))
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
    _save(decision, actor)
    decision.team_present.set(team)
    # 300.301(c)(1): the evaluation timeline ends when eligibility is determined.
    evaluation_deadline = _initial_evaluation_deadline(referral)
    if evaluation_deadline is not None and evaluation_deadline.met_on is None:
        evaluation_deadline.met_on = decided_on
        _save(evaluation_deadline, actor)
    reevaluation_deadlines = _store_reevaluation_deadlines(student, decision, actor)
    meeting_deadline = None
    if outcome == EligibilityOutcome.IEP and not referral.is_reevaluation:
        meeting_deadline = _store_deadline(
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
        },
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
        for due in Deadline.objects.select_for_update(of=("self",)).filter(
            student=student,
            kind__in=REEVALUATION_KINDS,
            met_on__isnull=True,
            status_basis=DeadlineBasis.DUE,
        ):
            due.met_on = decision.decided_on
            _save(due, actor)
    common = {
        "student": student,
        "trigger": decision.decided_on,
        "source": decision,
        "field": "decided_on",
    }
    if decision.outcome == EligibilityOutcome.IEP:
        disability = _engine_disability(decision.primary_category)
        return [
            _store_deadline(kind=DeadlineKind.REEVALUATION, disability=disability, **common),
            _store_deadline(
                kind=DeadlineKind.REEVALUATION_NOT_BEFORE,
                status_basis=DeadlineBasis.EARLIEST,
                **common,
            ),
        ]
    if decision.outcome == EligibilityOutcome.SECTION_504:
        return [_store_deadline(kind=DeadlineKind.SECTION_504_REEVALUATION, **common)]
    return []
