"""What blocks finalizing a plan: `pre_finalize_check` lists each problem (a Problem: where it
is and what to do), and finalizing, amending or correcting refuses with PlanNotReady while any
is left. Reads only; the writers are in `actions_drafts.py` and `actions_versions.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.people.models import Student
from tandem.plans.actions_common import one_year_after
from tandem.plans.forms_editor import compute_lre
from tandem.plans.models import (
    AccommodationKind,
    ConsentToServices,
    Plan,
    PlanKind,
    PlanSection,
    SectionKey,
    ServicesConsentAnswer,
    content_is_empty,
)
from tandem.rules import deadlines as engine
from tandem.rules.accommodations import Kind as WordingKind
from tandem.rules.accommodations import classify_wording
from tandem.rules.goals import check_goal
from tandem.rules.profiles import Rule, load_profile


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that blocks finalizing: where it is (a field or section) and what is wrong."""

    field: str
    message: str


class PlanNotReady(ValidationError):
    """Finalizing refused: the plan has problems, listed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(problem.field, []).append(problem.message)
        super().__init__(errors)


# --- checks -----------------------------------------------------------------------------------


# Words a team types to fill a box it has not written yet: they say nothing.
PLACEHOLDERS = frozenset(
    {"tbd", "tba", "n/a", "na", "none", "-", "--", "---", "?", "todo", "to be determined", "x"}
)


def is_placeholder(value: Any) -> bool:
    """Whether a section value says nothing: blank, or only a placeholder ("TBD", "N/A", "-")."""
    if isinstance(value, str):
        words = value.strip().strip(".").strip().lower()
        return not words or words in PLACEHOLDERS
    if isinstance(value, dict):
        return all(is_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return all(is_placeholder(v) for v in value)
    return content_is_empty(value)


def _content(plan: Plan, key: str) -> dict[str, Any]:
    section = PlanSection.objects.filter(plan=plan, key=key).first()
    content = section.content if section is not None else {}
    if isinstance(content, str):
        return {"text": content}
    return content if isinstance(content, dict) else {}


def _section_present(plan: Plan, key: str) -> bool:
    return not is_placeholder(_content(plan, key))


def is_initial_iep(plan: Plan) -> bool:
    """An IEP that starts special education: not an annual review, and no IEP was ever in effect
    for the student. 300.300(b) asks consent to the initial provision of services for it."""
    if plan.kind != PlanKind.IEP or plan.based_on_id is not None:
        return False
    return (
        not Plan.objects.filter(student=plan.student, kind=PlanKind.IEP)
        .exclude(pk=plan.pk)
        .filter(current_version__isnull=False)
        .exists()
    )


def services_consent(plan: Plan) -> ConsentToServices | None:
    """The parent's newest answer to consent to the initial provision of services, if any."""
    return plan.services_consents.order_by("-answered_on", "-id").first()


def _has_services_consent(plan: Plan) -> bool:
    answer = services_consent(plan)
    if answer is not None:
        return answer.answer == ServicesConsentAnswer.YES
    # A consent to initial services signed through the referral (the parent portal) counts too.
    consent = apps.get_model("referrals", "Consent")
    newest = (
        consent.objects.filter(student=plan.student, kind="initial_services")
        .exclude(response="pending")
        .order_by("-received_on", "-id")
        .first()
    )
    return newest is not None and newest.response == "given"


def _goal_problems(plan: Plan) -> list[Problem]:
    """Each goal the goal checker itself finds not specific, measurable or time-bound."""
    problems = []
    for goal in plan.goals.order_by("area", "id"):
        smart = check_goal(goal.text, plaafp_need=goal.plaafp_need or None).smart
        missing = [
            label
            for ok, label in (
                (smart.specific, _("specific")),
                (smart.measurable, _("measurable")),
                (smart.time_bound, _("time-bound")),
            )
            if not ok
        ]
        if missing:
            problems.append(
                Problem(
                    f"goal:{goal.public_id}",
                    _(
                        "The %(area)s goal is not %(missing)s, by the goal checker's own "
                        "reading: rewrite it as a measurable annual goal."
                    )
                    % {"area": goal.area or _("annual"), "missing": ", ".join(missing)},
                )
            )
    return problems


