"""Ed-Fi special-education and Section 504 program associations -> imported plans.

Each StudentSpecialEducationProgramAssociation becomes an IEP, each
StudentSection504ProgramAssociation a 504 Plan, marked `imported`, with what the record knew:
its dates, its disabilities (mapped to the IDEA categories), its setting (mapped to the
section 618 environment codes), its services, and its exit. A program with an EndDate on or
before today is ended with its reason (the special-education basis of exit, else ReasonExited);
the others are in force, and the deadline engine counts their next annual review (from the last
IEP review or 504 meeting) and reevaluation (from the last evaluation or 504 decision).

Matching: `ImportedProgram.key` (student, program, begin date), so a second run changes nothing.
A plan in force is never reopened once ended, and a student's plan written in Tandem is never
overwritten: an association meeting one is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from tandem.compliance import actions as deadlines
from tandem.core import clock
from tandem.interop import edfi_codes as codes
from tandem.interop.edfi_run import NEW, EdfiRun
from tandem.interop.edfi_xml import children, code_value, parse_bool, parse_date, text
from tandem.interop.models import ImportedProgram, Kind
from tandem.interop.oneroster import RowError
from tandem.people.models import Student
from tandem.plans.models import Plan, PlanKind, PlanStatus, Service, ServiceCategory

SPED = "StudentSpecialEducationProgramAssociation"
S504 = "StudentSection504ProgramAssociation"
PLAN_FIELDS = ("status", "meeting_date", "effective_from", "effective_to", "exit_reason",
               "exit_date")  # fmt: skip
RECORD_FIELDS = ("disabilities", "environment", "setting", "last_evaluation_date",
                 "exit_reason_read", "detail")  # fmt: skip


def programs(run: EdfiRun) -> None:
    known = {r.key: r for r in ImportedProgram.objects.filter(district=run.district)
             .select_related("plan")}  # fmt: skip
    active = set(Plan.objects.filter(student__district=run.district, status=PlanStatus.ACTIVE,
                                     imported=False).values_list("student_id", "kind"))  # fmt: skip
    in_force: set[tuple[str, str]] = set()  # by unique id: a dry run's new students have no pk
    others = 0
    for file, number, el in run.source.elements("InterchangeStudentProgram"):
        name = el.tag.rsplit("}", 1)[-1]
        if name not in (SPED, S504):
            others += 1
            continue
        try:
            read = _read(run, el, name)
        except RowError as error:
            run.problem(file, number, f"{name}/{error.column}", error.value, error.reason,
                        kind=Kind.PROGRAM)  # fmt: skip
            continue
        uid = read["uid"]
        pk = run.students.get(uid)
        if pk is None:
            why = ("the student was refused above" if uid in run.refused_students
                   else "no student with this StudentUniqueId in Student.xml or in Tandem")  # fmt: skip
            run.problem(file, number, f"{name}/StudentReference", uid, why, kind=Kind.PROGRAM)
            continue
        for path, value, reason in read["notes"]:
            run.problem(file, number, f"{name}/{path}", value, reason, fatal=False)
        plan, kind = read["plan"], read["plan"]["kind"]
        if plan["status"] == PlanStatus.ACTIVE:
            if (pk, kind) in active or (uid, kind) in in_force and read["key"] not in known:
                run.problem(file, number, f"{name}/StudentReference", uid, "the student already "
                            "has a plan of this kind in force: this record is not imported",
                            kind=Kind.PROGRAM)  # fmt: skip
                continue
            in_force.add((uid, kind))
        run.tally(run.result.in_force if plan["status"] == PlanStatus.ACTIVE
                  else run.result.ended, kind)  # fmt: skip
        if read["key"] in known:
            _compare(run, known[read["key"]], read)
        else:
            run.count(Kind.PROGRAM, "added")
            if run.apply:
                _add(run, pk, read)
    if others:
        run.problem("StudentProgram.xml", 0, "StudentProgram", str(others), f"{others} "
                    "associations with other programs (Title I, migrant, food service, ...) "
                    "are not special education or Section 504: left out", fatal=False)  # fmt: skip


def _date(el: Element, path: str) -> date | None:
    return parse_date(text(el, path), path)


def _read(run: EdfiRun, el: Element, name: str) -> dict[str, Any]:
    """What an association says, as the plan and the record want it (RowError: refused)."""
    uid = text(el, "StudentReference/StudentIdentity/StudentUniqueId")
    if not uid:
        raise RowError("StudentReference/StudentIdentity/StudentUniqueId", "",
                       "the association names no student")  # fmt: skip
    begin = _date(el, "BeginDate")
    if begin is None:
        raise RowError("BeginDate", "", "a program association needs its BeginDate")
    program = text(el, "ProgramReference/ProgramIdentity/ProgramName")
    end = _date(el, "EndDate")
    notes: list[tuple[str, str, str]] = []
    sped = name == SPED
    detail: dict[str, Any] = {"program": program, "begin": begin.isoformat(),
                              "end": end.isoformat() if end else None}  # fmt: skip
    # Kept as read, for the Ed-Fi export to write back what the plan's dates and exit reason
    # were made from (tandem/interop/edfi_export_programs.py).
    detail["EducationOrganizationId"] = text(el, "EducationOrganizationReference/"
                                             "EducationOrganizationIdentity/"
                                             "EducationOrganizationId") or None  # fmt: skip
    detail["ReasonExited"] = code_value(text(el, "ReasonExited")) or None
    if sped:
        meeting, evaluated = _date(el, "IEPReviewDate"), _date(el, "LastEvaluationDate")
        iep_begin, iep_end = _date(el, "IEPBeginDate"), _date(el, "IEPEndDate")
        start, stop = iep_begin or begin, iep_end
        disabilities = _disabilities(el, notes)
        setting = code_value(text(el, "SpecialEducationSetting"))
        environment = codes.lookup(codes.ENVIRONMENT, setting) if setting else ""
        if environment is None:
            notes.append(("SpecialEducationSetting", setting, "no IDEA section 618 environment "
                          "for this setting: kept as read, choose it in Tandem"))  # fmt: skip
        for path in ("IdeaEligibility", "MultiplyDisabled", "MedicallyFragile",
                     "ShortenedSchoolDayIndicator"):  # fmt: skip
            detail[path] = parse_bool(text(el, path))
        for path in ("SpecialEducationHoursPerWeek", "SchoolHoursPerWeek",
                     "ReductionInHoursPerWeekComparedToPeers"):  # fmt: skip
            detail[path] = text(el, path) or None
        detail["services"] = [
            {"service": code_value(text(s, "SpecialEducationProgramService")),
             "providers": [text(p, "StaffReference/StaffIdentity/StaffUniqueId")
                           for p in children(s, "ServiceProvider")]}
            for s in children(el, "SpecialEducationProgramService")]  # fmt: skip
        sped_exit = _date(el, "SpecialEducationExitDate")
        sped_reason = code_value(text(el, "SpecialEducationExitReason"))
        detail["SpecialEducationExitDate"] = sped_exit.isoformat() if sped_exit else None
        detail["SpecialEducationExitReason"] = sped_reason or None
        detail["SpecialEducationExitExplained"] = text(el, "SpecialEducationExitExplained") or None
        detail["IEPBeginDate"] = iep_begin.isoformat() if iep_begin else None
        detail["IEPEndDate"] = iep_end.isoformat() if iep_end else None
        if (sped_exit or sped_reason) and end is None:
            notes.append(("SpecialEducationExitDate", str(sped_exit or ""), "an exit from special "
                          f"education ({sped_reason or 'no reason'}) but no EndDate of the "
                          "program: the plan is kept in force; end it in Tandem if the student "
                          "left"))  # fmt: skip
    else:
        meeting = _date(el, "Section504MeetingDate")
        evaluated = _date(el, "Section504EligibilityDecisionDate")
        start, stop = evaluated or begin, None
        impairment = code_value(text(el, "Section504Disability"))
        disabilities = [{"descriptor": impairment, "category": "", "order": 1}] if impairment \
            else []  # fmt: skip
        environment, setting, sped_reason = "", "", ""
        detail["Section504Eligibility"] = parse_bool(text(el, "Section504Eligibility"))
        detail["AccommodationPlan"] = parse_bool(text(el, "AccommodationPlan"))
    reason_read = code_value(text(el, "ReasonExited"))
    ended = end is not None and end <= run.today
    exit_reason = ""
    if ended:
        exit_reason = _exit_reason(sped_reason, reason_read)
        if not exit_reason:
            raise RowError("ReasonExited", reason_read or sped_reason, "the program ended but "
                           "its reason has no IDEA basis of exit: not imported")  # fmt: skip
    if stop is not None and stop < start:
        notes.append(("IEPEndDate", str(stop), "ends before it begins: left out"))
        stop = None
    if ended and end is not None and end >= start:
        stop = min(stop, end) if stop else end
    kind = PlanKind.IEP if sped else PlanKind.SECTION_504
    return {
        "uid": uid,
        "key": f"{uid}|{kind}|{program}|{begin.isoformat()}"[:255],
        "notes": notes,
        "evaluated": evaluated,
        "services": detail.get("services", []),
        "plan": {"kind": kind, "status": PlanStatus.ENDED if ended else PlanStatus.ACTIVE,
                 "meeting_date": meeting, "effective_from": start, "effective_to": stop,
                 "exit_reason": exit_reason, "exit_date": end if ended else None},
        "record": {"disabilities": disabilities, "environment": environment or "",
                   "setting": setting, "last_evaluation_date": evaluated,
                   "exit_reason_read": " / ".join(r for r in (sped_reason, reason_read) if r),
                   "detail": detail},
    }  # fmt: skip


def _disabilities(el: Element, notes: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    found = []
    for i, d in enumerate(children(el, "Disability"), start=1):
        descriptor = code_value(text(d, "Disability"))
        category = codes.lookup(codes.DISABILITY, descriptor)
        if category is None:
            notes.append(("Disability/Disability", descriptor, "not one of the IDEA disability "
                          "categories (34 CFR 300.8): kept as read, choose it in Tandem"))  # fmt: skip
        order = text(d, "OrderOfDisability")
        found.append({"descriptor": descriptor, "category": category or "",
                      "order": int(order) if order.isdigit() else i})  # fmt: skip
    return sorted(found, key=lambda d: d["order"])


def _exit_reason(sped_reason: str, reason_exited: str) -> str:
    """IDEA's own basis of exit first; its "Other" says nothing, so the program's reason."""
    return (codes.lookup(codes.SPECIAL_EDUCATION_EXIT, sped_reason)
            or codes.lookup(codes.REASON_EXITED, reason_exited) or "")  # fmt: skip


def _add(run: EdfiRun, student_pk: int, read: dict[str, Any]) -> None:
    student = Student.objects.select_related("district", "school").get(pk=student_pk)
    assert run.actor is not None, "an applying run names the person responsible"
    plan = Plan.objects.create(student=student, imported=True, created_by=run.actor,
                               **read["plan"])  # fmt: skip
    ImportedProgram.objects.create(district=run.district, key=read["key"], plan=plan,
                                   imported_at=clock.now(), **read["record"])  # fmt: skip
    Service.objects.bulk_create([
        Service(plan=plan, category=ServiceCategory.RELATED, name=s["service"][:200],
                start_date=plan.effective_from, end_date=plan.effective_to)
        for s in read["services"] if s["service"]])  # fmt: skip
    if plan.status == PlanStatus.ACTIVE:
        _count_deadlines(run, student, plan, read["evaluated"])
    run.result.plans_added.append(plan.pk)


def _count_deadlines(run: EdfiRun, student: Student, plan: Plan, evaluated: date | None) -> None:
    section_504 = plan.kind == PlanKind.SECTION_504
    assert plan.effective_from is not None
    stored = deadlines.record_plan_in_force(
        student=student, plan=plan, section_504=section_504, meeting_on=plan.meeting_date,
        effective_from=plan.effective_from, effective_to=plan.effective_to, actor=run.actor,
    )  # fmt: skip
    review = next((d for d in stored if d.kind.endswith("annual_review")), None)
    if review is not None:
        Plan.objects.filter(pk=plan.pk).update(annual_review_due=review.due_on)
    if evaluated is not None:
        deadlines.ensure_deadline(
            student=student, kind="section_504_reevaluation" if section_504 else "reevaluation",
            trigger=evaluated, source=plan, actor=run.actor,
        )  # fmt: skip


def _compare(run: EdfiRun, record: ImportedProgram, read: dict[str, Any]) -> None:
    """A record read before: changed only where the export now says otherwise, and only while
    the plan stands as the import left it (in force, or ended by the import)."""
    plan = record.plan
    wanted_plan = read["plan"]
    if plan.status == PlanStatus.ENDED and wanted_plan["status"] == PlanStatus.ACTIVE:
        wanted_plan = {k: getattr(plan, k) for k in PLAN_FIELDS}  # never reopened
    if plan.status not in (PlanStatus.ACTIVE, PlanStatus.ENDED):
        wanted_plan = {k: getattr(plan, k) for k in PLAN_FIELDS}  # Tandem has moved on
    changed = [k for k in PLAN_FIELDS if getattr(plan, k) != wanted_plan[k]]
    changed += [k for k in RECORD_FIELDS if getattr(record, k) != read["record"][k]]
    if not changed:
        run.count(Kind.PROGRAM, "unchanged")
        return
    run.count(Kind.PROGRAM, "changed")
    if not run.apply:
        return
    for k in PLAN_FIELDS:
        setattr(plan, k, wanted_plan[k])
    plan.save(update_fields=list(PLAN_FIELDS))
    for k in RECORD_FIELDS:
        setattr(record, k, read["record"][k])
    record.save(update_fields=list(RECORD_FIELDS))
    run.result.plans_changed.append((plan.pk, changed))
    if plan.status == PlanStatus.ACTIVE and plan.pk != NEW:
        _count_deadlines(run, plan.student, plan, read["evaluated"])
