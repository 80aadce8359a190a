"""What the communication pages show, built from plain values: the views only fetch, act and render.

Every builder takes the `Access` decision on the student (already through its gatekeeper) and
hands it to the template as `access`: templates read `access.can.log_contacts` and
`access.can.act_as_family`, and never ask the policy themselves.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from tandem.access.capabilities import Cap
from tandem.access.policy import Access
from tandem.communication import queries
from tandem.communication.forms import ContactForm, MessageForm
from tandem.communication.models import ContactEntry, ContactMethod
from tandem.core import clock
from tandem.people.models import Student


def contact_form(student: Student, data: Any = None) -> ContactForm:
    """The form to add a contact, the student's team offered as follow-up owners."""
    return ContactForm(
        data,
        owners=queries.follow_up_owners(student),
        initial={"contacted_on": clock.today(), "language": "English"},
    )


def log_filter(q: str, method: str) -> tuple[str, str]:
    """The search words (at most 200 characters) and a known contact method, else none."""
    return q.strip()[:200], method if method in ContactMethod.values else ""


def contact_log(access: Access, *, q: str, method: str, form: ContactForm | None) -> dict[str, Any]:
    """The log page: the contacts that match, and the form for those who log contacts."""
    student = access.student
    if form is None and access.has(Cap.LOG_CONTACTS):
        form = contact_form(student)
    return {
        "student": student,
        "access": access,
        "rows": queries.contacts(student, q=q, method=method),
        "form": form,
        "q": q,
        "method": method,
        "methods": ContactMethod.choices,
    }


def message_thread(access: Access, form: MessageForm | None = None) -> dict[str, Any]:
    """The thread, oldest first; read receipts are for the team, not the family."""
    family = access.has(Cap.ACT_AS_FAMILY)
    return {
        "student": access.student,
        "access": access,
        "thread": list(queries.thread(access.student)),
        "form": form or MessageForm(),
        "family": family,
        "show_receipts": not family,
    }


def _safe(text: str) -> str:
    """No spreadsheet formulas from free text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _name(user: Any) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def contact_log_csv(student: Student, rows: Iterable[ContactEntry]) -> HttpResponse:
    """The contacts as a spreadsheet (CSV), free text kept from being read as formulas."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="communication-log-{student.public_id}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("Staff member"),
            _("Family member"),
            _("Method"),
            _("Language"),
            _("Interpreter"),
            _("Summary"),
            _("Follow-up"),
            _("Follow-up by"),
            _("Follow-up owner"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.contacted_on.isoformat(),
                _name(row.staff),
                row.family_member,
                row.get_method_display(),
                row.language,
                row.interpreter,
                _safe(row.summary),
                _safe(row.follow_up),
                row.follow_up_on.isoformat() if row.follow_up_on else "",
                _name(row.follow_up_owner),
            ]
        )
    return response