def _lre_problems(plan: Plan) -> list[Problem]:
    """300.320(a)(5): when the services take the student out of the regular class, say why."""
    lre = _content(plan, SectionKey.LRE)
    reading = compute_lre(
        plan.services.all(), district=plan.student.district, placement=lre.get("placement", "")
    )
    removed = (reading.ok and reading.outside_minutes > 0) or bool(lre.get("placement"))
    explained = not is_placeholder(lre.get("removal_explanation", "")) or not is_placeholder(
        lre.get("text", "")
    )
    if removed and not explained:
        minutes = reading.outside_minutes if reading.ok else 0
        return [
            Problem(
                "section:lre",
                _(
                    "The student is out of the regular class %(minutes)s minutes a week, but the "
                    "least restrictive environment section does not explain why."
                )
                % {"minutes": minutes},
            )
        ]
    return []


def _assessment_problems(plan: Plan) -> list[Problem]:
    """300.320(a)(6)(ii) and (a)(2)(ii): an alternate assessment needs its reasons, and the goals
    of a student assessed against alternate standards need short-term objectives."""
    content = _content(plan, SectionKey.ASSESSMENTS)
    problems = []
    for which, why, message in (
        (
            "state",
            "state_why",
            _(
                "The student takes the alternate state assessment, but the plan does not say why "
                "the regular assessment is not appropriate and why the alternate one is."
            ),
        ),
        (
            "district",
            "district_why",
            _(
                "The student takes an alternate district assessment, but the plan does not say "
                "why, or which assessment instead."
            ),
        ),
    ):
        if content.get(which) == "alternate" and is_placeholder(content.get(why, "")):
            problems.append(Problem("section:assessments", message))
    if content.get("state") == "alternate":
        objective = apps.get_model("goals", "GoalObjective")
        with_objectives = set(
            objective.objects.filter(goal__plan=plan).values_list("goal_id", flat=True)
        )
        for goal in plan.goals.order_by("area", "id"):
            if goal.pk not in with_objectives:
                problems.append(
                    Problem(
                        f"goal:{goal.public_id}",
                        _(
                            "The %(area)s goal has no short-term objectives or benchmarks; a "
                            "student who takes the alternate assessment needs them."
                        )
                        % {"area": goal.area or _("annual")},
                    )
                )
    return problems


TRANSITION_PARTS = ("education", "employment", "services")


def _transition_written(plan: Plan) -> bool:
    """Postsecondary goals and transition services, not placeholders (300.320(b)). A section
    written in the structured fields needs each of them; one written as free text needs text."""
    content = _content(plan, SectionKey.TRANSITION)
    structured = [k for k in (*TRANSITION_PARTS, "course_of_study") if k in content]
    if any(not is_placeholder(content.get(k, "")) for k in structured):
        return all(not is_placeholder(content.get(k, "")) for k in TRANSITION_PARTS)
    return not is_placeholder(content.get("text", ""))


def _plan_end(plan: Plan, start: date) -> date:
    if plan.effective_to:
        return plan.effective_to
    if plan.meeting_date:
        return one_year_after(plan.meeting_date)
    return one_year_after(start)


def _age_deadline(rule: Rule, student: Student) -> date | None:
    try:
        profile = load_profile(student.district.state)
        dob = student.date_of_birth
        return engine.compute(rule, profile, dob, dob=dob).due
    except (ValueError, LookupError):
        return None


