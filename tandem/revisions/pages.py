"""What the revision pages show, built from plain values: the views only fetch, act and render.

Every builder takes the `Access` decision on the student (already through its gatekeeper) and
hands it to the template as `access`; whether the viewer may answer a request is read from the
decision and the request's routed-to field, never by asking the policy again.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import is_owner
from tandem.access.policy import Access
from tandem.accounts.models import User
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.plans.models import Goal
from tandem.revisions.forms import DeclineForm, RevisionRequestForm
from tandem.revisions.models import RevisionRequest, Status
from tandem.revisions.queries import ANSWERED_BY
from tandem.translations.queries import family_language


def detail_url(rr: RevisionRequest) -> str:
    return reverse("revision_detail", args=[rr.public_id])


def may_answer(access: Access, rr: RevisionRequest, viewer: User) -> bool:
    """The viewer holds ANSWER_REVISIONS and the request is routed to them (or they lead)."""
    if not access.has(Cap.ANSWER_REVISIONS):
        return False
    return access.is_leader or is_owner(viewer, rr, ANSWERED_BY.field)


def decline_initial(rr: RevisionRequest) -> dict[str, str]:
    """The notice started for the answerer, in the family's language: what is refused (the
    request's own words), and Tandem's words for the parent's safeguards and sources of help."""
    language = family_language(rr.student)
    asked = rr.proposed_change or rr.reason
    with translation.override(language):
        return {
            "language": language,
            "action_described": _(
                "The school district refuses the change to the plan that was asked for on "
                "%(day)s: %(asked)s"
            )
            % {"day": formats.date_format(rr.created_at, "DATE_FORMAT"), "asked": asked},
            "procedural_safeguards_statement": _(
                "You have protections under the procedural safeguards of the Individuals with "
                'Disabilities Education Act. A copy is on the family portal under "Your '
                'rights", and the school gives you a paper copy on request, free of charge.'
            ),
            "sources_of_help": _(
                "To understand this notice, call the case manager or the special education "
                "office. Your state's Parent Training and Information Center helps families "
                "free of charge. An interpreter is free."
            ),
        }


def decline_form(rr: RevisionRequest, data: Any = None) -> DeclineForm:
    return DeclineForm(data, prefix="decline", initial=decline_initial(rr))


def amend_url(rr: RevisionRequest) -> str:
    return reverse("revision_amend", args=[rr.public_id])


def detail(rr: RevisionRequest, access: Access, viewer: User, **forms: Any) -> dict[str, Any]:
    """One request: where it stands, its timeline and evidence, and the answers for its answerer."""
    answerer = may_answer(access, rr, viewer)
    is_open = rr.status == Status.OPEN
    return {
        "rr": rr,
        "student": rr.student,
        "access": access,
        "may_answer": answerer,
        "may_amend": answerer and is_open and access.has(Cap.WRITE_PLAN),
        "decline": decline_form(rr) if answerer and is_open else None,
        "open": is_open,
        **forms,
    }


def amend_page(rr: RevisionRequest, context: dict[str, Any]) -> dict[str, Any]:
    """The plan's amendment page, answering this request: the request shown above the form."""
    return {**context, "revision": rr, "cancel_url": detail_url(rr)}


def amend_initial(rr: RevisionRequest) -> dict[str, Any]:
    """Without a meeting, and the reason is the request's."""
    return {
        "with_meeting": "no",
        "reason": _("Answering the request of %(day)s: %(reason)s")
        % {"day": formats.date_format(rr.created_at, "DATE_FORMAT"), "reason": rr.reason},
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


def queue_download(
    request: HttpRequest, queue: QuerySet[RevisionRequest], fmt: str
) -> HttpResponse:
    """Every request of the queue as it is filtered (not only the 200 shown), as a file."""
    header = [
        _("Student"),
        _("Student id"),
        _("Asked on"),
        _("Asked by"),
        _("Reason"),
        _("Case manager"),
        _("Status"),
    ]
    items = queue.select_related("student", "requested_by", "case_manager").iterator(2000)
    return downloads.download(
        request,
        items=items,
        title=_("Requests to change the plan"),
        header=header,
        row=lambda rr: [
            rr.student.display_name,
            rr.student.sis_id,
            rr.created_at.date().isoformat(),
            str(rr.get_source_display())
            + (
                f" · {rr.requested_by.get_full_name() or rr.requested_by.email}"
                if rr.requested_by
                else ""
            ),
            rr.reason,
            rr.case_manager.get_full_name() if rr.case_manager else "",
            str(rr.get_status_display()),
        ],
        whose=lambda rr: (rr.student.district_id, rr.student_id),
        fmt=fmt,
        filename=f"revision-requests-{clock.today().isoformat()}",
        action=Action.REVISION__EXPORTED,
    )
