"""Ed-Fi export: each IEP as a studentSpecialEducationProgramAssociation, each 504 Plan as a
studentSection504ProgramAssociation (Data Standard 5.2's resources).

A plan is a program once it took effect (active, superseded or ended; not a draft). An imported
plan writes back what its Ed-Fi record read (dates, descriptors, hours, services as the source
spelt them, even where the source said nothing); a plan written in Tandem writes Tandem's own
values through the code tables read backwards (`edfi_codes.descriptor`): its eligibility's
disability categories, its least restrictive environment, its services and its exit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTransform

from tandem.interop import edfi_codes as codes
from tandem.interop.edfi_codes import uri
from tandem.interop.edfi_export_refs import (
    TANDEM,
    Out,
    chunks,
    clean,
    edorg_ref,
    iso,
    kept,
    program_ref,
    student_ref,
)
from tandem.interop.models import ImportedProgram
from tandem.plans.models import Plan, PlanKind, PlanStatus, PlanVersion
from tandem.referrals.models import EligibilityDecision, EligibilityOutcome, EvaluationReport

IN_EFFECT = (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED, PlanStatus.ENDED)


def plans_of(out: Out, kind: str) -> QuerySet[Plan]:
    return (Plan.objects.filter(student__in=out.students, kind=kind, status__in=IN_EFFECT)
            .select_related("student", "imported_record").prefetch_related("services"))  # fmt: skip


def _record(plan: Plan) -> ImportedProgram | None:
    return getattr(plan, "imported_record", None) if plan.imported else None


def _common(out: Out, plan: Plan, record: ImportedProgram | None, program: str) -> dict[str, Any]:
    """GeneralStudentProgramAssociation's part: who, which program, when, and why it ended."""
    kept_edorg = kept(record, "EducationOrganizationId", None)
    edorg = int(kept_edorg) if str(kept_edorg or "").isdigit() else out.lea_id
    ended = plan.status == PlanStatus.ENDED
    reason = codes.descriptor(codes.REASON_EXITED, plan.exit_reason) if ended else None
    reason = kept(record, "ReasonExited", reason)
    return {
        "studentReference": student_ref(plan.student.sis_id),
        "programReference": program_ref(edorg, kept(record, "program", program) or program),
        "educationOrganizationReference": edorg_ref(edorg),
        "beginDate": kept(record, "begin", iso(plan.effective_from)),
        "endDate": kept(record, "end", iso(plan.exit_date if ended else None)),
        "reasonExitedDescriptor": uri("ReasonExitedDescriptor", reason) if reason else None,
    }


def _decimal(value: Any) -> float | None:
    try:
        return float(Decimal(str(value))) if value not in (None, "") else None
    except InvalidOperation:
        return None


# --- special education -----------------------------------------------------------------------


def special_education(out: Out) -> Iterator[dict[str, Any]]:
    for page in chunks(plans_of(out, PlanKind.IEP)):
        native = _Native(page)
        for plan in page:
            yield _special_education(out, plan, _record(plan), native)


class _Native:
    """What a page of plans written in Tandem reads beside the plan (one query each, per page):
    the eligibility's categories, the last evaluation and the version's environment."""

    def __init__(self, page: list[Plan]) -> None:
        students = [p.student.pk for p in page if not p.imported]
        self.categories: dict[int, list[str]] = {}
        self.decided: dict[int, date] = {}
        self.evaluated: dict[int, date] = {}
        self.environment: dict[int, str] = {}
        if not students:
            return
        for sid, outcome, decided, primary, secondary in (
            EligibilityDecision.objects.filter(student_id__in=students)
            .exclude(outcome=EligibilityOutcome.NOT_ELIGIBLE).order_by("decided_on", "id")
            .values_list("student_id", "outcome", "decided_on", "primary_category",
                         "secondary_categories")):  # fmt: skip
            if outcome == EligibilityOutcome.IEP:  # the latest decision wins
                self.categories[sid] = [c for c in [primary, *(secondary or [])] if c]
            self.decided[sid] = decided
        self.evaluated = dict(EvaluationReport.objects.filter(referral__student_id__in=students)
                              .order_by("completed_on")
                              .values_list("referral__student_id", "completed_on"))  # fmt: skip
        versions = [p.current_version_id for p in page if p.current_version_id]  # type: ignore[attr-defined]
        rows = PlanVersion.objects.filter(pk__in=versions).values_list(
            "plan_id", KeyTransform("lre", KeyTransform("sections", "snapshot"))
        )
        for plan_id, lre in rows:
            if isinstance(lre, dict) and lre.get("environment"):
                self.environment[plan_id] = str(lre["environment"])


