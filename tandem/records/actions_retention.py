"""The only writers of the retention schedule, holds, and the destruction of records no longer
needed (IDEA 34 CFR 300.624; COMPLIANCE.md REC-11 and §7.6).

The order the law asks for is kept by refusals, not by trust: nothing is destroyed without the
notice to every parent who holds educational rights (300.624(a)) and either the waiting period
ended or the parent's own request (300.624(b)); never while a hold (litigation, a dispute, an
audit) or a request to see or amend the records (300.613, 300.618) is open. Each writer is
atomic, checks the capability through the policy, refuses with a `ValidationError` naming the
field, and writes one audit event.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import record_delivery
from tandem.communication.notify import notify_localized
from tandem.core import clock
from tandem.people.models import District, Guardian, Student
from tandem.people.relations import rights_holders
from tandem.records import destruction, queries_retention
from tandem.records.models import (
    DestructionProposal,
    ParentAnswer,
    ProposalStatus,
    RecordsHold,
    RecordsRequest,
    RequestStatus,
)
from tandem.records.retention import (
    SCHEDULED,
    SETTINGS_KEY,
    RecordType,
    other_locations,
    schedule_for,
)

# --- the schedule ------------------------------------------------------------------------------


def current_settings(district: District) -> dict[str, Any]:
    """The district's schedule as the form shows it, defaults filled in."""
    schedule = schedule_for(district.settings)
    values: dict[str, Any] = {f"years_{kind}": schedule.years[kind] for kind in SCHEDULED}
    values["notice_wait_days"] = schedule.wait_days
    values["other_locations"] = other_locations(district.settings)
    return values


