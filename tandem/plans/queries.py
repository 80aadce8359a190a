"""Reading plans: a student's plans, a plan's versions, and a snapshot in plain words.

Everything a page shows is read from a snapshot (a frozen version's, or the live draft's from
`actions.snapshot_of`), so the page, the PDF and the API say the same thing, in a fixed number of
queries however long the plan is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.people.models import Student
from tandem.people.relations import rights_holder
from tandem.plans.models import (
    EDITABLE_STATUSES,
    AccommodationCategory,
    AccommodationKind,
    AppliesTo,
    DeliveryMode,
    GroupSize,
    Per,
    Plan,
    PlanKind,
    PlanStatus,
    PlanVersion,
    SectionKey,
    ServiceCategory,
)
from tandem.plans.snapshots import snapshot_of
from tandem.referrals.models import EligibilityDecision, EligibilityOutcome
from tandem.rules.goals import check_goal

LANGUAGES = ("en", "es")


def language_for(student: Student, requested: str | None = None) -> str:
    """?lang=en|es when asked, else the language of the parent who holds the rights."""
    if requested in LANGUAGES:
        return requested  # type: ignore[return-value]
    guardian = rights_holder(student)
    language = guardian.preferred_language if guardian else "en"
    return language if language in LANGUAGES else "en"


def plans_of_student(student: Student) -> list[Plan]:
    """The student's plans, newest first, with their current versions (one query); discarded
    drafts are left out (they stay in the record and the audit log)."""
    return list(
        Plan.objects.filter(student=student)
        .exclude(status=PlanStatus.DISCARDED)
        .select_related("current_version")
        .order_by("-created_at", "-id")
    )


def open_draft(student: Student, kind: str) -> Plan | None:
    """The student's draft (or proposed) plan of `kind` being written, if any."""
    return (
        Plan.objects.filter(student=student, kind=kind, status__in=EDITABLE_STATUSES)
        .only("public_id", "kind", "student_id")
        .first()
    )


def eligibility_504_prefill(student: Student) -> dict[str, Any]:
    """The impairment and life activities from the student's 504 eligibility decision, if any."""
    decision = (
        EligibilityDecision.objects.filter(student=student, outcome=EligibilityOutcome.SECTION_504)
        .order_by("-decided_on", "-id")
        .first()
    )
    if decision is None:
        return {}
    return {
        "impairment": decision.impairment,
        "major_life_activities": list(decision.major_life_activities or []),
    }


def versions_of(plan: Plan) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(plan=plan).select_related("created_by").order_by("number")


def version_of(plan: Plan, number: int) -> PlanVersion | None:
    return versions_of(plan).filter(number=number).first()


def is_live_draft(plan: Plan) -> bool:
    """Whether the plan is shown as a draft: being written, or a discarded draft (never shown
    as if it had been in effect)."""
    return plan.is_editable or plan.status == PlanStatus.DISCARDED


