"""Abstract bases: the header every model repeated, written once.

- `PublicId`: the UUID that addresses a record in URLs and the API (never the integer key).
- `StudentOwned`: the link to the student a record belongs to, the key the access policy follows.
- `Authored`: who made the record and when.
- `AppendOnly`: a record that is never changed or deleted once written; its queryset refuses
  `update()` and `delete()` too, so a bulk call cannot go round the guard.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from tandem.core import clock


class AppendOnlyError(PermissionError):
    """An attempt to change or delete a record that is kept as written."""


class PublicId(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class StudentOwned(models.Model):
    """Belongs to one student; `related_name` is the model's name in the plural (`plans`)."""

    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="%(class)ss"
    )

    class Meta:
        abstract = True


class Authored(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.label} is append-only")
