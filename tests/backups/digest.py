"""A digest of every row's field values per table, to compare a source with its restore.

`python -m tests.backups.digest` prints the digests of the database DATABASE_URL names (the
restored one, in a process of its own) as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from typing import Any

if __name__ == "__main__":  # run on its own: Django first, then the models
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.db.models import Model  # noqa: E402

from tandem.accounts.models import AuditEvent  # noqa: E402
from tandem.audit.catalogue import Action  # noqa: E402
from tandem.backups.graph import plan  # noqa: E402

# An audit event's id and its links change when it joins another chain; what it says does not.
CHAIN = {"id", "prev_hash", "hash"}
IMPORT_EVENT = Action.DISTRICT__IMPORTED.value


def _value(obj: Model, field: Any) -> Any:
    value = getattr(obj, field.attname)
    if value is not None and field.is_relation and field.related_model is AuditEvent:
        # A key to an audit event follows the event to its new id: compare what it points at.
        event = AuditEvent.objects.get(pk=value)
        return [event.at, event.action, event.actor_id, event.object_id]
    return value


def row_values(obj: Model) -> list[Any]:
    skip = CHAIN if isinstance(obj, AuditEvent) else set()
    return [[f.attname, _value(obj, f)] for f in obj._meta.concrete_fields if f.attname not in skip]


def row_hashes(rows: Iterable[Model]) -> list[str]:
    """One SHA-256 per row of its field values, sorted: equal lists, equal rows."""
    found = []
    for obj in rows:
        if isinstance(obj, AuditEvent) and obj.action == IMPORT_EVENT:
            continue
        text = json.dumps(row_values(obj), default=str, sort_keys=True)
        found.append(hashlib.sha256(text.encode()).hexdigest())
    return sorted(found)


def whole_database() -> dict[str, list[str]]:
    return {
        t.label: row_hashes(t.model._base_manager.order_by("pk").iterator()) for t in plan().order()
    }


if __name__ == "__main__":
    print(json.dumps(whole_database()))