def pre_finalize_check(
    *, plan: Plan, today: date, effective_from: date | None = None
) -> list[Problem]:
    """Everything that blocks finalizing the plan, each with where it is and what to do."""
    problems: list[Problem] = []
    start = effective_from or plan.effective_from or today
    is_iep = plan.kind == PlanKind.IEP
    if is_iep and plan.meeting_date is None:
        problems.append(Problem("meeting_date", _("The meeting date is missing.")))
    if plan.meeting_date and start < plan.meeting_date:
        problems.append(Problem("effective_from", _("The plan takes effect before its meeting.")))
    if plan.effective_to and plan.effective_to < start:
        problems.append(Problem("effective_to", _("The plan ends before it takes effect.")))
    if is_iep and not _section_present(plan, SectionKey.PLAAFP):
        problems.append(
            Problem("section:plaafp", _("The present levels (PLAAFP) section is missing."))
        )
    if not is_iep and not _section_present(plan, SectionKey.SECTION_504_IMPAIRMENT):
        problems.append(
            Problem(
                "section:section_504_impairment",
                _("The impairment and the major life activities it limits are missing."),
            )
        )
    if is_iep and not plan.goals.exists():
        problems.append(Problem("goals", _("An IEP needs at least one measurable annual goal.")))
    if is_iep:
        for key, message in (
            (
                SectionKey.SPECIAL_FACTORS,
                _(
                    "The special factors section does not record what the team considered "
                    "(behavior, English proficiency, braille, communication, hearing, "
                    "assistive technology)."
                ),
            ),
            (
                SectionKey.PROGRESS_REPORTING,
                _(
                    "The plan does not say how progress toward the goals is measured and when "
                    "the parent receives progress reports."
                ),
            ),
            (
                SectionKey.ASSESSMENTS,
                _(
                    "The plan does not say how the student takes part in state and district "
                    "assessments (with which accommodations, or an alternate assessment)."
                ),
            ),
        ):
            if not _section_present(plan, key):
                problems.append(Problem(f"section:{key}", message))
        problems += _goal_problems(plan)
        if not plan.services.exists():
            problems.append(
                Problem(
                    "services",
                    _(
                        "The IEP lists no special education or related services; add the "
                        "services the student will receive, with how often and where."
                    ),
                )
            )
        problems += _lre_problems(plan)
        problems += _assessment_problems(plan)
        if is_initial_iep(plan) and not _has_services_consent(plan):
            problems.append(
                Problem(
                    "consent",
                    _(
                        "This is the student's first IEP: record the parent's consent to the "
                        "initial provision of services before it takes effect."
                    ),
                )
            )
    else:
        impairment = _content(plan, SectionKey.SECTION_504_IMPAIRMENT)
        named = not is_placeholder(impairment.get("impairment", "")) or not is_placeholder(
            impairment.get("text", "")
        )
        if _section_present(plan, SectionKey.SECTION_504_IMPAIRMENT) and not named:
            problems.append(
                Problem(
                    "section:section_504_impairment",
                    _("The plan does not name the impairment (the disability) it is based on."),
                )
            )
        if not plan.accommodations.exists() and not plan.services.exists():
            problems.append(
                Problem(
                    "accommodations",
                    _(
                        "The 504 Plan lists no accommodations or services; add what the school "
                        "will provide."
                    ),
                )
            )
    for service in plan.services.all():
        where = f"service:{service.public_id}"
        if not service.has_frequency:
            problems.append(
                Problem(
                    where,
                    _("%(name)s has no frequency or duration (minutes, times, per).")
                    % {"name": service.name},
                )
            )
        if not service.start_date:
            problems.append(
                Problem(
                    where,
                    _("%(name)s has no projected start date.") % {"name": service.name},
                )
            )
        if not service.setting.strip():
            problems.append(
                Problem(
                    where,
                    _("%(name)s does not say where it is given (its setting or location).")
                    % {"name": service.name},
                )
            )
        if service.start_date and service.end_date and service.end_date < service.start_date:
            problems.append(
                Problem(where, _("%(name)s ends before it starts.") % {"name": service.name})
            )
    for item in plan.accommodations.filter(kind=AccommodationKind.ACCOMMODATION):
        verdict = classify_wording(item.text)
        if verdict.kind is WordingKind.MODIFICATION:
            words = verdict.cue or item.text
            problems.append(
                Problem(
                    f"accommodation:{item.public_id}",
                    _(
                        "“%(words)s” changes what is taught or expected: file it as a "
                        "modification, which has consequences for tests."
                    )
                    % {"words": words},
                )
            )
    if is_iep:
        end = _plan_end(plan, start)
        transition_due = _age_deadline(Rule.TRANSITION_SERVICES, plan.student)
        if transition_due and transition_due <= end and not _transition_written(plan):
            problems.append(
                Problem(
                    "section:transition",
                    _(
                        "The student reaches the state's transition age (%(date)s) while this "
                        "plan is in effect: write the postsecondary goals and the transition "
                        "services (not “TBD”)."
                    )
                    % {"date": transition_due.isoformat()},
                )
            )
        rights_due = _age_deadline(Rule.TRANSFER_OF_RIGHTS, plan.student)
        if (
            rights_due
            and rights_due <= end
            and not _section_present(plan, SectionKey.TRANSFER_OF_RIGHTS)
        ):
            problems.append(
                Problem(
                    "section:transfer_of_rights",
                    _(
                        "The statement on the transfer of rights at the age of majority is "
                        "required from %(date)s."
                    )
                    % {"date": rights_due.isoformat()},
                )
            )
    return problems
