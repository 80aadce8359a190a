"""What the demo referrals are about: their stages, concerns, assessments, and the planned referral.

Plain data shared by the plan (`referrals.py`), its dating (`referrals_dates.py`), the writer
(`referrals_writer.py`) and the reevaluations (`referrals_reevaluations.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from tandem.referrals.models import (
    AreaOfConcern,
    AssessmentArea,
    ConsentMethod,
    DisabilityCategory,
    Track,
)


class Stage(StrEnum):
    RECEIVED = "received"  # no case review yet
    CONSENT_PENDING = "consent_pending"  # reviewed, notice issued, consent requested
    EVALUATING = "evaluating"  # consent given, evaluation clock running, on track
    EVALUATION_OVERDUE = "evaluation_overdue"  # consent long ago, assessments still open
    ELIGIBILITY_PENDING = "eligibility_pending"  # assessments and report done
    ELIGIBLE_IEP = "eligible_iep"  # initial IEP meeting due
    IEP_MEETING_OVERDUE = "iep_meeting_overdue"  # eligible, IEP meeting past due
    ELIGIBLE_504 = "eligible_504"
    NOT_ELIGIBLE = "not_eligible"  # with prior written notice
    REQUEST_REFUSED = "request_refused"  # a parent's request refused with prior written notice
    CONSENT_REFUSED = "consent_refused"  # referral closed


_AREA = AreaOfConcern
# (areas of concern, description, IDEA category if eligible, 504 impairment)
CONCERNS = (
    (
        (_AREA.READING, _AREA.WRITING),
        "Reads well below grade level and avoids written work despite two rounds of small-group "
        "reading intervention.",
        DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        "Dyslexia",
    ),
    (
        (_AREA.MATH,),
        "Struggles with number sense and math facts; little progress after a semester of "
        "intervention.",
        DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        "Dyscalculia",
    ),
    (
        (_AREA.SPEECH_LANGUAGE,),
        "Hard to understand in class; peers and adults often ask for repetition.",
        DisabilityCategory.SPEECH_LANGUAGE_IMPAIRMENT,
        "Speech sound disorder",
    ),
    (
        (_AREA.ATTENTION, _AREA.BEHAVIOR),
        "Leaves seat often, rarely finishes independent work, several office referrals this term.",
        DisabilityCategory.OTHER_HEALTH_IMPAIRMENT,
        "Attention-deficit/hyperactivity disorder",
    ),
    (
        (_AREA.SOCIAL_EMOTIONAL,),
        "Withdrawn in class, frequent visits to the nurse, few peer interactions.",
        DisabilityCategory.EMOTIONAL_DISTURBANCE,
        "Generalized anxiety disorder",
    ),
    (
        (_AREA.READING, _AREA.SPEECH_LANGUAGE),
        "Struggles to decode and to follow multi-step directions; intervention data attached.",
        DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        "Language-based learning disability",
    ),
)
CONCERNS_504 = (
    (
        (_AREA.HEALTH,),
        "Type 1 diabetes diagnosed over the summer; needs glucose checks and snack breaks.",
        "Type 1 diabetes",
        ("endocrine", "concentrating"),
    ),
    (
        (_AREA.ATTENTION,),
        "Pediatrician's ADHD diagnosis; loses focus on tests and long assignments.",
        "Attention-deficit/hyperactivity disorder",
        ("concentrating", "learning"),
    ),
    (
        (_AREA.HEALTH, _AREA.MOTOR),
        "Severe peanut allergy and a wrist fracture; needs an allergy plan and a scribe.",
        "Severe food allergy",
        ("breathing", "performing_manual_tasks"),
    ),
)
INSTRUMENTS = {
    AssessmentArea.ACADEMIC: "WIAT-4",
    AssessmentArea.COGNITIVE_PSYCHOLOGICAL: "WISC-V",
    AssessmentArea.SPEECH_LANGUAGE: "CELF-5",
    AssessmentArea.BEHAVIORAL_OBSERVATION: "BASC-3 and classroom observation",
    AssessmentArea.HEALTH: "Health and developmental history",
    AssessmentArea.OCCUPATIONAL_THERAPY: "BOT-2",
}
SUMMARIES = {
    AssessmentArea.ACADEMIC: "Basic reading and written expression well below average.",
    AssessmentArea.COGNITIVE_PSYCHOLOGICAL: "Average reasoning; weak processing speed.",
    AssessmentArea.SPEECH_LANGUAGE: "Articulation errors and below-average receptive language.",
    AssessmentArea.BEHAVIORAL_OBSERVATION: "Off task in 40% of observed intervals.",
    AssessmentArea.HEALTH: "Vision and hearing screenings passed; history reviewed.",
    AssessmentArea.OCCUPATIONAL_THERAPY: "Fine-motor skills below age expectations.",
}
# Who usually gives each assessment, by a key resolved per school.
EVALUATOR_KEY = {
    AssessmentArea.ACADEMIC: "academic",
    AssessmentArea.SPEECH_LANGUAGE: "speech",
    AssessmentArea.OCCUPATIONAL_THERAPY: "speech",
}
METHODS = (ConsentMethod.IN_PERSON, ConsentMethod.MAIL, ConsentMethod.EMAIL, ConsentMethod.PORTAL)


@dataclass(frozen=True)
class PlannedAssessment:
    area: str
    due: date
    completed: date | None


@dataclass
class PlannedReferral:
    student: int  # index into world_plan.Plan.students
    stage: Stage
    lead: str  # demo email of the acting account (falls back to the district director)
    source: str
    source_name: str
    areas: tuple[str, ...]
    description: str
    category: str
    impairment: str
    activities: tuple[str, ...]
    received: date
    track: str = Track.UNDECIDED
    review: date | None = None
    notice: date | None = None  # prior written notice proposing the evaluation
    consent_sent: date | None = None
    consent_answer: date | None = None
    plan_on: date | None = None
    assessments: list[PlannedAssessment] = field(default_factory=list)
    report: date | None = None
    decided: date | None = None
    method: str = ConsentMethod.IN_PERSON
