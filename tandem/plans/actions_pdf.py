"""Asking for a plan's PDF: queue a render for the worker, keep one made in the request, and
try a failed one again (audited). A frozen version's PDFs are queued when it is frozen, in the
family's language and in English, so that they are ready before anyone asks.
"""

from __future__ import annotations

from django.db import transaction

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.plans import pdf_document, queries
from tandem.plans.models import PdfStatus, Plan, PlanPdf, PlanVersion
from tandem.plans.pdf_worker import drop_draft_pdfs, keep, lease_expired, render_plan_pdf

# A version's PDF made ahead of time waits behind everything else the worker has (mail,
# reports, a PDF someone is waiting for): a district freezing many plans, or the demo seeding
# them, must not hold up a parent's notification for minutes.
AHEAD_OF_TIME = -50


def _enqueue_on_commit(row: PlanPdf, *, priority: int | None = None) -> None:
    pdf_id = row.pk
    task = render_plan_pdf if priority is None else render_plan_pdf.using(priority=priority)
    transaction.on_commit(lambda: task.enqueue(pdf_id))


def _row(plan: Plan, target: pdf_document.Target, language: str) -> tuple[PlanPdf, bool]:
    return PlanPdf.objects.get_or_create(
        plan=plan, key=target.key, language=language, defaults={"version": target.version}
    )


@transaction.atomic
def request_render(*, plan: Plan, target: pdf_document.Target, language: str) -> PlanPdf:
    """The row for this PDF, queued for the worker if new; an abandoned render is taken over."""
    row, created = _row(plan, target, language)
    if created or lease_expired(row, clock.now()):
        _enqueue_on_commit(row)
    return row


def queue_version_pdfs(version: PlanVersion) -> None:
    """Queue a new version's PDFs (the family's language and English) once it is committed."""
    plan = version.plan
    target = pdf_document.Target(version, f"v{version.number}", version.snapshot)
    for language in dict.fromkeys((queries.language_for(plan.student), "en")):
        row, created = _row(plan, target, language)
        if created:
            _enqueue_on_commit(row, priority=AHEAD_OF_TIME)
    # The draft's PDFs showed what is now this version.
    drop_draft_pdfs(plan.pk)


@transaction.atomic
def requeue(*, row: PlanPdf) -> None:
    """A kept file gone missing or changed on disk: make it again (the render is the same)."""
    if PlanPdf.objects.filter(pk=row.pk, status=PdfStatus.READY).update(
        status=PdfStatus.QUEUED, file="", sha256="", size=0, lease_until=None
    ):
        _enqueue_on_commit(row)


@transaction.atomic
def keep_inline(
    *, plan: Plan, target: pdf_document.Target, language: str, pdf: bytes, seconds: float
) -> None:
    """Keep a version's PDF made in the request (small ones are), unless one is kept already."""
    row, _created = _row(plan, target, language)
    if row.status != PdfStatus.READY:
        keep(row, pdf, seconds=seconds, until=None)


@transaction.atomic
def retry_plan_pdf(*, actor: User, plan: Plan, row: PlanPdf) -> PlanPdf:
    """Queue a failed PDF again; the team that writes the plan may ask."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    retried = PlanPdf.objects.filter(pk=row.pk, status=PdfStatus.FAILED).update(
        status=PdfStatus.QUEUED, failure="", detail="", lease_until=None
    )
    audit.record(
        actor=actor,
        action=Action.PLAN__PDF_RETRIED,
        student=plan.student,
        target=plan,
        detail={"pdf": row.key, "language": row.language, "requeued": bool(retried)},
    )
    if retried:
        _enqueue_on_commit(row)
    row.refresh_from_db()
    return row
