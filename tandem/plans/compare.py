"""Plain-English differences between two plan snapshots, section by section.

Pure functions over the snapshot dictionaries that `actions.snapshot_of` writes; items are
matched across versions (and across annual reviews) by their lineage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

from tandem.plans.models import (
    AccommodationKind,
    DeliveryMode,
    GroupSize,
    Per,
    SectionKey,
    ServiceCategory,
)

_QUOTE_LIMIT = 80


@dataclass(frozen=True, slots=True)
class Difference:
    """One change: the part of the plan it is in, and what changed, in plain words."""

    section: str
    text: str

    def __str__(self) -> str:
        return self.text


class _Versioned(Protocol):
    snapshot: Any


def compare_versions(a: _Versioned, b: _Versioned) -> list[Difference]:
    """What changed from version `a` to version `b`, section by section."""
    return compare_snapshots(a.snapshot, b.snapshot)


def compare_snapshots(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    """What changed from snapshot `old` to snapshot `new`, in plain words."""
    return [
        *_plan_fields(old.get("plan", {}), new.get("plan", {})),
        *_sections(old.get("sections", {}), new.get("sections", {})),
        *_services(old.get("services", []), new.get("services", [])),
        *_accommodations(old.get("accommodations", []), new.get("accommodations", [])),
        *_goals(old.get("goals", []), new.get("goals", [])),
    ]


def frequency(service: Mapping[str, Any]) -> str:
    """'30 min 2x/week', or a note that the frequency is missing."""
    minutes, times, per = service.get("minutes"), service.get("times"), service.get("per")
    if not (minutes and times and per):
        return _("no frequency or duration")
    per_label = str(Per(per).label) if per in Per.values else str(per)
    return _("%(minutes)s min %(times)sx/%(per)s") % {
        "minutes": minutes,
        "times": times,
        "per": per_label,
    }


def _quote(value: Any) -> str:
    if value in (None, "", [], {}):
        return _("(blank)")
    if isinstance(value, Mapping):
        value = value["text"] if set(value) == {"text"} else _plain(value)
    elif isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1] + "…"
    return f"“{text}”"


def _plain(value: Any) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in sorted(value.items()) if v)
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _plan_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    labels = {
        "meeting_date": _("Meeting date"),
        "effective_from": _("Effective from"),
        "effective_to": _("Effective to"),
        "annual_review_due": _("Annual review due"),
    }
    section = _("Plan")
    return [
        Difference(
            section,
            _("%(field)s: %(old)s → %(new)s")
            % {"field": label, "old": old.get(key) or "—", "new": new.get(key) or "—"},
        )
        for key, label in labels.items()
        if old.get(key) != new.get(key)
    ]


def _sections(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    out: list[Difference] = []
    for key in [k for k in SectionKey.values if k in old or k in new]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        name = _label(SectionKey, key)
        if before in (None, "", {}, []):
            text = _("%(section)s: added %(new)s") % {"section": name, "new": _quote(after)}
        elif after in (None, "", {}, []):
            text = _("%(section)s: removed") % {"section": name}
        else:
            text = _("%(section)s: %(old)s → %(new)s") % {
                "section": name,
                "old": _quote(before),
                "new": _quote(after),
            }
        out.append(Difference(name, text))
    return out


def _match(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> tuple[
    list[tuple[Mapping[str, Any], Mapping[str, Any]]],
    list[Mapping[str, Any]],
    list[Mapping[str, Any]],
]:
    by_id = {item["lineage"]: item for item in old}
    pairs = [(by_id[item["lineage"]], item) for item in new if item["lineage"] in by_id]
    new_ids = {item["lineage"] for item in new}
    added = [item for item in new if item["lineage"] not in by_id]
    removed = [item for item in old if item["lineage"] not in new_ids]
    return pairs, added, removed


def _field_changes(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    fields: Mapping[str, str],
    choices: Mapping[str, Any],
) -> list[str]:
    out = []
    for key, label in fields.items():
        if before.get(key) == after.get(key):
            continue
        if key in choices:
            old, new = _label(choices[key], before.get(key)), _label(choices[key], after.get(key))
        else:
            old, new = before.get(key) or "—", after.get(key) or "—"
        out.append(_("%(field)s %(old)s → %(new)s") % {"field": label, "old": old, "new": new})
    return out


def _services(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[Difference]:
    section = _("Services")
    fields = {
        "category": _("category"),
        "setting": _("setting"),
        "start_date": _("start"),
        "end_date": _("end"),
        "provider_role": _("provider"),
        "delivery_mode": _("delivery"),
        "group_size": _("individual or group"),
    }
    choices = {
        "category": ServiceCategory,
        "delivery_mode": DeliveryMode,
        "group_size": GroupSize,
    }
    pairs, added, removed = _match(old, new)
    out: list[Difference] = []
    for before, after in pairs:
        parts = []
        if frequency(before) != frequency(after):
            parts.append(f"{frequency(before)} → {frequency(after)}")
        if before.get("name") != after.get("name"):
            parts.append(_("renamed from %(old)s") % {"old": _quote(before.get("name"))})
        parts += _field_changes(before, after, fields, choices)
        if parts:
            out.append(Difference(section, f"{after['name']}: {'; '.join(parts)}"))
    for item in added:
        out.append(
            Difference(
                section,
                _("Added service: %(name)s, %(frequency)s")
                % {"name": item["name"], "frequency": frequency(item)},
            )
        )
    for item in removed:
        out.append(Difference(section, _("Removed service: %(name)s") % {"name": item["name"]}))
    return out


def _accommodations(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[Difference]:
    section = _("Accommodations and modifications")
    fields = {
        "kind": _("kind"),
        "category": _("category"),
        "applies_to": _("applies to"),
        "frequency_condition": _("how often"),
        "provider_role": _("provided by"),
    }
    choices = {"kind": AccommodationKind}
    pairs, added, removed = _match(old, new)
    out: list[Difference] = []
    for before, after in pairs:
        parts = []
        if before.get("text") != after.get("text"):
            parts.append(f"{_quote(before.get('text'))} → {_quote(after.get('text'))}")
        parts += _field_changes(before, after, fields, choices)
        if parts:
            out.append(Difference(section, f"{_quote(after['text'])}: {'; '.join(parts)}"))
    for item in added:
        out.append(Difference(section, _("Added: %(text)s") % {"text": _quote(item["text"])}))
    for item in removed:
        out.append(Difference(section, _("Removed: %(text)s") % {"text": _quote(item["text"])}))
    return out


def _goals(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[Difference]:
    section = _("Goals")
    fields = {"area": _("area"), "baseline": _("baseline")}
    pairs, added, removed = _match(old, new)
    out: list[Difference] = []
    for before, after in pairs:
        parts = []
        if before.get("text") != after.get("text"):
            parts.append(f"{_quote(before.get('text'))} → {_quote(after.get('text'))}")
        parts += _field_changes(before, after, fields, {})
        if parts:
            out.append(
                Difference(
                    section,
                    _("Goal (%(area)s): %(changes)s")
                    % {"area": after.get("area"), "changes": "; ".join(parts)},
                )
            )
    for item in added:
        out.append(Difference(section, _("Added goal: %(text)s") % {"text": _quote(item["text"])}))
    for item in removed:
        out.append(
            Difference(section, _("Removed goal: %(text)s") % {"text": _quote(item["text"])})
        )
    return out
