"""Ed-Fi descriptors (their code values, the part after '#') -> Tandem's vocabularies.

Keys are lower case: districts and Ed-Fi versions differ in capitals ("Autism Spectrum
Disorders", "autism spectrum disorder"). A code value missing here is reported as a noted
problem with the value read, never guessed: the original text is kept with the imported plan.
"""

from __future__ import annotations

from tandem.plans.models import ExitReason
from tandem.referrals.models import DisabilityCategory as D
from tandem.rules.lre import EarlyChildhoodEnvironment as EC
from tandem.rules.lre import SchoolAgeEnvironment as SA

# DisabilityDescriptor -> IDEA category (34 CFR 300.8). Ed-Fi's "Physical Disability",
# "Motor impairment", "Sensory impairment", "Medical condition", "Mental impairment" and
# "Other" are not IDEA categories: a person chooses, so they are left unmapped.
DISABILITY: dict[str, str] = {
    "autism": D.AUTISM,
    "autism spectrum disorder": D.AUTISM,
    "autism spectrum disorders": D.AUTISM,
    "deaf-blindness": D.DEAF_BLINDNESS,
    "deafness": D.DEAFNESS,
    "hearing impairment": D.HEARING_IMPAIRMENT,
    "hearing impairment, including deafness": D.HEARING_IMPAIRMENT,
    "emotional disturbance": D.EMOTIONAL_DISTURBANCE,
    "emotional or behavorial disorder": D.EMOTIONAL_DISTURBANCE,
    "serious emotional disability": D.EMOTIONAL_DISTURBANCE,
    "intellectual disability": D.INTELLECTUAL_DISABILITY,
    "multiple disabilities": D.MULTIPLE_DISABILITIES,
    "orthopedic impairment": D.ORTHOPEDIC_IMPAIRMENT,
    "other health impairment": D.OTHER_HEALTH_IMPAIRMENT,
    "specific learning disability": D.SPECIFIC_LEARNING_DISABILITY,
    "speech or language impairment": D.SPEECH_LANGUAGE_IMPAIRMENT,
    "traumatic brain injury": D.TRAUMATIC_BRAIN_INJURY,
    "visual impairment": D.VISUAL_IMPAIRMENT,
    "visual impairment, including blindness": D.VISUAL_IMPAIRMENT,
    "developmental delay": D.DEVELOPMENTAL_DELAY,
    "preschooler with a disability": D.DEVELOPMENTAL_DELAY,
}

# SpecialEducationSettingDescriptor -> IDEA section 618 educational environment (EDFacts FS002
# for school age, FS089 for ages 3-5). "Separate class" is a school-age RC39 placement in
# FS002's terms only when minutes say so, and an early-childhood SC otherwise: left unmapped.
ENVIRONMENT: dict[str, str] = {
    "inside regular class 80% or more of the day": SA.RC80,
    "inside regular class between 40-79% of the day": SA.RC79TO40,
    "inside reg class between 40-79% of the day": SA.RC79TO40,  # Ed-Fi's deprecated spelling
    "inside regular class less than 40% of the day": SA.RC39,
    "separate school": SA.SS,
    "residential facility": SA.RF,
    "homebound/hospital": SA.HH,
    "correctional facilities": SA.CF,
    "parentally-placed in private schools": SA.PPPS,
    "regular early childhood program (10+ hrs)": EC.REC10YSVCS,
    "regular early childhood program (less than 10 hrs)": EC.REC09YSVCS,
    "other early childhood location (10+ hrs)": EC.REC10YOTHLOC,
    "other early childhood location (< 10 hours)": EC.REC09YOTHLOC,
    "home": EC.H,
    "service provider location": EC.SPL,
}

# SpecialEducationExitReasonDescriptor (IDEA's basis of exit) -> FS009 reason.
SPECIAL_EDUCATION_EXIT: dict[str, str] = {
    "graduated with diploma": ExitReason.GHS,
    "graduated with alternate diploma": ExitReason.GRADALTDPL,
    "graduated with certificate": ExitReason.RC,
    "received a certificate": ExitReason.RC,
    "reached the age limit": ExitReason.RMA,
    "reached maximum age": ExitReason.RMA,
    "died": ExitReason.D,
    "dropped out": ExitReason.DROPOUT,
    "transferred out": ExitReason.MKC,
    "moved, known to be continuing": ExitReason.MKC,
    "no longer eligible for special education": ExitReason.NO_LONGER_ELIGIBLE,
    "transferred to regular education": ExitReason.TRAN,
    "parent revoked consent": ExitReason.PARENT_REVOKED,
}

# ReasonExitedDescriptor (leaving any program) -> FS009 reason: read when the special-education
# reason is absent or "Other".
REASON_EXITED: dict[str, str] = {
    "died or is permanently incapacitated": ExitReason.D,
    "discontinued schooling": ExitReason.DROPOUT,
    "graduated with a high school diploma": ExitReason.GHS,
    "graduated with an alternate diploma": ExitReason.GRADALTDPL,
    "moved out of state": ExitReason.MKC,
    "reached maximum age": ExitReason.RMA,
    "received certificate of completion or equivalent": ExitReason.RC,
    "transferred to another district or school": ExitReason.MKC,
    "transferred to regular education": ExitReason.TRAN,
    "withdrawal by a parent (or guardian)": ExitReason.PARENT_REVOKED,
}

# GradeLevelDescriptor -> Tandem grade.
GRADE: dict[str, str] = {
    "infant/toddler": "PK",
    "preschool/prekindergarten": "PK",
    "early education": "PK",
    "kindergarten": "K",
    "first grade": "1",
    "second grade": "2",
    "third grade": "3",
    "fourth grade": "4",
    "fifth grade": "5",
    "sixth grade": "6",
    "seventh grade": "7",
    "eighth grade": "8",
    "ninth grade": "9",
    "tenth grade": "10",
    "eleventh grade": "11",
    "twelfth grade": "12",
    "grade 13": "PS",
    "postsecondary": "PS",
    "adult education": "PS",
}
GRADE_ORDER = ["PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "PS"]

SEX: dict[str, str] = {"female": "F", "male": "M", "not selected": "", "non-binary": "X"}


def lookup(table: dict[str, str], code: str) -> str | None:
    return table.get(code.strip().lower())
