"""Gatekeepers for the referral pages: every record is reached through its student's access."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from tandem import audit
from tandem.access.policy import Need, access_student, parse_public_id
from tandem.documents import pdf
from tandem.people.models import Student
from tandem.referrals import queries
from tandem.referrals.models import Referral


def _viewed(request: HttpRequest) -> str | None:
    # Reading a page is an access; a POST is recorded by the action it runs.
    return "student.viewed" if request.method == "GET" else None


def access_referral(
    request: HttpRequest, referral_id: object, *, need: Need = Need.READ, steps: bool = False
) -> tuple[Referral, Student]:
    """The referral and its student if the user holds `need` on the student; else 404/403."""
    key = parse_public_id(referral_id)
    if steps:
        referral = queries.referral_with_steps(key)
    else:
        referral = Referral.objects.select_related("student").filter(public_id=key).first()
    if referral is None:
        raise Http404
    student = access_student(
        request.user,  # type: ignore[arg-type]
        referral.student.public_id,
        need=need,
        action=_viewed(request),
    )
    return referral, student


def access_record(
    request: HttpRequest, model: Any, public_id: object, *, student_path: str, need: Need
) -> tuple[Any, Student]:
    """A record hanging off a student (a notice, a consent, an assessment) by public id."""
    key = parse_public_id(public_id)
    record = model.objects.select_related(student_path).filter(public_id=key).first()
    if record is None:
        raise Http404
    owner = record
    for part in student_path.split("__"):
        owner = getattr(owner, part)
    student = access_student(
        request.user,  # type: ignore[arg-type]
        owner.public_id,
        need=need,
        action=_viewed(request),
    )
    return record, student


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
