"""Ed-Fi export: Data Standard 6.1's IEP entities where Tandem has them: a StudentIEP per
finalized version of an IEP, a StudentIEPServicePrescription per service mandate of the version
in force, and an IDEAEvent per referral received, consent received, eligibility determined and
meeting held.

An imported plan has no version in Tandem (only what its record knew): it is written as a
program association alone (`edfi_export_programs`). DS 6.1's descriptors had no published
defaults when this was written (COMPLIANCE.md 5.5), so their values are Tandem's own
(`TANDEM` namespace) for a state to map.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tandem.interop import edfi_codes as codes
from tandem.interop.edfi_codes import uri
from tandem.interop.edfi_export_programs import IN_EFFECT
from tandem.interop.edfi_export_refs import (
    CHUNK,
    TANDEM,
    Out,
    chunks,
    clean,
    edorg_ref,
    iso,
    student_ref,
)
from tandem.meetings.models import Meeting, MeetingStatus
from tandem.plans.models import PlanKind, PlanStatus, PlanVersion, Service, VersionKind
from tandem.referrals.models import (
    Consent,
    ConsentKind,
    ConsentResponse,
    EligibilityDecision,
    Referral,
)

CONSENT_EVENTS = {
    ConsentKind.INITIAL_EVALUATION: "Consent to initial evaluation received",
    ConsentKind.REEVALUATION: "Consent to reevaluation received",
    ConsentKind.INITIAL_SERVICES: "Consent to initial services received",
}


def _day(out: Out, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(out.district.time_zone)).date().isoformat()


def iep_reference(out: Out, version: PlanVersion, unique_id: str) -> dict[str, Any]:
    return {"educationOrganizationId": out.lea_id, "studentIEPIdentifier": str(version.public_id),
            "iepFinalizedDate": _day(out, version.created_at), "studentUniqueId": unique_id}  # fmt: skip


def _status(version: PlanVersion) -> str:
    plan = version.plan
    if plan.current_version_id != version.pk or plan.status == PlanStatus.SUPERSEDED:
        return "Superseded"
    return "Ended" if plan.status == PlanStatus.ENDED else "Active"


def student_ieps(out: Out) -> Iterator[dict[str, Any]]:
    versions = (PlanVersion.objects.filter(plan__student__in=out.students, plan__kind=PlanKind.IEP,
                                           plan__status__in=IN_EFFECT)
                .select_related("plan__student").defer("snapshot"))  # fmt: skip
    for page in chunks(versions):
        for version in page:
            plan = version.plan
            reason = codes.descriptor(codes.REASON_EXITED, plan.exit_reason)
            yield clean({
                "studentReference": student_ref(plan.student.sis_id),
                "educationOrganizationReference": edorg_ref(out.lea_id),
                "studentIEPIdentifier": str(version.public_id),
                "iepFinalizedDate": _day(out, version.created_at),
                "iepBeginDate": iso(plan.effective_from),
                "iepEndDate": iso(plan.effective_to),
                "iepStatusDescriptor": uri("IEPStatusDescriptor", _status(version), namespace=TANDEM),
                "iepAmendedDate": _day(out, version.created_at)
                if version.kind == VersionKind.AMENDMENT else None,
                "reasonExitedDescriptor": uri("ReasonExitedDescriptor", reason)
                if reason and plan.status == PlanStatus.ENDED else None,
            })  # fmt: skip


def service_prescriptions(out: Out) -> Iterator[dict[str, Any]]:
    """The services of each IEP's version in force that say how long and how often."""
    services = (Service.objects.filter(plan__student__in=out.students, plan__kind=PlanKind.IEP,
                                       plan__status__in=IN_EFFECT, plan__imported=False,
                                       plan__current_version__isnull=False, minutes__isnull=False,
                                       times__isnull=False).exclude(per="")
                .select_related("plan__student", "plan__current_version")
                .defer("plan__current_version__snapshot"))  # fmt: skip
    for page in chunks(services):
        for service in page:
            plan, version = service.plan, service.plan.current_version
            assert version is not None
            uid = plan.student.sis_id
            yield clean({
                "studentIEPReference": iep_reference(out, version, uid),
                "servicePrescriptionDescriptor":
                    uri("ServicePrescriptionDescriptor", service.name, namespace=TANDEM),
                "servicePrescriptionDate": iso(service.start_date) or _day(out, version.created_at),
                "beginDate": iso(service.start_date or plan.effective_from),
                "endDate": iso(service.end_date or plan.effective_to),
                "duration": service.minutes,
                "durationIntervalDescriptor":
                    uri("DurationIntervalDescriptor", "Minutes per session", namespace=TANDEM),
                "frequency": service.times,
                "frequencyIntervalDescriptor":
                    uri("FrequencyIntervalDescriptor", service.per.title(), namespace=TANDEM),
                "serviceLocationTypeDescriptor": uri("ServiceLocationTypeDescriptor",
                                                     service.setting or service.delivery_mode,
                                                     namespace=TANDEM),
            })  # fmt: skip


def _event(out: Out, uid: str, key: object, kind: str, day: str | None) -> dict[str, Any]:
    return clean({
        "studentReference": student_ref(uid),
        "educationOrganizationReference": edorg_ref(out.lea_id),
        "ideaEventIdentifier": str(key),
        "ideaEventTypeDescriptor": uri("IDEAEventTypeDescriptor", kind, namespace=TANDEM),
        "beginDate": day,
    })  # fmt: skip


def idea_events(out: Out) -> Iterator[dict[str, Any]]:
    """The legal steps Tandem dates: referral, consent, eligibility, meetings held."""
    mine = {"student__in": out.students}
    referrals = Referral.objects.filter(**mine).values_list("student__sis_id", "public_id",
                                                            "received_on")  # fmt: skip
    for uid, key, day in referrals.order_by("pk").iterator(CHUNK):
        yield _event(out, uid, key, "Referral received", iso(day))
    consents = (Consent.objects.filter(**mine, received_on__isnull=False,
                                       response__in=(ConsentResponse.GIVEN, ConsentResponse.PARTIAL))
                .values_list("student__sis_id", "public_id", "kind", "received_on"))  # fmt: skip
    for uid, key, kind, day in consents.order_by("pk").iterator(CHUNK):
        yield _event(out, uid, key, CONSENT_EVENTS.get(kind, "Consent received"), iso(day))
    decisions = EligibilityDecision.objects.filter(**mine).values_list(
        "student__sis_id", "public_id", "decided_on"
    )
    for uid, key, day in decisions.order_by("pk").iterator(CHUNK):
        yield _event(out, uid, key, "Eligibility determined", iso(day))
    meetings = Meeting.objects.filter(**mine, status=MeetingStatus.HELD, held_at__isnull=False)
    for uid, key, held in meetings.values_list("student__sis_id", "public_id", "held_at") \
            .order_by("pk").iterator(CHUNK):  # fmt: skip
        yield _event(out, uid, key, "Meeting held", _day(out, held))
