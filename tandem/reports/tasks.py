"""Background work for progress reports (django-tasks): a school's reports for one period."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from tandem.reports.models import BatchStatus, ReportBatch

log = logging.getLogger(__name__)


@task()
def run_report_batch(batch_id: int) -> dict[str, int]:
    """Draft (or draft and issue) every report of a batch, counting as it goes."""
    from tandem.reports.actions import run_batch

    batch = (
        ReportBatch.objects.select_related("school__district", "created_by")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None or batch.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        return {"done": 0, "failed": 0, "total": 0}
    try:
        batch = run_batch(batch)
    except Exception:
        log.exception("report batch %s stopped", batch_id)
        ReportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, finished_at=timezone.now()
        )
        raise
    return {"done": batch.done, "failed": batch.failed, "total": batch.total}
