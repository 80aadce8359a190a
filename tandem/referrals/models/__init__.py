"""Referral, case review, notice, consent, evaluation, eligibility, and the stored deadlines.

Fields, constraints and single-record checks only; the workflow lives in `actions.py`.

One module for each step of the way: `referral.py` (the referral, its evidence, the case
review), `notice.py` (prior written notice), `consent.py` (the parent's consent and the
reevaluation agreements), `evaluation.py` (assessments and the report), `eligibility.py` (the
team's decision), and `storage.py` (where their documents are kept). Callers import every name
from here, and the migrations name the storage callables by this path, so the list below is the
package's whole surface.
"""

from tandem.compliance.models import Deadline, DeadlineBasis, DeadlineKind

# In the order of the steps, not by name: the models register in the order one module gave
# them, so each model's reverse relations (and what a deletion cascades to first) stay the same.
# isort: off
from tandem.referrals.models.storage import consent_upload_to, evidence_upload_to, private_storage
from tandem.referrals.models.referral import (
    AreaOfConcern,
    CaseReview,
    CaseReviewDecision,
    ConcernDecision,
    Evidence,
    EvidenceKind,
    Purpose,
    ReevaluationKind,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.referrals.models.notice import NOTICE_ELEMENTS, NoticeAction, PriorWrittenNotice
from tandem.referrals.models.consent import (
    AgreementKind,
    Consent,
    ConsentAttempt,
    ConsentKind,
    ConsentMethod,
    ConsentResponse,
    ReevaluationAgreement,
)
from tandem.referrals.models.evaluation import (
    ASSESSMENT_AREA_COVERS,
    Assessment,
    AssessmentArea,
    AssessmentPlan,
    EvaluationReport,
)
from tandem.referrals.models.eligibility import (
    EDFACTS_CODE,
    MAJOR_LIFE_ACTIVITIES,
    DisabilityCategory,
    EligibilityDecision,
    EligibilityOutcome,
)
# isort: on

__all__ = [
    # referral.py
    "AreaOfConcern",
    "CaseReview",
    "CaseReviewDecision",
    "ConcernDecision",
    "Evidence",
    "EvidenceKind",
    "Purpose",
    "ReevaluationKind",
    "Referral",
    "ReferralSource",
    "ReferralStatus",
    "Track",
    # notice.py
    "NOTICE_ELEMENTS",
    "NoticeAction",
    "PriorWrittenNotice",
    # consent.py
    "AgreementKind",
    "Consent",
    "ConsentAttempt",
    "ConsentKind",
    "ConsentMethod",
    "ConsentResponse",
    "ReevaluationAgreement",
    # evaluation.py
    "ASSESSMENT_AREA_COVERS",
    "Assessment",
    "AssessmentArea",
    "AssessmentPlan",
    "EvaluationReport",
    # eligibility.py
    "EDFACTS_CODE",
    "MAJOR_LIFE_ACTIVITIES",
    "DisabilityCategory",
    "EligibilityDecision",
    "EligibilityOutcome",
    # storage.py: the migrations import these by this path
    "consent_upload_to",
    "evidence_upload_to",
    "private_storage",
    # The stored deadlines moved to tandem.compliance; callers still import them from here.
    "Deadline",
    "DeadlineBasis",
    "DeadlineKind",
]
