"""What a family is sent (notices, plans, reports, messages), with the dates delivered and opened."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from tandem.communication.models import Delivery
from tandem.core import clock

log = logging.getLogger(__name__)


def _path(url: str) -> str:
    """Deliveries are matched on the path of their link (scheme, host and query ignored)."""
    if not url:
        return ""
    return urlsplit(url).path or url


def record_delivery(
    *,
    student: Any,
    guardian: Any,
    kind: str,
    title: str,
    url: str,
    document_hash: str = "",
    sent_by: Any = None,
) -> Delivery:
    """Record that `guardian` was sent a document about `student` (shown in the portal)."""
    sender = (
        sent_by if sent_by is not None and getattr(sent_by, "is_authenticated", False) else None
    )
    return Delivery.objects.create(
        student=student,
        guardian=guardian,
        kind=(kind or "other")[:40],
        title=str(title)[:300],
        url=str(url or "")[:500],
        document_hash=document_hash or "",
        sent_by=sender,
    )


def mark_opened(user: Any, url: str) -> int:
    """A guardian opened `url`: stamp the first opening of their deliveries with that link.

    Returns how many deliveries were marked; never raises (it runs inside page views).
    """
    try:
        if user is None or not getattr(user, "is_authenticated", False):
            return 0
        guardian = getattr(user, "guardian", None)
    except Exception:  # noqa: BLE001 - no guardian profile
        return 0
    if guardian is None:
        return 0
    path = _path(url)
    if not path:
        return 0
    try:
        with transaction.atomic():
            return Delivery.objects.filter(
                guardian=guardian, url__in={url, path}, opened_at__isnull=True
            ).update(opened_at=clock.now())
    except Exception:  # noqa: BLE001
        log.exception("mark_opened failed for %s", url)
        return 0
