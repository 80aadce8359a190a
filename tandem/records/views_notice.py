"""The notice that records may be destroyed (IDEA 34 CFR 300.624(a)): the page the parents read
and answer, the printed notice for a parent served on paper, and the answer they send back.

Thin views: the gatekeeper first (`Cap.ACT_AS_FAMILY` for the parent's own answer,
`Cap.DESTROY_RECORDS` for the district's print and paper answer), `notice_answers` decides.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned, refuse_unless
from tandem.access.routes import writes
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.documents.pdf import pdf_response, render_pdf
from tandem.records import notice_answers
from tandem.records.forms_retention import NoticeAnswerForm, PaperAnswerForm
from tandem.records.models import DestructionProposal
from tandem.records.retention import label
from tandem.records.views_retention import student_page


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _types(proposal: DestructionProposal) -> list[str]:
    return [str(label(kind)) for kind in proposal.record_types]


@writes(Cap.ACT_AS_FAMILY)
@require_http_methods(["GET", "POST"])
def destruction_notice(request: HttpRequest, proposal_id: UUID) -> HttpResponse:
    """The 300.624 notice: for the parents, who answer here, and the administrator."""
    user = _user(request)
    viewed = Action.DESTRUCTION_NOTICE__VIEWED if request.method == "GET" else None
    proposal, access = access_owned(user, DestructionProposal, proposal_id, action=viewed)
    family = access.has(Cap.ACT_AS_FAMILY)
    if not family or request.method == "POST":
        refuse_unless(
            access, Cap.ACT_AS_FAMILY if request.method == "POST" else Cap.DESTROY_RECORDS
        )
    form = NoticeAnswerForm(request.POST or None)
    answer = lambda data: notice_answers.answer_notice(actor=user, proposal=proposal, **data)  # noqa: E731
    message = _("Thank you. Your answer was sent to the school.")
    then = reverse("destruction_notice", args=[proposal.public_id])
    if done := run_action(request, form, answer, then=then, message=message):
        return done
    context = {"proposal": proposal, "student": proposal.student, "access": access}
    context |= {"family": family, "form": form, "types": _types(proposal)}
    return render(request, "records/destruction_notice.html", context)


def _print_language(proposal: DestructionProposal, asked: str) -> str:
    """The language asked for, else the first paper-served parent's, else the first parent's."""
    spoken = {code for code, _name in settings.LANGUAGES}
    if asked in spoken:
        return asked
    paper = notice_answers.paper_served(proposal)
    first = paper[0].language if paper else (proposal.sent_to or [{}])[0].get("language", "en")
    return first if first in spoken else "en"


@require_GET
def destruction_notice_print(request: HttpRequest, proposal_id: UUID) -> HttpResponse:
    """The notice as a letter to print and mail, in the parent's language, with the answer
    to tick and send back (for a parent with no family page)."""
    user = _user(request)
    proposal, access = access_owned(user, DestructionProposal, proposal_id)
    refuse_unless(access, Cap.DESTROY_RECORDS)
    language = _print_language(proposal, request.GET.get("lang", ""))
    audit.record(actor=user, action=Action.DESTRUCTION_NOTICE__PRINTED, student=access.student,
                 target=proposal, detail={"language": language})  # fmt: skip
    paper = notice_answers.paper_served(proposal)
    # Addressed to the parents who read this language; asked in another, to every one on paper.
    parents = [p.guardian for p in paper if p.language == language] or [p.guardian for p in paper]
    with translation.override(language):  # the types' names are words of the letter too
        types = _types(proposal)
    context = {"proposal": proposal, "student": access.student, "types": types}
    context |= {"parents": parents, "printed_on": clock.today()}
    pdf = render_pdf(request, "records/destruction_notice_pdf.html", context, language=language)
    return pdf_response(pdf, f"records-notice-{proposal.public_id}-{language}.pdf")


@writes(Cap.DESTROY_RECORDS)
@require_POST
def destruction_paper_answer(request: HttpRequest, proposal_id: UUID) -> HttpResponse:
    """Record the answer a parent served on paper sent back; refused with the reasons named."""
    user = _user(request)
    proposal, access = access_owned(user, DestructionProposal, proposal_id, action=None)
    refuse_unless(access, Cap.DESTROY_RECORDS)
    form = PaperAnswerForm(request.POST, guardians=notice_answers.sent_to(proposal))
    record = lambda data: notice_answers.record_paper_answer(  # noqa: E731
        actor=user, proposal=proposal, **data
    )
    then = reverse("retention_student", args=[access.student.public_id])
    if done := run_action(request, form, record, then=then, message=_("The answer was recorded.")):
        return done
    return student_page(request, access, paper_form=form, status=400)
