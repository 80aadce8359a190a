"""`/healthz` for the proxy and the orchestrator: can we reach the database, is the worker keeping up.

It answers without sign-in and shows no student data: only "ok" or what is wrong, the age in
seconds of the oldest task waiting for the worker, and how many wait. A queue older than
`HEALTH_QUEUE_MAX_SECONDS` means the worker is down or stuck (mail and report batches wait).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _queue() -> dict[str, object]:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    limit = settings.HEALTH_QUEUE_MAX_SECONDS
    return {"waiting": waiting.count(), "oldest_seconds": age, "ok": age <= limit}


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queue = _queue()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    healthy = bool(queue["ok"])
    body = {"status": "ok" if healthy else "degraded", "database": "ok", "queue": queue}
    return JsonResponse(body, status=200 if healthy else 503)
