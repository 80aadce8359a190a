"""A plan in plain words for families: "30 minutes, 2 times a week, speech therapy, in a small
group", read from the same snapshot as the plan page and the PDF."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.core.words import Shown, shown
from tandem.plans.models import AppliesTo, DeliveryMode, GroupSize, Per, PlanKind, SectionKey

# Sections a family reads first, in plain order; the rest stay on the full plan page.
FAMILY_SECTIONS = (
    SectionKey.STRENGTHS,
    SectionKey.PARENT_CONCERNS,
    SectionKey.TRANSITION,
    SectionKey.TRANSFER_OF_RIGHTS,
    SectionKey.SECTION_504_IMPAIRMENT,
)


def _value(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def how_often(minutes: Any, times: Any, per: Any) -> str:
    """'30 minutes, 2 times a week', or '' when the plan does not say."""
    if not (minutes and times and per):
        return ""
    per_words = {
        Per.DAY: _("a day"),
        Per.WEEK: _("a week"),
        Per.MONTH: _("a month"),
    }.get(per, str(per))
    duration = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    often = ngettext("%(count)s time %(per)s", "%(count)s times %(per)s", times) % {
        "count": times,
        "per": per_words,
    }
    return f"{duration}, {often}"


def _service_name(service: Any, translated: Mapping[str, str] | None = None) -> Shown:
    name = shown(str(_value(service, "name") or ""), translated=translated)
    if not name.text:
        return Shown(_("a service"))
    return Shown(name.text[:1].lower() + name.text[1:], name.lang)


def service_words(service: Any) -> str:
    """One service as a family reads it (the name in the family's language when Tandem wrote it)."""
    return _service_sentence(service, str(_service_name(service)))


def service_words_html(service: Any, translated: Mapping[str, str] | None = None) -> SafeString:
    """`service_words` for a page: a name staff wrote in English is marked as English."""
    name = _service_name(service, translated)
    marker = "\x00"
    sentence = _service_sentence(service, marker)
    before, _sep, after = sentence.partition(marker)
    if not before:  # the name begins the sentence
        name = Shown(name.text[:1].upper() + name.text[1:], name.lang)
    return format_html("{}{}{}", before, name.html, after)


def _service_sentence(service: Any, name: str) -> str:
    parts = [
        how_often(_value(service, "minutes"), _value(service, "times"), _value(service, "per"))
    ]
    parts.append(name)
    group = _value(service, "group_size")
    if group == GroupSize.GROUP:
        parts.append(_("in a small group"))
    elif group == GroupSize.INDIVIDUAL:
        parts.append(_("one on one"))
    mode = _value(service, "delivery_mode")
    if mode == DeliveryMode.TELETHERAPY:
        parts.append(_("by video"))
    elif mode == DeliveryMode.EITHER:
        parts.append(_("in person or by video"))
    words = ", ".join(p for p in parts if p)
    return words[:1].upper() + words[1:]


def _places(codes: Any) -> str:
    words = {
        AppliesTo.CLASSROOM: _("in class"),
        AppliesTo.TESTS: _("on tests"),
        AppliesTo.STATE_ASSESSMENTS: _("on state tests"),
    }
    return ", ".join(str(words.get(c, c)) for c in codes or [])


def _section_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        return " ".join(t for t in (_section_text(v) for v in value.values()) if t)
    if isinstance(value, list):
        return " ".join(t for t in (_section_text(v) for v in value) if t)
    return ""


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def plan_in_plain_words(
    snapshot: Mapping[str, Any], translated: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """What the plan gives the child, in short sentences; staff's words in the family's language
    from the plan's published translation (`translated`), when there is one."""
    facts = snapshot.get("plan", {}) or {}
    kind = facts.get("kind", "")
    services = [
        {
            "words": service_words_html(s, translated),
            "where": shown(s.get("setting", ""), translated=translated),
        }
        for s in snapshot.get("services", []) or []
    ]
    helps, changes = [], []
    for a in snapshot.get("accommodations", []) or []:
        entry = {
            "text": shown(a.get("text", ""), translated=translated),
            "where": _places(a.get("applies_to")),
        }
        (changes if a.get("kind") == "modification" else helps).append(entry)
    sections = snapshot.get("sections", {}) or {}
    about = []
    labels = dict(SectionKey.choices)
    for key in FAMILY_SECTIONS:
        words = _section_text(sections.get(key))
        if words:
            about.append({"key": str(key), "title": str(labels[key]), "text": words})
    goals = [
        {
            "lineage": g.get("lineage", ""),
            "area": shown(g.get("area", ""), translated=translated),
            "text": shown(g.get("text", ""), translated=translated),
        }
        for g in snapshot.get("goals", []) or []
    ]
    english = [
        *(s["words"] for s in services if 'lang="en"' in s["words"]),
        *(a["text"] for a in [*helps, *changes] if a["text"].lang),
        *(g["text"] for g in goals if g["text"].lang or g["area"].lang),
    ]
    return {
        # Staff's words shown in English on a page in another language (the page says so).
        "english_parts": bool(english),
        "translated": dict(translated or {}),
        "kind": kind,
        "kind_label": str(dict(PlanKind.choices).get(kind, kind)),
        "effective_from": _date(facts.get("effective_from")),
        "effective_to": _date(facts.get("effective_to")),
        "review_due": _date(facts.get("annual_review_due")),
        "services": services,
        "accommodations": helps,
        "modifications": changes,
        "goals": goals,
        "about": about,
    }
