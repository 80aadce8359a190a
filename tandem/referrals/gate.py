"""Gatekeepers for the referral pages: every record is reached through its student's access."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import ASSESSMENT_REOPENER, access_owned, is_owner
from tandem.access.policy import Need, decision_for
from tandem.documents import pdf
from tandem.people.models import Student
from tandem.referrals import actions, queries
from tandem.referrals.models import Referral


def _viewed(request: HttpRequest) -> str | None:
    # Reading a page is an access; a POST is recorded by the action it runs.
    return "student.viewed" if request.method == "GET" else None


def referral_page(
    request: HttpRequest, referral_id: object, *, need: Cap | Need = Need.READ, steps: bool = False
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
    request: HttpRequest, model: Any, public_id: object, *, student_path: str, need: Cap | Need
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
    action's own rule on when (`actions.reopen_refusal`)."""
    if actions.reopen_refusal(assessment) is not None:
        return False
    decision = decision_for(user, student)
    unless = ASSESSMENT_REOPENER.unless
    if decision.is_leader or (unless is not None and decision.has(unless)):
        return decision.has(Cap.RECORD_ASSESSMENT)
    return decision.has(Cap.RECORD_ASSESSMENT) and is_owner(
        user, assessment, ASSESSMENT_REOPENER.field
    )


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
