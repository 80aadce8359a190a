"""What each stored deadline is counted from, in words every reader's language has.

The engine's working (`Deadline.explanation`) is English prose composed from state data files;
a reader in another language gets the date, the day it was counted from and the citation in
their own words from here, with the working kept beside it marked as English.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.compliance.models import DeadlineKind

COUNTED_FROM: dict[str, Promise] = {
    DeadlineKind.ASSESSMENT_PLAN: _("the day the school received the referral"),
    DeadlineKind.INITIAL_EVALUATION: _("the day the school received the parent's consent"),
    DeadlineKind.SECTION_504_EVALUATION: _(
        "the day the school received the parent's consent to the 504 evaluation"
    ),
    DeadlineKind.INITIAL_IEP_MEETING: _("the day the team decided the child is eligible"),
    DeadlineKind.ANNUAL_REVIEW: _("the last IEP meeting"),
    DeadlineKind.REEVALUATION: _("the last evaluation"),
    DeadlineKind.REEVALUATION_NOT_BEFORE: _("the last evaluation"),
    DeadlineKind.TRANSITION_SERVICES: _("the child's date of birth"),
    DeadlineKind.TRANSFER_OF_RIGHTS: _("the child's date of birth"),
    DeadlineKind.MEETING_NOTICE: _("the meeting date"),
    DeadlineKind.PRIOR_WRITTEN_NOTICE: _("the date of the proposed action"),
    DeadlineKind.RECORDS_INSPECTION: _("the day the request was made"),
    DeadlineKind.PROGRESS_REPORT: _("the IEP's schedule of progress reports"),
    DeadlineKind.SECTION_504_REEVALUATION: _("the last 504 evaluation"),
    DeadlineKind.SECTION_504_ANNUAL_REVIEW: _("the last 504 plan meeting"),
    DeadlineKind.REVISION_REQUEST: _("the day the request was made"),
}


def counted_from(kind: str) -> Promise | str:
    """The words for what a deadline of `kind` is counted from ("" for a kind not listed)."""
    return COUNTED_FROM.get(kind, "")
