"""Why a record was opened, as the audit log keeps it: the reader's own choice, else the tie
that let them in (34 CFR 99.31(a)(1): a school official's legitimate educational interest).

The log stores codes ("chosen:annual_review", "tie:caseload,team:slp"), never words, so that
each reader reads them in their own language: a parent's "who opened this record" in Spanish
too. A link cannot set the purpose: only the reader's choice (a form, kept for the session) or
an API client's X-Access-Purpose header, which is kept as the client wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.access.capabilities import Tie
from tandem.audit.middleware import SESSION_KEY as SESSION_KEY

CHOICES: dict[str, Promise] = {
    "daily_work": _("Daily work with my students"),
    "plan_writing": _("Writing or reviewing a plan"),
    "meeting": _("Preparing for a meeting"),
    "evaluation": _("An evaluation or reevaluation"),
    "services": _("Delivering or scheduling services"),
    "records_request": _("Answering a request to see records"),
    "compliance": _("A compliance check or audit"),
    "reporting": _("State or federal reporting"),
}

TIES: dict[str, Promise] = {
    Tie.DISTRICT_LEADER: _("district administrator"),
    Tie.SCHOOL_LEADER: _("school principal"),
    Tie.CASELOAD: _("case manager"),
    Tie.ROSTER: _("teacher of the student's class"),
    Tie.PROVIDER: _("provider of the student's services"),
    Tie.RIGHTS_HOLDER: _("parent"),
    Tie.SCHOOL_EVALUATOR: _("evaluator at the student's school"),
}


def chosen(code: str) -> str:
    """The stored form of a purpose the reader chose ("" for a code not offered)."""
    return f"chosen:{code}" if code in CHOICES else ""


def from_ties(ties: Iterable[str]) -> str:
    """The stored form of the ties that let the reader in."""
    return "tie:" + ",".join(sorted(ties)) if ties else ""


def words(stored: str) -> str:
    """The stored purpose in the reader's language; free text (an API client's) as written."""
    if stored.startswith("chosen:"):
        return str(CHOICES.get(stored.removeprefix("chosen:"), stored))
    if stored.startswith("tie:"):
        parts = [_tie_words(tie) for tie in stored.removeprefix("tie:").split(",") if tie]
        return gettext("As %(ties)s") % {"ties": ", ".join(parts)}
    return stored


def _tie_words(tie: str) -> str:
    if tie.startswith("team:"):
        return gettext("member of the student's team")
    return str(TIES.get(tie, tie))
