"""The worker's side of plan PDFs (django-tasks): take a queued render, make it in a child
process under the time limit, and keep the file, or say why not.

The claim is the outbox's (tandem/meetings/tasks.py): one conditional UPDATE takes the row, so
two workers never render the same one, and the row is the worker's only until `lease_until`. A
worker that dies mid-render leaves its row "being made" past the lease; the next run (the task
enqueued again by the page that finds it so, or a retry) takes it over.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django_tasks import task

from tandem.core import clock
from tandem.documents.isolated import RenderFailed, RenderTimedOut, write_pdf_isolated
from tandem.documents.storage import document_storage
from tandem.plans import pdf_document
from tandem.plans.models import PdfFailure, PdfStatus, PlanPdf

log = logging.getLogger(__name__)

# Beyond the layout's limit: the HTML (bounded by the input limits, about a second at the
# largest) and the file's write. A live worker always finishes or kills its child within this.
LEASE_MARGIN = timedelta(seconds=60)


def lease() -> timedelta:
    return timedelta(seconds=float(settings.PDF_RENDER_SECONDS)) + LEASE_MARGIN


def lease_expired(row: PlanPdf, now: datetime) -> bool:
    return row.status == PdfStatus.RENDERING and (row.lease_until is None or row.lease_until <= now)


def _claim(pdf_id: int, now: datetime) -> datetime | None:
    """Take the row (queued, or abandoned past its lease); the new lease, or None if taken."""
    until = now + lease()
    taken = (
        PlanPdf.objects.filter(pk=pdf_id)
        .filter(
            Q(status=PdfStatus.QUEUED)
            | Q(status=PdfStatus.RENDERING, lease_until__lte=now)
            | Q(status=PdfStatus.RENDERING, lease_until__isnull=True)
        )
        .update(status=PdfStatus.RENDERING, lease_until=until, attempts=F("attempts") + 1)
    )
    return until if taken else None


def stored_name(row: PlanPdf, sha256: str) -> str:
    return f"plans/pdf/{row.plan.public_id}/{row.key}-{row.language}-{sha256[:16]}.pdf"


def render_one(pdf_id: int, *, now: datetime | None = None) -> str:
    """Render one queued PDF; "ready", "failed", "superseded" or "skipped" (someone has it)."""
    until = _claim(pdf_id, now or clock.now())
    if until is None:
        return "skipped"
    row = PlanPdf.objects.select_related("plan__student", "plan__current_version", "version").get(
        pk=pdf_id
    )
    mine = PlanPdf.objects.filter(pk=pdf_id, status=PdfStatus.RENDERING, lease_until=until)
    if row.version is not None:
        target = pdf_document.Target(row.version, row.key, row.version.snapshot)
    else:
        target = pdf_document.target_for(row.plan, None)
        if target.key != row.key:
            # The draft was saved again since this was asked for: the page asks for the new one.
            mine.delete()
            return "superseded"
    started = time.monotonic()
    try:
        html = pdf_document.html_for(row.plan, target, row.language)
        pdf = write_pdf_isolated(html, seconds=float(settings.PDF_RENDER_SECONDS))
    except Exception as error:  # noqa: BLE001 - recorded on the row, never lost
        failure = PdfFailure.TIMED_OUT if isinstance(error, RenderTimedOut) else PdfFailure.ERROR
        if not isinstance(error, RenderFailed):
            log.exception("plan PDF %s could not be made", pdf_id)
        else:
            log.warning("plan PDF %s failed: %s", pdf_id, error)
        mine.update(
            status=PdfStatus.FAILED,
            failure=failure,
            detail=f"{type(error).__name__}: {error}"[:2000],
            render_seconds=time.monotonic() - started,
            lease_until=None,
        )
        return "failed"
    return "ready" if keep(row, pdf, seconds=time.monotonic() - started, until=until) else "skipped"


def keep(row: PlanPdf, pdf: bytes, *, seconds: float, until: datetime | None) -> bool:
    """Write the file, then mark the row ready, if the row is still ours (`until`, our lease;
    None: the request's render, which completes a row nobody is rendering)."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    name = document_storage().save(stored_name(row, sha256), ContentFile(pdf))
    rows = PlanPdf.objects.filter(pk=row.pk)
    if until is not None:
        rows = rows.filter(status=PdfStatus.RENDERING, lease_until=until)
    else:
        rows = rows.filter(
            Q(status__in=(PdfStatus.QUEUED, PdfStatus.FAILED))
            | Q(status=PdfStatus.RENDERING, lease_until__lte=clock.now())
        )
    done = rows.update(
        status=PdfStatus.READY,
        file=name,
        sha256=sha256,
        size=len(pdf),
        rendered_at=clock.now(),
        render_seconds=seconds,
        lease_until=None,
        failure="",
        detail="",
    )
    if not done:
        # Another worker took the row over (ours ran past its lease) or it is ready already.
        document_storage().delete(name)
        return False
    if row.version_id is None:
        drop_draft_pdfs(row.plan_id, but=row.pk)
    return True


def drop_draft_pdfs(plan_id: int, *, but: int | None = None) -> None:
    """A draft's older PDFs show content that is gone: their rows and files go."""
    older = PlanPdf.objects.filter(plan_id=plan_id, version__isnull=True).exclude(
        Q(pk=but) | Q(status=PdfStatus.RENDERING)
    )
    for name in older.exclude(file="").values_list("file", flat=True):
        document_storage().delete(name)
    older.delete()


@task()
def render_plan_pdf(pdf_id: int) -> str:
    """In the background: make one plan PDF under the time limit."""
    return render_one(pdf_id)
