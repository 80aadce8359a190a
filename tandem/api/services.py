"""The service minutes API, mounted on /api/v1/ with the API's authentication and errors.

GET /students/{id}/services     per service of the active plans: mandated, delivered, made up,
                                missed by cause and owed, for this week, the last four weeks and
                                the year (the student's "Services and minutes" page); 404 out of
                                reach.
GET /services/minutes           every mandate of the schools the caller leads, filtered by
                                ?school= (a school's id) and ?discipline= (slp, ot, pt,
                                counseling, psychology, special_education, other): the rows and
                                the figures of the director's page and its downloads. Leaders
                                only (404 for anyone else); an unknown filter value is a 400
                                naming the parameter. Recorded in the audit log as an export.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Status

from tandem.access.policy import student_access
from tandem.api.schemas import READ_ERRORS, Search, errors
from tandem.api.schemas_services import ServiceMinutes, StudentServices
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.rules import services as rules
from tandem.services import director, director_export
from tandem.services.queries import Window, minutes_for_student

router = Router(tags=["services"])


def _totals(totals: rules.Totals) -> dict[str, Any]:
    return {
        "mandated": totals.mandated,
        "delivered": totals.delivered,
        "made_up": totals.made_up,
        "missed": {code.value: minutes for code, minutes in sorted(totals.missed.items())},
        "owed": totals.owed,
        "percent": totals.percent,
    }


def _window(window: Window) -> dict[str, Any]:
    return {"start": window.start, "end": window.end, **_totals(window.totals)}


@router.get("/students/{student_id}/services", response={200: StudentServices, **READ_ERRORS})
def student_services(request, student_id: str):  # type: ignore[no-untyped-def]
    """Each service of the student's active plans with its minutes per window (all minutes)."""
    access = student_access(request.user, student_id, action=Action.SERVICE_MINUTES__VIEWED)
    student = access.student
    items = []
    for item in minutes_for_student(student, today=clock.today()):
        service = item.service
        items.append(
            {
                "id": str(service.public_id),
                "lineage": str(service.lineage),
                "name": service.name,
                "discipline": director.discipline_of(service),
                "minutes": service.minutes,
                "times": service.times,
                "per": service.per or None,
                "start_date": service.start_date,
                "end_date": service.end_date,
                "counted": not item.uncounted,
                "windows": {w.key: _window(w) for w in item.windows},
            }
        )
    return {"student": str(student.public_id), "services": items}


def _bad_filter(exc: ValidationError) -> Status:
    fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    name, messages = next(iter(fields.items()))
    error = {"status": 400, "code": "invalid", "message": f"{name}: {' '.join(messages)}"}
    return Status(400, {"error": {**error, "fields": fields}})


def _group(group: director.Group) -> dict[str, Any]:
    return {
        "key": group.key,
        "label": group.label,
        "mandates": group.mandates,
        **group.counts,
        "mandated": group.mandated,
        "delivered": group.delivered,
        "percent": group.percent,
        "owed": group.owed,
    }


def _row(row: director.MandateRow) -> dict[str, Any]:
    return {
        "student": {"id": str(row.line.student_public_id), "name": row.student_name},
        "school": {"id": str(row.school.public_id), "name": row.school.name},
        "service": {"id": str(row.line.public_id), "name": row.service_name},
        "discipline": row.discipline,
        "providers": row.providers,
        "status": row.status,
        "reason": row.reason or None,
        "threshold_percent": row.threshold,
        "four_weeks": _window(row.four_weeks),
        "year": _window(row.year),
        "export": director_export.record(row),
    }


@router.get(
    "/services/minutes",
    response={200: ServiceMinutes, **READ_ERRORS, **errors(400)},
)
def service_minutes(request, school: Search = "", discipline: Search = ""):  # type: ignore[no-untyped-def]
    """Mandates served, underserved and unserved, by school, discipline and provider."""
    if not director.is_leader(request.user):
        raise Http404
    try:
        filters = director.parse_filters(request.user, school, discipline)
    except ValidationError as exc:
        return _bad_filter(exc)
    rows = director.mandate_rows(request.user, today=clock.today(), filters=filters)
    director_export.record_export(request.user, rows, fmt="api", filters=filters)
    summaries = {}
    for by in ("school", "discipline", "provider"):
        found, total = director.groups(rows, by)
        summaries[by] = {"groups": [_group(g) for g in found], "total": _group(total)}
    return {
        "filters": filters.as_params(),
        "mandates": [_row(r) for r in rows],
        "summaries": summaries,
    }
