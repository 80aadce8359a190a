"""Saving a district's service settings: one place, audited, with what changed.

The settings live in two places for history's sake: `ServiceSettings` (teletherapy consent, late
logs) and `District.settings["services"]` (the threshold, the makeup window and the absence
pattern, read by `compensatory.settings_for` and `director.served_percent`). This module is the
one writer of both, so the page never half-saves them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import District
from tandem.services.compensatory import CHOOSABLE_OWED, settings_for
from tandem.services.models import ServiceSettings

# Kept in District.settings["services"].
IN_DISTRICT = (
    "threshold_percent",
    "makeup_window_school_days",
    "absence_count",
    "absence_days",
    "owed_codes",  # the chosen ones of CHOOSABLE_OWED; the always-owed are owed regardless
)
# Kept on ServiceSettings.
ON_MODEL = ("late_after_days", "teletherapy_consent_required")


def current(district: District) -> dict[str, Any]:
    """The district's settings as the form shows them, defaults filled in."""
    chosen = settings_for(district.settings)
    row = ServiceSettings.objects.filter(district=district).first() or ServiceSettings()
    values: dict[str, Any] = {key: getattr(chosen, key) for key in IN_DISTRICT}
    values["owed_codes"] = [code for code in CHOOSABLE_OWED if code in chosen.owed_codes]
    return {**values, **{key: getattr(row, key) for key in ON_MODEL}}


@transaction.atomic
def save(*, actor: User, district: District, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Save the settings; returns what changed, {name: (before, after)} (audited if any)."""
    district = District.objects.select_for_update(of=("self",)).get(pk=district.pk)
    before = current(district)
    data = {**data, "owed_codes": [code for code in CHOOSABLE_OWED if code in data["owed_codes"]]}
    changed = {key: (before[key], data[key]) for key in before if before[key] != data[key]}
    if not changed:
        return {}
    chosen = dict(district.settings or {})
    chosen["services"] = {
        **(chosen.get("services") or {}),
        **{key: data[key] for key in IN_DISTRICT},
    }
    district.settings = chosen
    district.save(update_fields=["settings"])
    ServiceSettings.objects.update_or_create(
        district=district, defaults={key: data[key] for key in ON_MODEL}
    )
    audit.record(
        actor=actor,
        action=Action.SERVICE_SETTINGS__CHANGED,
        district=district,
        target=district,
        detail={key: {"from": old, "to": new} for key, (old, new) in changed.items()},
    )
    return changed
