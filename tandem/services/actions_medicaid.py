"""Writer of a student's public-insurance record (34 CFR 300.154(d)): one dated entry at a time.

Nothing is edited or deleted: a withdrawal is a new dated entry, a new consent after it another,
a changed Medicaid ID another. Each entry is audited; the Medicaid ID itself stays out of the
audit log's detail.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Student
from tandem.services.medicaid import status_on
from tandem.services.models import MedicaidConsent, MedicaidEntryKind

MEDICAID_ID = re.compile(r"^[A-Za-z0-9]{1,20}$")


@transaction.atomic
def record_entry(
    *, actor: Any, student: Student, kind: str, on: date, medicaid_id: str = "", note: str = ""
) -> MedicaidConsent:
    """Record consent given or withdrawn, a yearly notice, or the Medicaid ID; refuse by field."""
    require(actor, student, Cap.EDIT_PROFILE)
    # One writer at a time per student, so two withdrawals cannot both pass the check below.
    Student.objects.select_for_update(of=("self",)).filter(pk=student.pk).first()
    medicaid_id = (medicaid_id or "").strip().upper()
    if kind not in MedicaidEntryKind.values:
        raise ValidationError({"kind": _("Choose what to record.")})
    if on > clock.today():
        raise ValidationError({"on": _("The date is in the future.")})
    if on < student.date_of_birth:
        raise ValidationError({"on": _("The date is before the student was born.")})
    if medicaid_id and not MEDICAID_ID.match(medicaid_id):
        raise ValidationError(
            {"medicaid_id": _("A Medicaid ID is letters and digits only, at most 20.")}
        )
    entries = list(MedicaidConsent.objects.filter(student=student))
    now = status_on(entries, on)
    latest = status_on(entries, date.max)
    if kind == MedicaidEntryKind.MEDICAID_ID and not medicaid_id:
        raise ValidationError({"medicaid_id": _("Enter the Medicaid ID.")})
    if kind == MedicaidEntryKind.CONSENT and latest.consent_on is not None:
        raise ValidationError(
            {
                "kind": _("Consent is already on file, given %(day)s.")
                % {"day": latest.consent_on.isoformat()}
            }
        )
    if kind == MedicaidEntryKind.WITHDRAWAL:
        if latest.consent_on is None:
            raise ValidationError({"kind": _("There is no consent in force to withdraw.")})
        if now.consent_on is None:
            raise ValidationError(
                {
                    "on": _("A withdrawal cannot be dated before the consent (%(day)s).")
                    % {"day": latest.consent_on.isoformat()}
                }
            )
    if kind not in (MedicaidEntryKind.CONSENT, MedicaidEntryKind.MEDICAID_ID):
        medicaid_id = ""  # an ID goes with a consent or on its own entry
    entry = MedicaidConsent.objects.create(
        student=student,
        kind=kind,
        on=on,
        medicaid_id=medicaid_id,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=Action.MEDICAID_CONSENT__RECORDED,
        student=student,
        target=entry,
        detail={"kind": kind, "on": on.isoformat(), "medicaid_id": bool(medicaid_id)},
    )
    return entry
