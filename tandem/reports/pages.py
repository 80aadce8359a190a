"""What the progress-report pages show, from plain values: the views only fetch and answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict

from tandem import audit
from tandem.access.policy import Access, standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import MarkingPeriod, School, Student
from tandem.reports import actions, queries, schedule
from tandem.reports.forms import BatchForm, ReportEditForm, SchoolPeriodForm, default_period
from tandem.reports.models import ProgressReport, ProgressReportGoal


@dataclass(frozen=True, slots=True)
class Chosen:
    """The schools a person may pick on the list page, the one chosen, and its periods."""

    schools: list[School]
    school: School | None
    periods: list[MarkingPeriod] = field(default_factory=list)
    period: MarkingPeriod | None = None

    @property
    def initial(self) -> dict[str, str]:
        return {
            "school": str(self.school.public_id) if self.school else "",
            "period": str(self.period.pk) if self.period else "",
        }

    def as_period(self) -> schedule.Period | None:
        mp = self.period
        return (
            None if mp is None else schedule.Period(mp.name, mp.start, mp.end, mp.report_card_date)
        )


def school_and_period(user: User, data: QueryDict, today: date) -> Chosen:
    """The school and marking period asked for, else the first school and today's period."""
    schools = list(queries.schools_for(user))
    by_id = {str(s.public_id): s for s in schools}
    school = by_id.get(str(data.get("school", ""))) or (schools[0] if schools else None)
    if school is None:
        return Chosen(schools, None)
    periods = queries.marking_periods_for(school)
    by_pk = {str(p.pk): p for p in periods}
    period = by_pk.get(str(data.get("period", ""))) or default_period(periods, today)
    return Chosen(schools, school, periods, period)


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    reports = [r["report"] for r in rows if r["report"]]
    issued = sum(1 for report in reports if report.is_issued)
    return {"issued": issued, "draft": len(reports) - issued, "missing": len(rows) - len(reports)}


def list_context(user: User, data: QueryDict, today: date) -> dict[str, Any]:
    """A school's reports for one marking period, and its batches (audited)."""
    chosen = school_and_period(user, data, today)
    school, period = chosen.school, chosen.period
    form = SchoolPeriodForm(initial=chosen.initial, schools=chosen.schools, periods=chosen.periods)
    context: dict[str, Any] = {"form": form, "school": school, "period": period, "rows": []}
    # Leaders also report the district's federal counts: the page links them (federal_views).
    led = standing(user, today=today)
    context["federal"] = bool(led.admin_district_ids or led.admin_school_ids)
    if school is None or period is None:
        return context | {"counts": _counts([])}
    rows = queries.school_rows(user, school, period)
    leader = queries.leads_school(user, school)
    batch_form = BatchForm(initial=chosen.initial, schools=chosen.schools, periods=chosen.periods)
    audit.record(
        actor=user,
        action=Action.PROGRESS_REPORT__LIST_VIEWED,
        district=school.district,
        detail={"school": school.name, "period": period.name, "students": len(rows)},
        students=[row["student"].pk for row in rows],
    )
    return context | {
        "rows": rows,
        "counts": _counts(rows),
        "batch_form": batch_form if leader else None,
        "batches": list(queries.batches_for(user, school)[:5]),
    }


def edit_form(report: ProgressReport, access: Access, data: QueryDict | None) -> Any:
    """The form of a draft's words, for those who may word it; None otherwise."""
    if data is None and (report.is_issued or not access.can.record_progress):
        return None
    return ReportEditForm(data, rows=list(report.goals.order_by("position", "id")))


def _graphs(rows: list[ProgressReportGoal], report: ProgressReport) -> dict[Any, Any]:
    """Live progress for a draft's goals (issued reports show what was frozen)."""
    if report.is_issued:
        return {}
    return actions.progress_until([r.goal for r in rows if r.goal is not None], report.period_end)


def detail_context(
    user: User, report: ProgressReport, access: Access, form: ReportEditForm | None
) -> dict[str, Any]:
    """One report: each goal with its words (or the fields to edit them) and its graph."""
    rows = list(
        report.goals.select_related("goal__plan__student__district").order_by("position", "id")
    )
    progress = _graphs(rows, report)
    bound = {b["row"].pk: b for b in form.bound_rows()} if form is not None else {}
    items = [
        {
            "row": row,
            "gp": progress.get(row.goal_lineage),
            "graph_html": row.data.get("graph_html", "") if report.is_issued else "",
            "fields": bound.get(row.pk),
        }
        for row in rows
    ]
    return {
        "report": report,
        "student": access.student,
        "access": access,
        "items": items,
        "form": form,
        "is_staff": queries.is_staff_reader(user),
    }


def draft_periods(student: Student) -> list[schedule.Period]:
    """The reporting periods of the student's IEP in effect (none without one)."""
    plan = queries.reporting_plan(student)
    return schedule.periods_for(plan) if plan is not None else []
