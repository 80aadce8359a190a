"""The Medicaid export as streamed CSV: the billable lines, or those that cannot be billed and why.

One line per student per session (`medicaid.lines`), written as it is read: the response is a
`StreamingHttpResponse` over a generator, so a month of a large district never sits in memory.
Cells that a spreadsheet would run as a formula are quoted (CSV injection), as in the director's
download. Each download is recorded once in the audit log, before the first line leaves, with its
range, the state profile and the number of student-session rows in the range.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import District
from tandem.plans.models import PlanKind
from tandem.services import medicaid
from tandem.services.medicaid import Line
from tandem.services.medicaid_profiles import profile_for
from tandem.services.models import AttendanceCode

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BILLABLE, UNBILLABLE = "billable", "unbillable"


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def billable_columns() -> list[tuple[str, str]]:
    return [
        ("student", _("Student")),
        ("date_of_birth", _("Date of birth")),
        ("medicaid_id", _("Medicaid ID")),
        ("local_id", _("Local id")),
        ("date", _("Date of service")),
        ("start", _("Start time")),
        ("end", _("End time")),
        ("minutes", _("Billable minutes")),
        ("units", _("Units")),
        ("procedure", _("Procedure code")),
        ("modifiers", _("Modifiers")),
        ("place", _("Place of service")),
        ("group", _("Individual or group")),
        ("group_size", _("Group size")),
        ("service", _("Service")),
        ("rendering_name", _("Rendering provider")),
        ("rendering_npi", _("Rendering NPI")),
        ("rendering_licence", _("Rendering licence")),
        ("rendering_credentials", _("Credentials")),
        ("supervising_name", _("Supervising provider")),
        ("supervising_npi", _("Supervising NPI")),
        ("supervising_licence", _("Supervising licence")),
        ("plan", _("Plan")),
        ("plan_from", _("Plan in force from")),
        ("plan_to", _("Plan in force to")),
        ("consent_on", _("Consent to bill given")),
        ("notice_on", _("Last yearly notice")),
        ("signed_at", _("Signed at")),
        ("session", _("Session reference")),
    ]


def unbillable_columns() -> list[tuple[str, str]]:
    return [
        ("student", _("Student")),
        ("local_id", _("Local id")),
        ("date", _("Date of service")),
        ("start", _("Start time")),
        ("minutes", pgettext("length in minutes", "Minutes")),
        ("attendance", _("Attendance")),
        ("service", _("Service")),
        ("rendering_name", _("Provider")),
        ("reasons", _("Why it cannot be billed")),
        ("reason_codes", _("Reason codes")),
        ("session", _("Session reference")),
    ]


class Labels:
    """Words every line repeats, translated once per download (a choice's label per row costs)."""

    def __init__(self) -> None:
        self.plan = {key: str(label) for key, label in PlanKind.choices}
        self.code = {key: str(label) for key, label in AttendanceCode.choices}
        self.group, self.individual = _("group"), _("individual")


def record(line: Line, labels: Labels | None = None) -> dict[str, Any]:
    """The line's fields by the keys of both column lists."""
    labels = labels or Labels()
    session, plan, status = line.session, line.plan, line.status
    provider, supervisor = line.provider, line.supervisor
    licence, sup_licence = line.licence, line.supervisor_licence
    return {
        "student": line.student.legal_name,
        "date_of_birth": _iso(line.student.date_of_birth),
        "medicaid_id": status.medicaid_id,
        "local_id": line.student.sis_id,
        "date": _iso(session.day),
        "start": line.start.strftime("%H:%M"),
        "end": line.end.strftime("%H:%M"),
        "minutes": line.minutes,
        "units": line.units,
        "procedure": line.code,
        "modifiers": " ".join(line.modifiers),
        "place": line.place,
        "group": labels.group if line.group_size > 1 else labels.individual,
        "group_size": line.group_size,
        "service": line.row.service.name,
        "rendering_name": provider.name if provider else "",
        "rendering_npi": provider.npi if provider else "",
        "rendering_licence": f"{licence.state} {licence.number}" if licence else "",
        "rendering_credentials": provider.credentials if provider else "",
        "supervising_name": supervisor.name if supervisor else "",
        "supervising_npi": supervisor.npi if supervisor else "",
        # The licence the supervisor co-signed with; else the one they hold on the day.
        "supervising_licence": line.cosigned_licence
        or (f"{sup_licence.state} {sup_licence.number}" if sup_licence else ""),
        "plan": labels.plan.get(plan.kind, plan.kind),
        "plan_from": _iso(plan.effective_from),
        "plan_to": _iso(plan.effective_to),
        "consent_on": _iso(status.consent_on),
        "notice_on": _iso(status.notice_on),
        "signed_at": session.signed_at.isoformat(timespec="minutes") if session.signed_at else "",
        "session": str(session.public_id),
        "attendance": labels.code.get(line.row.code, line.row.code),
        "reasons": medicaid.reason_words(line) if line.reasons else "",
        "reason_codes": " ".join(line.reasons),
    }


def _cell(value: object) -> object:
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer over a stream."""

    def write(self, value: str) -> str:
        return value


def rows_of(lines: Iterable[Line], which: str) -> Iterator[str]:
    """The CSV text, header first, line by line: the billable lines or the others."""
    columns = billable_columns() if which == BILLABLE else unbillable_columns()
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([label for _key, label in columns])  # BOM: Excel reads UTF-8
    want = which == BILLABLE
    labels = Labels()
    for line in lines:
        if line.billable is want:
            fields = record(line, labels)
            yield writer.writerow([_cell(fields[key]) for key, _label in columns])


def record_export(
    user: User,
    district: District,
    start: date,
    end: date,
    *,
    which: str,
    rows: int,
    students: list[int],
) -> None:
    """The download in the log, naming each student with a session in the period (whichever
    list a line falls in: the file is streamed after, and both lists read the same sessions)."""
    audit.record(
        students=students,
        actor=user,
        action=Action.MEDICAID__EXPORTED,
        district=district,
        detail={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "list": which,
            "profile": profile_for(district.state).key,
            "rows": rows,
        },
    )


def csv_response(
    user: User, district: District, start: date, end: date, *, which: str
) -> StreamingHttpResponse:
    """The streamed download, recorded in the audit log first."""
    attendance = medicaid.attendance_in(district, start, end)
    students = list(attendance.order_by().values_list("student_id", flat=True).distinct())
    record_export(
        user, district, start, end, which=which, rows=attendance.count(), students=students
    )
    name = f"medicaid-{which}-{district.slug}-{start.isoformat()}-{end.isoformat()}.csv"
    response = StreamingHttpResponse(
        rows_of(medicaid.lines(district, start, end), which),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
