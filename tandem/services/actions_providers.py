"""Writers for providers: their profile, their contracts with districts, teletherapy consent.

Who may write what (`may_edit_profile`, `may_manage_contracts`) is decided in
`queries_providers`; these functions check it again, refuse bad input with the field named,
save nothing on a refusal and write one audit event per change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import District, Staff, Student
from tandem.rules import supervision
from tandem.services import queries_providers as q
from tandem.services.models import (
    ProviderContract,
    ProviderModality,
    ProviderProfile,
    TeletherapyConsent,
    validate_npi,
    validate_time_zone,
)

# The fields a provider keeps up themself; a district leader may also set the discipline and
# the supervisor (the district answers for who supervises an assistant).
OWN_FIELDS = (
    "credentials",
    "npi",
    "modality",
    "weekly_capacity",
    "time_zone",
    "working_days",
    "day_starts",
    "day_ends",
    "languages",
)
LEADER_FIELDS = ("discipline", "supervisor", "supervised_since", *OWN_FIELDS)


@dataclass(frozen=True)
class ProfileInput:
    discipline: str
    credentials: str = ""
    npi: str = ""
    supervisor: Staff | None = None
    supervised_since: date | None = None
    modality: str = ProviderModality.IN_PERSON
    weekly_capacity: int = 0
    time_zone: str = "America/Chicago"
    working_days: str = "0,1,2,3,4"
    day_starts: time | None = None
    day_ends: time | None = None
    languages: str = ""


def _check(data: ProfileInput, staff: Staff) -> None:
    from tandem.services.models import ASSISTANT_DISCIPLINES, Discipline

    if data.discipline not in Discipline.values:
        raise ValidationError({"discipline": _("Choose the provider's discipline.")})
    if data.npi:
        try:
            validate_npi(data.npi)
        except ValidationError as error:
            raise ValidationError({"npi": error.messages}) from None
    try:
        validate_time_zone(data.time_zone)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from None
    if data.discipline in ASSISTANT_DISCIPLINES and data.supervisor is None:
        raise ValidationError(
            {"supervisor": _("An assistant works under a supervisor: choose who supervises.")}
        )
    if data.supervised_since is not None and data.supervised_since > clock.today():
        raise ValidationError({"supervised_since": _("The date is in the future.")})
    if data.supervisor is not None and data.supervisor.pk == staff.pk:
        raise ValidationError({"supervisor": _("A provider cannot supervise themself.")})
    if data.supervisor is not None and data.discipline in ASSISTANT_DISCIPLINES:
        _check_cap(data, staff)
    if data.day_starts and data.day_ends and data.day_ends <= data.day_starts:
        raise ValidationError({"day_ends": _("The working day must end after it starts.")})
    if data.modality not in ProviderModality.values:
        raise ValidationError({"modality": _("Choose how the provider works.")})


def _check_cap(data: ProfileInput, staff: Staff) -> None:
    """Refuse an assistant for a supervisor who already has the state's most (SUP-1 to SUP-5).

    The state is the one the assistant works in (the first district they serve, as the
    supervision page measures them); the supervisor's other assistants are counted, not this one.
    """
    served = q.served_district_ids([staff.pk], today=clock.today()).get(staff.pk)
    state = (
        District.objects.filter(pk=min(served)).values_list("state", flat=True).first()
        if served
        else None
    ) or supervision.FEDERAL
    cap = supervision.cap_for(state, data.discipline)
    if cap is None or data.supervisor is None:
        return
    taken = (
        ProviderProfile.objects.filter(supervisor=data.supervisor, discipline__in=cap.counts)
        .exclude(staff=staff)
        .count()
    )
    if taken >= cap.most:
        raise ValidationError(
            {
                "supervisor": _(
                    "%(name)s already supervises %(taken)s assistants, the most allowed: "
                    "%(citation)s. Choose another supervisor."
                )
                % {"name": str(data.supervisor), "taken": taken, "citation": cap.citation}
            }
        )


@transaction.atomic
def save_profile(*, actor: Any, staff: Staff, data: ProfileInput) -> ProviderProfile:
    """Create or change a provider's profile: the provider their own fields, a leader all."""
    standing = q.profile_standing(actor, staff)
    if not standing.can_edit:
        raise PermissionDenied
    profile = ProviderProfile.objects.select_for_update(of=("self",)).filter(
        staff=staff
    ).first() or ProviderProfile(staff=staff, discipline=data.discipline)
    allowed = LEADER_FIELDS if standing.is_leader else OWN_FIELDS
    if not standing.is_leader and profile.pk is None:
        # The provider's first save sets the discipline too; later only a leader changes it.
        allowed = ("discipline", *OWN_FIELDS)
    if not standing.is_leader:
        data = ProfileInput(
            **{
                name: getattr(data, name) if name in allowed else getattr(profile, name)
                for name in LEADER_FIELDS
            }
        )
    _check(data, staff)
    changed = [name for name in allowed if getattr(profile, name) != getattr(data, name)]
    for name in allowed:
        setattr(profile, name, getattr(data, name))
    profile.updated_at = clock.now()
    creating = profile.pk is None
    profile.save()
    if changed or creating:
        audit.record(
            actor=actor,
            action=Action.PROVIDER_PROFILE__SAVED,
            target=profile,
            detail={"fields": sorted(changed), "created": creating},
        )
    return profile