def _disabilities(record: ImportedProgram | None, categories: list[str]) -> list[dict[str, Any]]:
    if record is not None:
        found = [(d.get("descriptor") or codes.descriptor(codes.DISABILITY, d.get("category", "")),
                  d.get("order")) for d in record.disabilities]  # fmt: skip
    else:
        found = [(codes.descriptor(codes.DISABILITY, c), i) for i, c in enumerate(categories, 1)]
    return [{"disabilityDescriptor": uri("DisabilityDescriptor", d), "orderOfDisability": order}
            for d, order in found if d]  # fmt: skip


def _setting(record: ImportedProgram | None, environment: str) -> str | None:
    if record is not None:
        return record.setting or codes.descriptor(codes.ENVIRONMENT, record.environment)
    return codes.descriptor(codes.ENVIRONMENT, environment)


def _services(plan: Plan, record: ImportedProgram | None) -> list[dict[str, Any]]:
    if record is not None:
        return [clean({
            "specialEducationProgramServiceDescriptor":
                uri("SpecialEducationProgramServiceDescriptor", s["service"]),
            "providers": [{"staffReference": {"staffUniqueId": p}} for p in s["providers"] if p],
        }) for s in record.detail.get("services", []) if s.get("service")]  # fmt: skip
    return [clean({
        "specialEducationProgramServiceDescriptor":
            uri("SpecialEducationProgramServiceDescriptor", s.name, namespace=TANDEM),
        "serviceBeginDate": iso(s.start_date),
        "serviceEndDate": iso(s.end_date),
    }) for s in plan.services.all()]  # type: ignore[attr-defined]  # fmt: skip


def _special_education(
    out: Out, plan: Plan, record: ImportedProgram | None, native: _Native
) -> dict[str, Any]:
    ended = plan.status == PlanStatus.ENDED
    sped_reason = codes.descriptor(codes.SPECIAL_EDUCATION_EXIT, plan.exit_reason) \
        if ended else None  # fmt: skip
    sped_reason = kept(record, "SpecialEducationExitReason", sped_reason)
    setting = _setting(record, native.environment.get(plan.pk, ""))
    detail = record.detail if record is not None else {}
    evaluated = record.last_evaluation_date if record else native.evaluated.get(plan.student.pk)
    return clean({
        **_common(out, plan, record, codes.SPECIAL_EDUCATION_PROGRAM),
        "ideaEligibility": detail.get("IdeaEligibility", None if record else True),
        "specialEducationSettingDescriptor":
            uri("SpecialEducationSettingDescriptor", setting) if setting else None,
        "specialEducationHoursPerWeek": _decimal(detail.get("SpecialEducationHoursPerWeek")),
        "schoolHoursPerWeek": _decimal(detail.get("SchoolHoursPerWeek")),
        "shortenedSchoolDayIndicator": detail.get("ShortenedSchoolDayIndicator"),
        "reductionInHoursPerWeekComparedToPeers":
            _decimal(detail.get("ReductionInHoursPerWeekComparedToPeers")),
        "multiplyDisabled": detail.get("MultiplyDisabled"),
        "medicallyFragile": detail.get("MedicallyFragile"),
        "lastEvaluationDate": iso(evaluated),
        "iepReviewDate": iso(plan.meeting_date),
        "iepBeginDate": kept(record, "IEPBeginDate", iso(plan.effective_from)),
        "iepEndDate": kept(record, "IEPEndDate", iso(plan.effective_to)),
        "disabilities": _disabilities(record, native.categories.get(plan.student.pk, [])),
        "specialEducationProgramServices": _services(plan, record),
        "specialEducationExitDate": kept(record, "SpecialEducationExitDate",
                                         iso(plan.exit_date if ended else None)),
        "specialEducationExitReasonDescriptor":
            uri("SpecialEducationExitReasonDescriptor", sped_reason) if sped_reason else None,
        "specialEducationExitExplained": kept(record, "SpecialEducationExitExplained", None),
    })  # fmt: skip


# --- Section 504 -----------------------------------------------------------------------------


def section_504(out: Out) -> Iterator[dict[str, Any]]:
    for page in chunks(plans_of(out, PlanKind.SECTION_504)):
        native = _Native(page)
        for plan in page:
            record = _record(plan)
            detail = record.detail if record is not None else {}
            impairment = record.disabilities[0]["descriptor"] if record and \
                record.disabilities else None  # fmt: skip
            decided = record.last_evaluation_date if record else \
                native.decided.get(plan.student.pk)  # fmt: skip
            yield clean({
                **_common(out, plan, record, codes.SECTION_504_PROGRAM),
                # A plan is written only after the student qualified: "did not qualify" is
                # the record's own word alone.
                "section504Eligibility": detail.get("Section504Eligibility") is not False,
                "accommodationPlan": detail.get("AccommodationPlan", None if record else True),
                "section504DisabilityDescriptor":
                    uri("Section504DisabilityDescriptor", impairment) if impairment else None,
                "section504MeetingDate": iso(plan.meeting_date),
                "section504EligibilityDecisionDate": iso(decided),
            })  # fmt: skip
