"""Writers for the supervision of assistants: co-signing their sessions, recording supervision.

An assistant's signed session awaits their supervisor's co-signature (docs/services.md NOTE-1); only
the supervisor named on the assistant's provider profile gives it, and only for students they
may record progress for. Out of reach is 404, in reach without the right (or not the supervisor)
403, and a refusal saves nothing: all sessions of one submission are co-signed, or none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import refuse, require, standing
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Staff
from tandem.services.actions import SCHOOL_DAY_MINUTES
from tandem.services.models import (
    ProviderLicence,
    ProviderProfile,
    ServiceSession,
    SessionCoSignature,
    SupervisionKind,
    SupervisionLog,
    SupervisionVoid,
)


def _when(session: ServiceSession) -> str:
    return _("%(day)s at %(start)s") % {
        "day": session.day.isoformat(),
        "start": session.start_time.strftime("%H:%M"),
    }


def check_cosigner(actor: Any, session: ServiceSession) -> list[Any]:
    """The session's students if `actor` may co-sign it: 404 out of reach, 403 otherwise."""
    students = [row.student for row in session.attendance.select_related("student__district")]
    for student in students:
        require(actor, student, Cap.RECORD_PROGRESS)
    supervisor_id = (
        ProviderProfile.objects.filter(staff_id=session.provider_id)
        .values_list("supervisor_id", flat=True)
        .first()
    )
    staff_id = standing(actor).staff_id
    if staff_id is None or supervisor_id != staff_id:
        if students:
            refuse(actor, students[0], "cosign", page="cosign", target=session)
        raise PermissionDenied
    return students


def _licence_at(
    supervisor: Staff, students: list[Any], session: ServiceSession
) -> ProviderLicence | None:
    """The supervisor's licence today in the students' state; refused if it lapsed or is none.

    A supervisor with no licence on file at all co-signs without one (as a provider signs):
    the Medicaid export then holds the line for the missing licence, with its reason.
    """
    today = clock.today()
    held = ProviderLicence.objects.filter(staff=supervisor).exists()
    found = None
    for state in sorted({student.district.state for student in students}):
        licence = (
            ProviderLicence.objects.filter(staff=supervisor, state=state, expires__gte=today)
            .exclude(issued__gt=today)
            .order_by("-expires")
            .first()
        )
        if licence is None and held:
            raise ValidationError(
                {
                    "sessions": _(
                        "Your licence does not cover %(state)s today (none, or lapsed): you "
                        "cannot co-sign the session of %(when)s."
                    )
                    % {"state": state, "when": _when(session)}
                }
            )
        found = found or licence
    return found


@transaction.atomic
def cosign_sessions(*, actor: Any, sessions: list[ServiceSession]) -> list[SessionCoSignature]:
    """Co-sign assistants' signed sessions, each with the licence the supervisor holds today."""
    if not sessions:
        raise ValidationError({"sessions": _("Choose at least one session to co-sign.")})
    locked = {
        s.pk: s
        for s in ServiceSession.objects.select_for_update(of=("self",)).filter(
            pk__in=[s.pk for s in sessions]
        )
    }
    staff_id = standing(actor).staff_id
    supervisor = Staff.objects.filter(pk=staff_id).first() if staff_id else None
    credentials = (
        ProviderProfile.objects.filter(staff_id=staff_id)
        .values_list("credentials", flat=True)
        .first()
        or ""
    )
    done = []
    for given in sessions:
        session = locked[given.pk]
        students = check_cosigner(actor, session)
        assert supervisor is not None  # check_cosigner refused anyone without a staff record
        if session.signed_at is None or not session.needs_cosignature:
            raise ValidationError(
                {"sessions": _("The session of %(when)s needs no co-signature.")
                 % {"when": _when(session)}}
            )  # fmt: skip
        if SessionCoSignature.objects.filter(session=session).exists():
            raise ValidationError(
                {"sessions": _("The session of %(when)s is already co-signed.")
                 % {"when": _when(session)}}
            )  # fmt: skip
        licence = _licence_at(supervisor, students, session)
        row = SessionCoSignature.objects.create(
            created_by=actor,
            session=session,
            supervisor=supervisor,
            signed_at=clock.now(),
            licence=f"{licence.state} {licence.number}" if licence else "",
            credentials=(licence.credentials if licence else "") or credentials,
        )
        for student in students:
            audit.record(
                actor=actor,
                action=Action.SERVICE_SESSION__COSIGNED,
                student=student,
                target=session,
                detail={"licence": row.licence},
            )
        done.append(row)
    return done


@transaction.atomic
def record_supervision(
    *,
    actor: Any,
    assistant: Staff,
    day: date,
    minutes: int,
    kind: str,
    note: str = "",
    observed: list[ServiceSession] | None = None,
) -> SupervisionLog:
    """The supervisor records supervision given to one of their assistants on a day."""
    staff_id = standing(actor).staff_id
    supervises = ProviderProfile.objects.filter(staff=assistant, supervisor_id=staff_id).exists()
    if staff_id is None or not supervises:
        raise PermissionDenied
    if day > clock.today():
        raise ValidationError({"day": _("The date of the supervision is in the future.")})
    if minutes < 1 or minutes > SCHOOL_DAY_MINUTES:
        raise ValidationError(
            {
                "minutes": _("Minutes must be between 1 and %(most)s (a school day).")
                % {"most": SCHOOL_DAY_MINUTES}
            }
        )
    if kind not in SupervisionKind.values:
        raise ValidationError({"kind": _("Choose direct or indirect supervision.")})
    observed = observed or []
    for session in observed:
        if session.provider_id != assistant.pk or session.day != day:
            raise ValidationError(
                {
                    "observed": _(
                        "The session of %(when)s is not the assistant's session on that date."
                    )
                    % {"when": _when(session)}
                }
            )
    log = SupervisionLog.objects.create(
        created_by=actor,
        supervisor_id=staff_id,
        assistant=assistant,
        day=day,
        minutes=minutes,
        kind=kind,
        note=note.strip(),
    )
    log.observed.set(observed)
    audit.record(
        actor=actor,
        action=Action.SUPERVISION__RECORDED,
        target=log,
        detail={
            "assistant": str(assistant.public_id),
            "day": day.isoformat(),
            "minutes": minutes,
            "kind": kind,
            "observed": [str(s.public_id) for s in observed],
        },
    )
    return log


@transaction.atomic
def void_supervision(*, actor: Any, log: SupervisionLog, reason: str) -> SupervisionVoid:
    """The supervisor who recorded an entry sets it aside, with the reason; it stays on file.

    Anyone else is refused (403): an entry is its supervisor's word. The entry is locked so two
    voids at once cannot both be kept.
    """
    staff_id = standing(actor).staff_id
    log = SupervisionLog.objects.select_for_update(of=("self",)).get(pk=log.pk)
    if staff_id is None or log.supervisor_id != staff_id:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is set aside.")})
    if SupervisionVoid.objects.filter(log=log).exists():
        raise ValidationError({"reason": _("That entry is already set aside.")})
    void = SupervisionVoid.objects.create(created_by=actor, log=log, reason=reason)
    audit.record(
        actor=actor,
        action=Action.SUPERVISION__VOIDED,
        target=log,
        detail={
            "assistant": str(log.assistant.public_id),
            "day": log.day.isoformat(),
            "minutes": log.minutes,
            "reason": reason,
        },
    )
    return void
