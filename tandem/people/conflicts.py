"""The refusal of a second record for someone the district already has (answered 409)."""

from __future__ import annotations

from uuid import UUID


class AlreadyOnRecord(Exception):
    """A student with this SIS id, or a member of staff with this email, is already on record.

    Nothing was written; `existing` is their public id, so a caller can change them instead.
    """

    def __init__(self, message: str, *, existing: UUID, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing
        self.field = field
