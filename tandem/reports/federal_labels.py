"""Plain words for the federal codes the counts use (the codes themselves are COMPLIANCE.md's)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.plans.forms_editor import CATEGORY_LABELS
from tandem.reports import child_count as cc

DISABILITY: dict[str, Promise] = {
    "AUT": _("Autism"),
    "DB": _("Deaf-blindness"),
    "DD": _("Developmental delay"),
    "EMN": _("Emotional disturbance"),
    "HI": _("Hearing impairment (including deafness)"),
    "ID": _("Intellectual disability"),
    "MD": _("Multiple disabilities"),
    "OHI": _("Other health impairment"),
    "OI": _("Orthopedic impairment"),
    "SLD": _("Specific learning disability"),
    "SLI": _("Speech or language impairment"),
    "TBI": _("Traumatic brain injury"),
    "VI": _("Visual impairment (including blindness)"),
}
RACE: dict[str, Promise] = {
    "HI7": _("Hispanic or Latino"),
    "AM7": _("American Indian or Alaska Native"),
    "AS7": _("Asian"),
    "BL7": _("Black or African American"),
    "PI7": _("Native Hawaiian or Other Pacific Islander"),
    "WH7": _("White"),
    "MU7": _("Two or more races"),
}
SEX: dict[str, Promise] = {"F": _("Female"), "M": _("Male"), "X": _("Nonbinary")}
ENGLISH_LEARNER: dict[str, Promise] = {
    "LEP": _("English learner"),
    "NLEP": _("Not an English learner"),
}
EARLY_CHILDHOOD: dict[str, Promise] = {
    "REC10YSVCS": _("Regular early childhood program 10+ hours a week, services there"),
    "REC10YOTHLOC": _("Regular early childhood program 10+ hours a week, services elsewhere"),
    "REC09YSVCS": _("Regular early childhood program under 10 hours a week, services there"),
    "REC09YOTHLOC": _("Regular early childhood program under 10 hours a week, services elsewhere"),
    "SC": _("Separate special education class"),
    "SS": _("Separate school"),
    "RF": _("Residential facility"),
    "H": _("Home"),
    "SPL": _("Service provider location"),
}
BASIS: dict[str, Promise] = {
    "GHS": _("Graduated with a regular high school diploma"),
    "GRADALTDPL": _("Graduated with an alternate diploma"),
    "RC": _("Received a certificate"),
    "RMA": _("Reached maximum age"),
    "D": _("Died"),
    "MKC": _("Moved, known to be continuing"),
    "DROPOUT": _("Dropped out"),
    "TRAN": _("Transferred to regular education"),
}
REASONS: dict[str, Promise] = {
    cc.NO_DISABILITY: _("No disability category: no IEP eligibility decided by that day"),
    cc.NO_RACE: _("Race and ethnicity not recorded"),
    cc.NO_ENVIRONMENT: _(
        "No educational environment: the IEP gives no service minutes or placement "
        "(early childhood: no environment recorded)"
    ),
    cc.BAD_AGE: _("Age outside 3 through 21 on that day: check the date of birth"),
    cc.REVIEW_OVERDUE: _(
        "The IEP's end date (its annual review) passed before the count date: review it, or "
        "count it if your state does"
    ),
    cc.UNDER_14: _("Younger than 14 on the exit date: FS009 reports ages 14 through 21"),
}
FILES: dict[str, Promise] = {
    cc.FS002: _("School age (FS002): ages 6 through 21, and 5 in kindergarten"),
    cc.FS089: _("Early childhood (FS089): ages 3 through 5 not in kindergarten"),
    cc.FS009: _("Exiting (FS009): ages 14 through 21"),
}
DIMENSION_NAMES: dict[str, Promise] = {
    "disability": _("Disability category"),
    "age": _("Age"),
    "race": _("Race and ethnicity"),
    "sex": _("Sex"),
    "english_learner": _("English learner status"),
    "environment": _("Educational environment"),
    "basis": _("Basis of exit"),
}


def environments(file: str) -> dict[str, Promise]:
    if file == cc.FS089:
        return EARLY_CHILDHOOD
    return {code: CATEGORY_LABELS[code] for code in cc.SCHOOL_AGE_CODES}


def words_for(dimension: str, file: str) -> dict[str, Promise]:
    """The codes of a dimension in their reporting order, with their words."""
    return {
        "disability": DISABILITY,
        "race": RACE,
        "sex": SEX,
        "english_learner": ENGLISH_LEARNER,
        "basis": BASIS,
    }.get(dimension) or environments(file)


def ages(file: str) -> list[str]:
    if file == cc.FS089:
        return ["3", "4", "5"]
    if file == cc.FS009:
        return [str(a) for a in range(14, 22)]
    return [str(a) for a in range(5, 22)]
