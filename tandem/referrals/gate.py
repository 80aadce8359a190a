"""Gatekeepers for the referral pages: every record is reached through its student's access."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import ASSESSMENT_REOPENER, access_owned
from tandem.access.policy import decision_for
from tandem.documents import pdf
from tandem.people.models import Student
from tandem.referrals import actions_evaluation, queries
from tandem.referrals.models import Assessment, Referral


def _viewed(request: HttpRequest) -> str | None:
    # Reading a page is an access; a POST is recorded by the action it runs.
    return "student.viewed" if request.method == "GET" else None


def referral_page(
    request: HttpRequest, referral_id: object, *, need: Cap = Cap.READ, steps: bool = False
) -> tuple[Referral, Student]:
    """The referral and its student, decided by the one policy (404 out of reach, 403 without)."""
    source = queries.referrals_with_steps() if steps else Referral.objects.all()
    referral, decision = access_owned(
        request.user,  # type: ignore[arg-type]
        source,
        referral_id,
        need=need,
        action=_viewed(request),
    )
    return referral, decision.student


def record_page(
    request: HttpRequest, model: Any, public_id: object, *, student_path: str, need: Cap = Cap.READ
) -> tuple[Any, Student]:
    """A record hanging off a student (a notice, a consent, an assessment), by the policy."""
    record, decision = access_owned(
        request.user,  # type: ignore[arg-type]
        model,
        public_id,
        need=need,
        via=student_path,
        action=_viewed(request),
    )
    return record, decision.student


def may_reopen(user: Any, assessment: Any, student: Student) -> bool:
    """Whether the page offers to reopen this assessment: the policy's owner rule, and the
    action's own rule on when (`actions_evaluation.reopen_refusal`)."""
    if actions_evaluation.reopen_refusal(assessment) is not None:
        return False
    return actions_evaluation.may_record(user, assessment, student)


def assessment_page(request: HttpRequest, assessment_id: object) -> tuple[Assessment, Student]:
    """An assessment, for those who record assessments on the student; a POST records its
    results, which is its evaluator's act (or whoever runs the evaluation, or a leader's)."""
    posting = request.method == "POST"
    assessment, decision = access_owned(
        request.user,  # type: ignore[arg-type]
        Assessment.objects.select_related("plan__referral__student__school", "evaluator__user"),
        assessment_id,
        need=Cap.RECORD_ASSESSMENT,
        via="plan__referral__student",
        owner=ASSESSMENT_REOPENER if posting else None,
        action=_viewed(request),
    )
    return assessment, decision.student


def assessment_context(user: Any, assessment: Assessment, student: Student) -> dict[str, Any]:
    """What the assessment's page shows besides its form: the results, and who may act."""
    done = assessment.completed_on is not None
    return {
        "student": student,
        "referral": assessment.plan.referral,
        "assessment": assessment,
        "done": done,
        "may_record": actions_evaluation.may_record(user, assessment, student),
        "may_reopen": done and may_reopen(user, assessment, student),
        "reopenings": queries.reopenings(assessment),
    }


def may_take(user: Any, student: Student, step: Any) -> bool:
    """Whether the referral's page links its next step: the steps are the evaluation's
    (RUN_EVALUATION), but an evaluator reaches the assessments to record their own."""
    decision = decision_for(user, student)
    if step is None or not step.url_name:
        return False
    if step.url_name == "assessment_plan" and decision.has(Cap.RECORD_ASSESSMENT):
        return True
    return decision.has(Cap.RUN_EVALUATION)


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, language: str, filename: str
) -> HttpResponse:
    """Render `template` in `language` and return it as a PDF."""
    return pdf.pdf_response(pdf.render_pdf(request, template, context, language=language), filename)


def download(
    request: HttpRequest, *, student: Student, record: Any, field: Any, name: str, content_type: str
) -> FileResponse:
    """Serve a stored file as an attachment, after the gatekeeper, and record the disclosure."""
    if not field:
        raise Http404
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action="evidence.downloaded",
        student=student,
        target=record,
        detail={"name": name},
    )
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
