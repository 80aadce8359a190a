"""Small builders for test worlds: plain functions over the real models."""

from __future__ import annotations

import itertools
from datetime import date

from tandem.accounts.models import User
from tandem.people.models import District, School, Staff, StaffRole, Student

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery"


def make_district(*, name: str, state: str, slug: str) -> District:
    return District.objects.create(name=name, state=state, slug=slug)


def make_school(
    district: District, *, name: str, code: str, low: str = "K", high: str = "5"
) -> School:
    return School.objects.create(
        district=district, name=name, code=code, lowest_grade=low, highest_grade=high
    )


def make_user(email: str, *, first: str = "Pat", last: str = "Lee", language: str = "en") -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first, last_name=last
    )
    user.preferred_language = language
    user.save()
    return user


def make_staff(email: str, roles: list[tuple[str, District, School | None]], **names) -> Staff:  # type: ignore[no-untyped-def]
    staff = Staff.objects.create(user=make_user(email, **names))
    for role, district, school in roles:
        StaffRole.objects.create(
            staff=staff, role=role, district=district, school=school, start_date=date(2020, 7, 1)
        )
    return staff


def make_student(school: School, *, first: str, last: str, grade: str = "3", **extra) -> Student:  # type: ignore[no-untyped-def]
    n = next(_counter)
    return Student.objects.create(
        district=school.district,
        school=school,
        sis_id=extra.pop("sis_id", f"S{n:06d}"),
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=extra.pop("date_of_birth", date(2017, 3, 14)),
        grade=grade,
        enrollment_date=extra.pop("enrollment_date", date(2022, 8, 20)),
        sex=extra.pop("sex", "F"),
        **extra,
    )


LRE_EXPLANATION = (
    "Speech-language therapy is given outside the regular class, in the speech room, because "
    "the sessions need a quiet room; the student is in the regular class the rest of the day."
)


def meet_finalize_requirements(actor: User, plan, today: date) -> None:  # type: ignore[no-untyped-def]
    """What the pre-finalize check asks of a test draft beyond its content: special factors
    (300.324(a)(2)), progress reporting (300.320(a)(3)), assessments (300.320(a)(6)), the
    explanation of removal (300.320(a)(5)) and, on a first IEP, consent to services (300.300(b))."""
    from tandem.plans import actions_drafts, readiness
    from tandem.plans.models import PlanKind, PlanSection

    if plan.kind != PlanKind.IEP:
        return
    written = set(PlanSection.objects.filter(plan=plan).values_list("key", flat=True))
    for key, text in (
        ("special_factors", "Considered: no special factors apply beyond the goals."),
        ("progress_reporting", "Progress on each goal is reported with each report card."),
        ("assessments", "Takes the state and district assessments with accommodations."),
    ):
        if key not in written:
            actions_drafts.save_section(
                actor=actor, plan=plan, key=key, content={"text": text}, expected_revision=0
            )
    section = PlanSection.objects.filter(plan=plan, key="lre").first()
    content = dict(section.content) if section else {}
    if not content.get("removal_explanation"):
        content["removal_explanation"] = LRE_EXPLANATION
        actions_drafts.save_section(
            actor=actor,
            plan=plan,
            key="lre",
            content=content,
            expected_revision=section.revision if section else 0,
        )
    if readiness.is_initial_iep(plan) and not plan.services_consents.exists():
        actions_drafts.record_services_consent(
            actor=actor, plan=plan, answer="yes", answered_on=today, today=today
        )