@transaction.atomic
def add_contract(
    *,
    actor: Any,
    staff: Staff,
    district: District,
    agency: str,
    start_date: date,
    end_date: date | None = None,
) -> ProviderContract:
    """Record that `staff` serves `district` under an agency's contract from and to dates."""
    if district.pk not in q.led_district_ids(actor):
        raise PermissionDenied
    if not agency.strip():
        raise ValidationError({"agency": _("Name the agency the contract is with.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The contract must end on or after its start.")})
    overlapping = ProviderContract.objects.filter(staff=staff, district=district).exclude(
        end_date__lt=start_date
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        raise ValidationError(
            {"start_date": _("A contract with this district already covers those dates.")}
        )
    contract = ProviderContract.objects.create(
        created_by=actor,
        staff=staff,
        district=district,
        agency=agency.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    audit.record(
        actor=actor,
        action=Action.PROVIDER_CONTRACT__ADDED,
        district=district,
        target=contract,
        detail={"start": start_date.isoformat(), "end": end_date.isoformat() if end_date else ""},
    )
    return contract


@transaction.atomic
def end_contract(*, actor: Any, contract: ProviderContract, end_date: date) -> ProviderContract:
    """End a contract on `end_date` (its last day): the provider loses the district after it."""
    locked = ProviderContract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    if locked.district_id not in q.led_district_ids(actor):
        raise PermissionDenied
    if end_date < locked.start_date:
        raise ValidationError({"end_date": _("The contract must end on or after its start.")})
    if locked.end_date is not None and end_date > locked.end_date:
        raise ValidationError(
            {"end_date": _("To extend a contract, record a new one from the day after.")}
        )
    locked.end_date = end_date
    locked.save(update_fields=["end_date"])
    audit.record(
        actor=actor,
        action=Action.PROVIDER_CONTRACT__ENDED,
        district=locked.district,
        target=locked,
        detail={"end": end_date.isoformat()},
    )
    return locked


@transaction.atomic
def record_teletherapy_consent(
    *, actor: Any, student: Student, given: bool, on: date
) -> TeletherapyConsent:
    """The parent's answer about teletherapy, as the case manager records it (a new row)."""
    require(actor, student, Cap.EDIT_PROFILE)
    if on > clock.today():
        raise ValidationError({"on": _("The date of the parent's answer is in the future.")})
    row = TeletherapyConsent.objects.create(
        created_by=actor, student=student, district_id=student.district_id, given=given, on=on
    )
    audit.record(
        actor=actor,
        action=Action.TELETHERAPY_CONSENT__RECORDED,
        student=student,
        target=row,
        detail={"given": given, "on": on.isoformat()},
    )
    return row