def current_snapshot(plan: Plan) -> dict[str, Any]:
    """The live draft's content while it is being written; otherwise the current version's."""
    if plan.is_editable or plan.current_version is None:
        return snapshot_of(plan)
    return plan.current_version.snapshot


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _day(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else ""


def plain(value: Any) -> str:
    """A section's content as words: its text, or its labelled parts."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, Mapping):
        if set(value) == {"text"}:
            return plain(value["text"])
        parts = []
        for key, item in value.items():
            words = plain(item)
            if words:
                parts.append(f"{str(key).replace('_', ' ').capitalize()}: {words}")
        return "\n".join(parts)
    if isinstance(value, list):
        return ", ".join(w for w in (plain(v) for v in value) if w)
    if value is True:
        return _("Yes")
    return str(value)


def frequency(service: Mapping[str, Any]) -> str:
    """'30 minutes, 2 times a week', or a note that the frequency is missing."""
    minutes, times, per = service.get("minutes"), service.get("times"), service.get("per")
    if not (minutes and times and per):
        return _("no frequency or duration given")
    duration = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    per_label = _label(Per, per)
    often = ngettext("%(count)s time a %(per)s", "%(count)s times a %(per)s", times) % {
        "count": times,
        "per": per_label,
    }
    return f"{duration}, {often}"


def describe_service(service: Mapping[str, Any]) -> str:
    """'Speech-language therapy — 30 minutes, 2 times a week, individual, in person, from ...'."""
    return f"{service.get('name', '')} — " + service_details(service)


def service_details(service: Mapping[str, Any]) -> str:
    """'30 minutes, 2 times a week, individual, in person, from ...' (the service without its
    name, which a family page may show in the family's language)."""
    parts = [
        frequency(service),
        _label(GroupSize, service.get("group_size")).lower(),
        _label(DeliveryMode, service.get("delivery_mode")).lower(),
    ]
    start, end = _day(service.get("start_date")), _day(service.get("end_date"))
    if start and end:
        parts.append(_("from %(start)s to %(end)s") % {"start": start, "end": end})
    elif start:
        parts.append(_("from %(start)s") % {"start": start})
    elif end:
        parts.append(_("until %(end)s") % {"end": end})
    return ", ".join(p for p in parts if p)


def smart_verdict(text: str) -> dict[str, Any]:
    """The goal checker's SMART reading of a goal, in words."""
    smart = check_goal(text or "").smart
    checks = [
        (_("specific"), smart.specific),
        (_("measurable"), smart.measurable),
        (_("time-bound"), smart.time_bound),
    ]
    missing = [name for name, ok in checks if ok is not True]
    if missing:
        verdict = _("Not yet SMART: not %(missing)s.") % {"missing": ", ".join(missing)}
    else:
        verdict = _("SMART: specific, measurable and time-bound.")
    return {"ok": not missing, "verdict": verdict, "missing": missing}


# Sections the law asks every plan of a kind to carry (300.320(a), 300.324(a)(2); a 504 Plan's
# impairment): the document says "None written" for them rather than leaving them out. The
# other sections are left out when empty.
REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    PlanKind.IEP: (
        SectionKey.PLAAFP,
        SectionKey.SPECIAL_FACTORS,
        SectionKey.PROGRESS_REPORTING,
        SectionKey.ASSESSMENTS,
        SectionKey.LRE,
    ),
    PlanKind.SECTION_504: (SectionKey.SECTION_504_IMPAIRMENT,),
}


def outline(kind: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The written sections, with the required ones not written yet in their place (empty)."""
    written = {item["key"] for item in items}
    missing = [
        {"key": key, "title": _label(SectionKey, key), "text": "", "content": None, "empty": True}
        for key in REQUIRED_SECTIONS.get(kind, ())
        if key not in written
    ]
    order = {key: n for n, key in enumerate(SectionKey.values)}
    return sorted([*items, *missing], key=lambda item: order.get(item["key"], len(order)))


def _review_date(sections: Mapping[str, Any]) -> Any:
    """The review date a 504 Plan's team wrote in its review section, if any."""
    content = sections.get(SectionKey.SECTION_504_REVIEW)
    return content.get("review_date") if isinstance(content, Mapping) else None


def readable(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot laid out for the page, the PDF and the API, in plain words."""
    sections = snapshot.get("sections", {}) or {}
    order = [key for key in SectionKey.values if key in sections]
    order += sorted(key for key in sections if key not in SectionKey.values)
    items = []
    for key in order:
        words = plain(sections[key])
        if words:
            items.append(
                {
                    "key": key,
                    "title": _label(SectionKey, key),
                    "text": words,
                    "content": sections[key],
                }
            )
    services = [
        {
            **s,
            "category_label": _label(ServiceCategory, s.get("category")),
            "frequency_text": frequency(s),
            "description": describe_service(s),
            "details": service_details(s),
        }
        for s in snapshot.get("services", []) or []
    ]
    accommodations, modifications = [], []
    for a in snapshot.get("accommodations", []) or []:
        entry = {
            **a,
            "category_label": _label(AccommodationCategory, a.get("category")),
            "places": ", ".join(_label(AppliesTo, p) for p in a.get("applies_to") or []),
        }
        if a.get("kind") == AccommodationKind.MODIFICATION:
            modifications.append(entry)
        else:
            accommodations.append(entry)
    goals = [
        {**g, "smart": smart_verdict(g.get("text", ""))} for g in snapshot.get("goals", []) or []
    ]
    facts = snapshot.get("plan", {}) or {}
    return {
        "kind": facts.get("kind", ""),
        "kind_label": _label(PlanKind, facts.get("kind")),
        "meeting_date": facts.get("meeting_date"),
        "effective_from": facts.get("effective_from"),
        "effective_to": facts.get("effective_to"),
        "annual_review_due": facts.get("annual_review_due") or _review_date(sections) or None,
        "sections": items,
        "outline": outline(facts.get("kind", ""), items),
        "services": services,
        "accommodations": accommodations,
        "modifications": modifications,
        "goals": goals,
    }
