"""What the revision pages show, built from plain values: the views only fetch, act and render.

Every builder takes the `Access` decision on the student (already through its gatekeeper) and
hands it to the template as `access`; whether the viewer may answer a request is read from the
decision and the request's routed-to field, never by asking the policy again.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import is_owner
from tandem.access.policy import Access
from tandem.accounts.models import User
from tandem.plans.models import Goal
from tandem.revisions.forms import AmendForm, DeclineForm, RevisionRequestForm
from tandem.revisions.models import RevisionRequest, Status
from tandem.revisions.queries import ANSWERED_BY


def detail_url(rr: RevisionRequest) -> str:
    return reverse("revision_detail", args=[rr.public_id])


def may_answer(access: Access, rr: RevisionRequest, viewer: User) -> bool:
    """The viewer holds ANSWER_REVISIONS and the request is routed to them (or they lead)."""
    if not access.has(Cap.ANSWER_REVISIONS):
        return False
    return access.is_leader or is_owner(viewer, rr, ANSWERED_BY.field)


def outcome_forms(data: Any = None) -> tuple[AmendForm, DeclineForm]:
    """The two ways to answer without a meeting; only the one posted is bound."""
    outcome = data.get("outcome") if data is not None else None
    return (
        AmendForm(data if outcome == "amend" else None, prefix="amend"),
        DeclineForm(data if outcome == "decline" else None, prefix="decline"),
    )


def detail(rr: RevisionRequest, access: Access, viewer: User, **forms: Any) -> dict[str, Any]:
    """One request: where it stands, its timeline and evidence, and the answers for its answerer."""
    amend, decline = outcome_forms()
    return {
        "rr": rr,
        "student": rr.student,
        "access": access,
        "may_answer": may_answer(access, rr, viewer),
        "amend": amend,
        "decline": decline,
        "open": rr.status == Status.OPEN,
        **forms,
    }


def new(
    access: Access, form: RevisionRequestForm, goal: Goal | None, evidence: dict[str, Any]
) -> dict[str, Any]:
    return {
        "student": access.student,
        "access": access,
        "form": form,
        "goal": goal,
        "evidence": evidence,
    }


def meeting_purpose(rr: RevisionRequest) -> str:
    """What the meeting that answers the request is about, to start the form with."""
    if not rr.reason:
        return ""
    return _("Talk about the request to change the plan: %(reason)s") % {"reason": rr.reason}