@transaction.atomic
def save_settings(
    *, actor: User, district: District, data: dict[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Save the schedule; returns what changed, {name: (before, after)}, audited if any. The
    form bounds the numbers; the caller checked the actor administers the district."""
    district = District.objects.select_for_update(of=("self",)).get(pk=district.pk)
    before = current_settings(district)
    changed = {key: (before[key], data[key]) for key in before if before[key] != data[key]}
    if not changed:
        return {}
    chosen = dict(district.settings or {})
    chosen[SETTINGS_KEY] = {
        **(chosen.get(SETTINGS_KEY) or {}),
        "retention_years": {kind: data[f"years_{kind}"] for kind in SCHEDULED},
        "notice_wait_days": data["notice_wait_days"],
        "other_locations": data["other_locations"],
    }
    district.settings = chosen
    district.save(update_fields=["settings"])
    audit.record(
        actor=actor,
        action=Action.RETENTION_SETTINGS__CHANGED,
        district=district,
        target=district,
        detail={key: {"from": old, "to": new} for key, (old, new) in changed.items()},
    )
    return changed


# --- holds -------------------------------------------------------------------------------------


@transaction.atomic
def place_hold(*, actor: User, student: Student, kind: str, reason: str) -> RecordsHold:
    """Hold the student's records from destruction (litigation, a dispute, an audit)."""
    require(actor, student, Cap.DESTROY_RECORDS)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the records must be kept.")})
    hold = RecordsHold.objects.create(
        student=student, kind=kind, reason=reason, placed_by=actor, placed_on=clock.today()
    )
    audit.record(
        actor=actor,
        action=Action.RECORDS_HOLD__PLACED,
        student=student,
        target=hold,
        detail={"kind": kind},
    )
    return hold


@transaction.atomic
def release_hold(*, actor: User, hold: RecordsHold) -> RecordsHold:
    hold = RecordsHold.objects.select_for_update(of=("self",)).get(pk=hold.pk)
    require(actor, hold.student, Cap.DESTROY_RECORDS)
    if not hold.is_active:
        raise ValidationError({"hold": _("This hold was already released.")})
    hold.released_on, hold.released_by = clock.today(), actor
    hold.save(update_fields=["released_on", "released_by"])
    audit.record(
        actor=actor,
        action=Action.RECORDS_HOLD__RELEASED,
        student=hold.student,
        target=hold,
        detail={"kind": hold.kind},
    )
    return hold


# --- the proposal and the notice ---------------------------------------------------------------


def notice_url(proposal: DestructionProposal) -> str:
    return reverse("destruction_notice", args=[proposal.public_id])


def _language(guardian: Guardian) -> str:
    """The language the parent reads, when Tandem speaks it; else English."""
    spoken = {code for code, _name in settings.LANGUAGES}
    return guardian.preferred_language if guardian.preferred_language in spoken else "en"


def _check_proposable(student: Student, kinds: list[str], today: date) -> None:
    if not kinds:
        raise ValidationError({"record_types": _("Choose at least one type of record.")})
    row = queries_retention.one(student, today=today)
    if row is None:
        raise ValidationError(
            {
                "record_types": _(
                    "The student has not left the district, or special education and 504: "
                    "the records are still needed to provide services."
                )
            }
        )
    if row.proposal is not None:
        raise ValidationError(
            {"record_types": _("A notice is already out for this student: confirm it first.")}
        )
    by_kind = {t.kind: t for t in row.types}
    for kind in kinds:
        entry = by_kind[kind]
        if entry.destroyed:
            raise ValidationError(
                {"record_types": _("%(type)s: already destroyed.") % {"type": entry.label}}
            )
        if entry.due_on > today:
            raise ValidationError(
                {
                    "record_types": _("%(type)s: the retention schedule keeps them until %(day)s.")
                    % {"type": entry.label, "day": formats.date_format(entry.due_on)}
                }
            )
    if RecordType.RECORDS_LOG in kinds:
        left = [
            t.label
            for t in row.types
            if t.kind != RecordType.RECORDS_LOG and not t.destroyed and t.kind not in kinds
        ]
        if left:
            raise ValidationError(
                {
                    "record_types": _(
                        "The record of requests and disclosures is kept as long as the records "
                        "it covers (34 CFR 99.32(a)(2)): choose it with, or after, %(types)s."
                    )
                    % {"types": "; ".join(left)}
                }
            )


def _dry_run(student: Student, kinds: list[str]) -> None:
    """Refuse now what the confirmation would refuse: kept records pointing to these."""
    with transaction.atomic():
        destruction.destroy(student=student, kinds=kinds)
        transaction.set_rollback(True)


def _deliver(proposal: DestructionProposal, guardians: list[Guardian], actor: User) -> None:
    student = proposal.student
    name = student.preferred_first_name or student.legal_first_name
    url = notice_url(proposal)
    for guardian in guardians:
        with translation.override(_language(guardian)):
            record_delivery(
                student=student,
                guardian=guardian,
                kind="notice",
                title=_("Notice: %(name)s's records are no longer needed and may be destroyed")
                % {"name": name},
                url=url,
                sent_by=actor,
            )
    users = [g.user for g in guardians if g.user_id]
    notify_localized(
        users,
        render=lambda: (
            _("%(name)s's records may be destroyed") % {"name": name},
            _(
                "The school no longer needs some of %(name)s's records. You may ask for a copy "
                "before %(day)s, or ask that they be destroyed now. The notice says which."
            )
            % {"name": name, "day": formats.date_format(proposal.copy_by)},
        ),
        url=url,
        student=student,
        kind=destruction.NOTICE_KIND,
    )


@transaction.atomic
def propose_destruction(
    *, actor: User, student: Student, record_types: list[str]
) -> DestructionProposal:
    """Tell every parent holding educational rights that these records are no longer needed
    (300.624(a)), in their language, on their portal page and by notification; they may ask for
    a copy until the district's waiting period ends, or ask for destruction now."""
    require(actor, student, Cap.DESTROY_RECORDS)
    student = Student.objects.select_for_update(of=("self",)).get(pk=student.pk)
    today = clock.today()
    kinds = [k for k in RecordType.values if k in set(record_types)]
    _check_proposable(student, kinds, today)
    guardians = rights_holders(student)
    if not guardians:
        raise ValidationError(
            {
                "record_types": _(
                    "No parent holds educational rights for this student on file: the notice "
                    "cannot be given. Add the parent first."
                )
            }
        )
    _dry_run(student, kinds)
    wait = schedule_for(student.district.settings).wait_days
    proposal = DestructionProposal.objects.create(
        student=student,
        record_types=kinds,
        proposed_by=actor,
        notice_sent_on=today,
        copy_by=today + timedelta(days=wait),
        sent_to=[{"guardian": str(g.public_id), "language": _language(g)} for g in guardians],
    )
    _deliver(proposal, guardians, actor)
    audit.record(
        actor=actor,
        action=Action.DESTRUCTION__PROPOSED,
        student=student,
        target=proposal,
        detail={
            "types": kinds,
            "copy_by": proposal.copy_by.isoformat(),
            "notified": len(guardians),
        },
    )
    return proposal


def _lock(proposal: DestructionProposal) -> DestructionProposal:
    return (
        DestructionProposal.objects.select_for_update(of=("self",))
        .select_related("student__district")
        .get(pk=proposal.pk)
    )


def blocks(proposal: DestructionProposal, *, today: date) -> list[str]:
    """Why the destruction cannot be confirmed today (empty when it can)."""
    if not proposal.is_open:
        return [
            _("These records were already destroyed on %(day)s.")
            % {"day": formats.date_format(proposal.destroyed_on)}
        ]
    out = []
    if proposal.parent_answer != ParentAnswer.DESTROY and today < proposal.copy_by:
        out.append(
            _(
                "The parents may ask for a copy until %(day)s: confirm after that date, or when "
                "they ask for destruction."
            )
            % {"day": formats.date_format(proposal.copy_by)}
        )
    held = RecordsHold.objects.filter(student=proposal.student, released_on__isnull=True)
    for hold in held:
        out.append(
            _("A hold keeps the records: %(kind)s (%(reason)s).")
            % {"kind": hold.get_kind_display(), "reason": hold.reason}
        )
    open_requests = RecordsRequest.objects.filter(
        student=proposal.student, status=RequestStatus.OPEN
    )
    if open_requests.exists():
        out.append(
            _("A request to see or amend the records is open (34 CFR 300.613): answer it first.")
        )
    return out


@transaction.atomic
def confirm_destruction(*, actor: User, proposal: DestructionProposal) -> DestructionProposal:
    """Destroy the records the notice named, keeping the permanent record (300.624(b)); one
    audit event with the counts per type, and no content."""
    proposal = _lock(proposal)
    require(actor, proposal.student, Cap.DESTROY_RECORDS)
    today = clock.today()
    if refused := blocks(proposal, today=today):
        raise ValidationError({"__all__": refused})
    counts = destruction.destroy(student=proposal.student, kinds=list(proposal.record_types))
    proposal.status, proposal.destroyed_on, proposal.destroyed_by = (
        ProposalStatus.DESTROYED,
        today,
        actor,
    )
    proposal.counts = counts
    proposal.save(update_fields=["status", "destroyed_on", "destroyed_by", "counts"])
    audit.record(
        actor=actor,
        action=Action.RECORDS__DESTROYED,
        student=proposal.student,
        target=proposal,
        detail=counts,
    )
    return proposal
