"""Reads for the goal editor and the goal bank."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Q, QuerySet

from tandem.access.policy import standing
from tandem.accounts.models import User
from tandem.core import clock
from tandem.goals.models import GoalTemplate, GradeBand
from tandem.people.models import StaffRole
from tandem.plans.models import Plan, PlanSection, SectionKey

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ALTERNATE = re.compile(r"\balternate\s+(?:assessment|achievement|test)", re.IGNORECASE)


def staff_district_ids(user: User, *, today: date | None = None) -> set[int]:
    """The districts where the user holds a staff role today."""
    s = standing(user, today=today)
    if s.staff_id is None:
        return set()
    day = today or clock.today()
    return set(
        StaffRole.objects.active_on(day)
        .filter(staff_id=s.staff_id)
        .values_list("district_id", flat=True)
    )


def templates_visible_to(user: User) -> QuerySet[GoalTemplate]:
    """Shipped templates, the user's districts' templates, and the user's own."""
    districts = staff_district_ids(user)
    if not districts:
        return GoalTemplate.objects.none()
    return GoalTemplate.objects.filter(
        Q(district__isnull=True) | Q(district_id__in=districts, owner__isnull=True) | Q(owner=user)
    )


def search_templates(
    user: User, *, words: str = "", area: str = "", grade_band: str = ""
) -> QuerySet[GoalTemplate]:
    """Templates matching every word (title or text), the area, and the grade band."""
    found = templates_visible_to(user)
    for word in words.split()[:8]:
        found = found.filter(Q(title__icontains=word) | Q(text__icontains=word))
    if area:
        found = found.filter(area=area)
    if grade_band:
        found = found.filter(grade_band__in=[grade_band, GradeBand.ANY])
    return found.order_by("owner_id", "area", "grade_band", "title", "id")


def present_levels(plan: Plan) -> str:
    """The text of the plan's present levels (PLAAFP) section, or ""."""
    section = PlanSection.objects.filter(plan=plan, key=SectionKey.PLAAFP).first()
    return _text_of(section.content) if section is not None else ""


def _text_of(content: object) -> str:
    if isinstance(content, str):
        return content.strip()
    if isinstance(content, dict):
        return " ".join(t for v in content.values() if (t := _text_of(v)))
    if isinstance(content, list):
        return " ".join(t for v in content if (t := _text_of(v)))
    return ""


def need_sentences(plan: Plan) -> list[str]:
    """The present levels split into sentences, for the author to pick the need a goal answers."""
    text = present_levels(plan)
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 3] if text else []


def takes_alternate_assessment(plan: Plan) -> bool:
    """Whether the plan's assessments section says the student takes an alternate assessment."""
    section = PlanSection.objects.filter(plan=plan, key=SectionKey.ASSESSMENTS).first()
    return bool(section and _ALTERNATE.search(_text_of(section.content)))
