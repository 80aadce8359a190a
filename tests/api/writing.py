"""Helpers for the roster writes' tests (tests/api/test_writes_*.py): calls with a persona's
token, and the row counts that show a refused call changed nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.test import Client

from tandem.accounts.models import AuditEvent, User
from tandem.api.tokens import issue_token
from tandem.people.models import (
    CaseloadAssignment,
    Enrollment,
    ProviderAssignment,
    Staff,
    StaffRole,
    Student,
    TeamMembership,
)

TODAY = date(2026, 1, 15)
API = "/api/v1"


def call(
    client: Client,
    user: User | None,
    method: str,
    path: str,
    body: Any = None,
    *,
    scope: str = "write",
    token: str | None = None,
) -> Any:
    """One API call with `token`, or a fresh token of `user` (scope "read" or "write")."""
    if token is None:
        assert user is not None
        token = issue_token(actor=None, user=user, scope=scope)
    return client.generic(
        method,
        API + path,
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def rows() -> tuple[int, ...]:
    """Every roster table's row count, and the log's writes (refusals and reads aside)."""
    models = (Student, Enrollment, Staff, User, StaffRole, CaseloadAssignment, TeamMembership,
              ProviderAssignment)  # fmt: skip
    # A call's token is issued (and logged) before it: not the call's doing.
    writes = AuditEvent.objects.exclude(action__regex=r"^(access|api_token)\.|viewed$")
    return (*(m.objects.count() for m in models), writes.count())


def error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]  # type: ignore[no-any-return]
