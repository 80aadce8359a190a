"""The check that tells a student's case managers when a service falls short, once per episode.

Two kinds (`AlertKind`), per student and service line:

* **below_minutes**: over the last four school weeks the student got less than the district's
  threshold (default 90%, `settings["services"]["threshold_percent"]`) of the mandated minutes,
  delivered and made up, the figure of the minutes page (`queries.minutes_for_student`, window
  "four_weeks"), never counted again here.
* **absences**: a pattern of student absences and refusals, which are not owed back (MISS-1):
  `absence_count` of them within `absence_days` (default 3 in 28 days; compensatory.py).

An episode opens the first time the check finds the condition: the case managers get one
notification in their language, the alert is audited and shows on their home page. Later runs
leave an open episode alone; when a run finds the service recovered the episode is closed (and
audited), so a new fall is a new episode. Run daily: `manage.py check_service_minutes` (queues
the task `tandem.services.tasks.check_service_minutes` for a db_worker, or runs it with --now).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.audit.catalogue import Action
from tandem.communication.notify import notify_localized
from tandem.people.models import Student
from tandem.people.relations import case_managers
from tandem.plans.models import PlanStatus
from tandem.services import compensatory, queries
from tandem.services.models import AlertKind, ServiceAlert, SessionAttendance

NOTIFICATION_KIND = "services.alert"


@dataclass(slots=True)
class CheckResult:
    checked: int = 0
    opened: int = 0
    closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"checked": self.checked, "opened": self.opened, "closed": self.closed}


def _findings(student: Student, today: date) -> dict[tuple[Any, str], tuple[Any, int]]:
    """(lineage, kind) -> (service, figure) for every condition found today."""
    settings = compensatory.settings_for(student.district.settings)
    found: dict[tuple[Any, str], tuple[Any, int]] = {}
    services = {}
    # Only the service lines whose sessions are logged in Tandem: a line never logged (taught
    # in class, or with no provider yet) is the director's "unserved", not a case manager alert.
    logged = set(
        SessionAttendance.objects.filter(student=student).values_list("lineage", flat=True)
    )
    for item in queries.minutes_for_student(student, today=today):
        if item.service.lineage not in logged:
            continue
        services[item.service.lineage] = item.service
        four = next((w for w in item.windows if w.key == "four_weeks"), None)
        percent = four.totals.percent if four is not None else None
        if percent is not None and percent < settings.threshold_percent:
            found[(item.service.lineage, AlertKind.BELOW_MINUTES)] = (item.service, percent)
    for lineage, count in compensatory.absences(student, today=today, settings=settings).items():
        if count >= settings.absence_count and lineage in services:
            found[(lineage, AlertKind.ABSENCES)] = (services[lineage], count)
    return found


def _render(alert: ServiceAlert, threshold: int) -> Any:
    student = alert.student

    def render() -> tuple[str, str]:
        names = {"name": student.display_name, "service": alert.service.name}
        if alert.kind == AlertKind.ABSENCES:
            subject = _("%(name)s keeps missing %(service)s") % names
            body = _(
                "%(n)s sessions of %(service)s were missed by the student (absent or refused) in "
                "the last four weeks. These minutes are not owed back; consider asking the IEP "
                "team why."
            ) % {"n": alert.figure, "service": alert.service.name}
        else:
            subject = _("%(name)s is below the minutes of %(service)s") % names
            body = _(
                "Over the last four weeks %(name)s got %(percent)s%% of the mandated minutes of "
                "%(service)s (the district's threshold is %(threshold)s%%). See what is owed."
            ) % {**names, "percent": alert.figure, "threshold": threshold}
        return subject, body

    return render


def _open(student: Student, service: Any, kind: str, figure: int, today: date) -> ServiceAlert:
    alert = ServiceAlert.objects.create(
        student=student,
        kind=kind,
        lineage=service.lineage,
        service=service,
        opened_on=today,
        figure=figure,
    )
    threshold = compensatory.settings_for(student.district.settings).threshold_percent
    sent = notify_localized(
        case_managers(student, today=today),
        render=_render(alert, threshold),
        url=reverse("student_services", args=[student.public_id]),
        student=student,
        kind=NOTIFICATION_KIND,
    )
    if sent:
        ServiceAlert.objects.filter(pk=alert.pk).update(notified=len(sent))
    audit.record(
        actor=None,
        action=Action.SERVICE_ALERT__RAISED,
        student=student,
        target=alert,
        detail={"kind": kind, "service": service.name[:100], "figure": figure, "told": len(sent)},
    )
    return alert


@transaction.atomic
def check_student(student: Student, *, today: date) -> CheckResult:
    """Open an episode for each new finding, close the episodes that recovered."""
    result = CheckResult(checked=1)
    found = _findings(student, today)
    open_alerts = {
        (a.lineage, a.kind): a
        for a in ServiceAlert.objects.select_for_update(of=("self",)).filter(
            student=student, closed_on__isnull=True
        )
    }
    for key, (service, figure) in found.items():
        if key not in open_alerts:
            _open(student, service, key[1], figure, today)
            result.opened += 1
    for key, alert in open_alerts.items():
        if key in found:
            continue
        ServiceAlert.objects.filter(pk=alert.pk).update(closed_on=today)
        audit.record(
            actor=None,
            action=Action.SERVICE_ALERT__CLOSED,
            student=student,
            target=alert,
            detail={"kind": alert.kind, "opened_on": alert.opened_on.isoformat()},
        )
        result.closed += 1
    return result


def students_to_check() -> QuerySet[Student]:
    """Students with an active plan that counts minutes, or with an open episode."""
    logged = SessionAttendance.objects.values("student_id")
    return (
        Student.objects.filter(
            Q(plans__status=PlanStatus.ACTIVE, pk__in=logged)
            | Q(pk__in=ServiceAlert.objects.filter(closed_on__isnull=True).values("student_id"))
        )
        .distinct()
        .order_by("id")
    )


def check_all(*, today: date, students: Iterable[Student] | None = None) -> CheckResult:
    total = CheckResult()
    chosen = list(students if students is not None else students_to_check())
    for student in Student.objects.filter(pk__in=[s.pk for s in chosen]).select_related(
        "district", "school"
    ):
        one = check_student(student, today=today)
        total.checked += one.checked
        total.opened += one.opened
        total.closed += one.closed
    return total


def open_alerts_for(students: Iterable[Student]) -> dict[int, list[ServiceAlert]]:
    """Per student id, the open episodes (1 query), for the caseload and the services page."""
    found: dict[int, list[ServiceAlert]] = {}
    for alert in ServiceAlert.objects.filter(
        student__in=list(students), closed_on__isnull=True
    ).select_related("service"):
        found.setdefault(alert.student_id, []).append(alert)
    return found
