"""Ed-Fi descriptors (their code values, the part after '#') <-> Tandem's vocabularies.

One table per descriptor, read both ways. In: `lookup` ignores capitals, because districts and
Ed-Fi versions differ in them ("Autism Spectrum Disorders", "autism spectrum disorder"); a code
value missing here is reported as a noted problem with the value read, never guessed: the
original text is kept with the imported plan. Out: `descriptor` writes the first code value of
a Tandem value, so each table lists Ed-Fi's Data Standard 5.2 default first, spelt as Ed-Fi
spells it, and the other spellings after it.
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
    "Autism Spectrum Disorders": D.AUTISM,
    "Autism": D.AUTISM,
    "Autism Spectrum Disorder": D.AUTISM,
    "Deaf-Blindness": D.DEAF_BLINDNESS,
    "Deafness": D.DEAFNESS,  # no default of its own: under hearing impairment in DS 5.2
    "Hearing Impairment, including Deafness": D.HEARING_IMPAIRMENT,
    "Hearing Impairment": D.HEARING_IMPAIRMENT,
    "Serious Emotional Disability": D.EMOTIONAL_DISTURBANCE,
    "Emotional Disturbance": D.EMOTIONAL_DISTURBANCE,
    "Emotional or Behavorial Disorder": D.EMOTIONAL_DISTURBANCE,
    "Intellectual Disability": D.INTELLECTUAL_DISABILITY,
    "Multiple Disabilities": D.MULTIPLE_DISABILITIES,
    "Orthopedic Impairment": D.ORTHOPEDIC_IMPAIRMENT,
    "Other Health Impairment": D.OTHER_HEALTH_IMPAIRMENT,
    "Specific Learning Disability": D.SPECIFIC_LEARNING_DISABILITY,
    "Speech or Language Impairment": D.SPEECH_LANGUAGE_IMPAIRMENT,
    "Traumatic Brain Injury": D.TRAUMATIC_BRAIN_INJURY,
    "Visual Impairment, including Blindness": D.VISUAL_IMPAIRMENT,
    "Visual Impairment": D.VISUAL_IMPAIRMENT,
    "Developmental Delay": D.DEVELOPMENTAL_DELAY,  # state-defined: no DS 5.2 default
    "Preschooler with a Disability": D.DEVELOPMENTAL_DELAY,
}

# SpecialEducationSettingDescriptor -> IDEA section 618 educational environment (EDFacts FS002
# for school age, FS089 for ages 3-5). "Separate class" is a school-age RC39 placement in
# FS002's terms only when minutes say so, and an early-childhood SC otherwise: left unmapped.
ENVIRONMENT: dict[str, str] = {
    "Inside regular class 80% or more of the day": SA.RC80,
    "Inside regular class between 40-79% of the day": SA.RC79TO40,
    "Inside reg class between 40-79% of the day": SA.RC79TO40,  # Ed-Fi's deprecated spelling
    "Inside regular class less than 40% of the day": SA.RC39,
    "Separate school": SA.SS,
    "Residential facility": SA.RF,
    "Homebound/Hospital": SA.HH,
    "Correctional facilities": SA.CF,
    "Parentally-placed in private schools": SA.PPPS,
    "Regular early childhood program (10+ hrs)": EC.REC10YSVCS,
    "Regular early childhood program (less than 10 hrs)": EC.REC09YSVCS,
    "Other early childhood location (10+ hrs)": EC.REC10YOTHLOC,
    "Other early childhood location (< 10 hours)": EC.REC09YOTHLOC,
    "Home": EC.H,
    "Service provider location": EC.SPL,
}

# SpecialEducationExitReasonDescriptor (IDEA's basis of exit) -> FS009 reason.
SPECIAL_EDUCATION_EXIT: dict[str, str] = {
    "Graduated with Diploma": ExitReason.GHS,
    "Graduated with Alternate Diploma": ExitReason.GRADALTDPL,
    "Graduated with Certificate": ExitReason.RC,
    "Received a Certificate": ExitReason.RC,
    "Reached the age limit": ExitReason.RMA,
    "Reached Maximum Age": ExitReason.RMA,
    "Died": ExitReason.D,
    "Dropped out": ExitReason.DROPOUT,
    "Transferred out": ExitReason.MKC,
    "Moved, Known to be Continuing": ExitReason.MKC,
    "No longer eligible for Special Education": ExitReason.NO_LONGER_ELIGIBLE,
    "Transferred to Regular Education": ExitReason.TRAN,
    "Parent Revoked Consent": ExitReason.PARENT_REVOKED,
}

# ReasonExitedDescriptor (leaving any program) -> FS009 reason: read when the special-education
# reason is absent or "Other".
REASON_EXITED: dict[str, str] = {
    "Died or is permanently incapacitated": ExitReason.D,
    "Discontinued schooling": ExitReason.DROPOUT,
    "Graduated with a high school diploma": ExitReason.GHS,
    "Graduated with an alternate diploma": ExitReason.GRADALTDPL,
    "Transferred to another district or school": ExitReason.MKC,
    "Moved out of state": ExitReason.MKC,
    "Reached maximum age": ExitReason.RMA,
    "Received certificate of completion or equivalent": ExitReason.RC,
    "Transferred to regular education": ExitReason.TRAN,
    "Withdrawal by a parent (or guardian)": ExitReason.PARENT_REVOKED,
}

# GradeLevelDescriptor -> Tandem grade.
GRADE: dict[str, str] = {
    "Preschool/Prekindergarten": "PK",
    "Infant/toddler": "PK",
    "Early Education": "PK",
    "Kindergarten": "K",
    "First grade": "1",
    "Second grade": "2",
    "Third grade": "3",
    "Fourth grade": "4",
    "Fifth grade": "5",
    "Sixth grade": "6",
    "Seventh grade": "7",
    "Eighth grade": "8",
    "Ninth grade": "9",
    "Tenth grade": "10",
    "Eleventh grade": "11",
    "Twelfth grade": "12",
    "Postsecondary": "PS",
    "Grade 13": "PS",
    "Adult Education": "PS",
}
GRADE_ORDER = ["PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "PS"]

SEX: dict[str, str] = {"Female": "F", "Male": "M", "Not Selected": "", "Non-binary": "X"}


# Section504DisabilityDescriptor is read as it stands (no Tandem vocabulary of impairments); the
# program types name the two programs a plan is exported under.
SPECIAL_EDUCATION_PROGRAM = "Special Education"
SECTION_504_PROGRAM = "Section 504 Placement"

_folded: dict[int, dict[str, str]] = {}
_reversed: dict[int, dict[str, str]] = {}


def lookup(table: dict[str, str], code: str) -> str | None:
    """The Tandem value of an Ed-Fi code value, whatever its capitals; None if unknown."""
    if id(table) not in _folded:
        _folded[id(table)] = {k.lower(): v for k, v in table.items()}
    return _folded[id(table)].get(code.strip().lower())


def descriptor(table: dict[str, str], value: str) -> str | None:
    """The Ed-Fi code value written for a Tandem value: the table's first for it."""
    if id(table) not in _reversed:
        _reversed[id(table)] = {}
        for k, v in table.items():
            _reversed[id(table)].setdefault(v, k)
    return _reversed[id(table)].get(value) if value else None


def uri(kind: str, code_value: str, *, namespace: str = "uri://ed-fi.org") -> str:
    """A descriptor as the Ed-Fi API writes it: 'uri://ed-fi.org/DisabilityDescriptor#Autism'."""
    return f"{namespace}/{kind}#{code_value}"
