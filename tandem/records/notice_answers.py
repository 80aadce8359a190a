"""The parents' answer to the notice that records may be destroyed (IDEA 34 CFR 300.624(a)).

A parent with a portal account answers on the family page. A parent without one is served on
paper: the district prints the notice in the parent's language (`paper_served`), mails it, and
records the answer that comes back, with the day it was received. Either way the answer is one
of two: a copy first (recorded as a request to see the records, 300.613, which holds the
destruction until it is answered) or destruction now; the first answer stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Guardian
from tandem.records.actions import make_request
from tandem.records.models import DestructionProposal, ParentAnswer, RequestKind
from tandem.records.retention import label


@dataclass(frozen=True, slots=True)
class PaperParent:
    """A parent the notice went to who has no portal account: the notice reaches them printed."""

    guardian: Guardian
    language: str


def paper_served(proposal: DestructionProposal) -> list[PaperParent]:
    """The parents the notice was sent to who cannot read it on a family page (one query)."""
    languages = {entry["guardian"]: entry["language"] for entry in proposal.sent_to}
    guardians = Guardian.objects.filter(public_id__in=list(languages), user__isnull=True)
    return [
        PaperParent(g, languages[str(g.public_id)]) for g in guardians.order_by("last_name", "id")
    ]


def sent_to(proposal: DestructionProposal) -> list[Guardian]:
    """Every parent the notice was sent to, in name order."""
    ids = [entry["guardian"] for entry in proposal.sent_to]
    return list(Guardian.objects.filter(public_id__in=ids).order_by("last_name", "first_name"))


def _lock(proposal: DestructionProposal) -> DestructionProposal:
    return (
        DestructionProposal.objects.select_for_update(of=("self",))
        .select_related("student__district")
        .get(pk=proposal.pk)
    )


def _open_for_an_answer(proposal: DestructionProposal, answer: str) -> None:
    if not proposal.is_open:
        raise ValidationError({"answer": _("These records were already destroyed.")})
    if proposal.parent_answer:
        raise ValidationError(
            {
                "answer": _("This notice was already answered on %(day)s.")
                % {"day": formats.date_format(proposal.answered_on)}
            }
        )
    if answer not in (ParentAnswer.COPY, ParentAnswer.DESTROY):
        raise ValidationError({"answer": _("Choose a copy first, or destruction now.")})


def _keep(
    proposal: DestructionProposal, *, actor: User, answer: str, on: date, detail: dict[str, str]
) -> DestructionProposal:
    proposal.parent_answer, proposal.answered_on, proposal.answered_by = answer, on, actor
    proposal.save(update_fields=["parent_answer", "answered_on", "answered_by"])
    audit.record(
        actor=actor,
        action=Action.DESTRUCTION__ANSWERED,
        student=proposal.student,
        target=proposal,
        detail={"answer": answer, **detail},
    )
    return proposal


def _copy_asked(proposal: DestructionProposal) -> str:
    names = "; ".join(label(k) for k in proposal.record_types)
    return _("A copy before they are destroyed: %(types)s.") % {"types": names}


@transaction.atomic
def answer_notice(
    *, actor: User, proposal: DestructionProposal, answer: str
) -> DestructionProposal:
    """The parent's own answer, from the family page."""
    proposal = _lock(proposal)
    require(actor, proposal.student, Cap.ACT_AS_FAMILY)
    _open_for_an_answer(proposal, answer)
    if answer == ParentAnswer.COPY:
        make_request(
            actor=actor,
            student=proposal.student,
            kind=RequestKind.INSPECT,
            details=_copy_asked(proposal),
            from_portal=True,
        )
    return _keep(proposal, actor=actor, answer=answer, on=clock.today(), detail={})


@transaction.atomic
def record_paper_answer(
    *,
    actor: User,
    proposal: DestructionProposal,
    guardian: Guardian,
    answer: str,
    received_on: date,
) -> DestructionProposal:
    """The answer a parent served on paper sent back, recorded by the district."""
    proposal = _lock(proposal)
    require(actor, proposal.student, Cap.DESTROY_RECORDS)
    _open_for_an_answer(proposal, answer)
    if str(guardian.public_id) not in {entry["guardian"] for entry in proposal.sent_to}:
        raise ValidationError({"guardian": _("The notice was not sent to this parent.")})
    if not proposal.notice_sent_on <= received_on <= clock.today():
        raise ValidationError(
            {
                "received_on": _("Give a day between the notice (%(day)s) and today.")
                % {"day": formats.date_format(proposal.notice_sent_on)}
            }
        )
    if answer == ParentAnswer.COPY:
        make_request(
            actor=actor,
            student=proposal.student,
            kind=RequestKind.INSPECT,
            details=_copy_asked(proposal),
            requested_on=received_on,
            requested_by=str(guardian),
        )
    detail = {"on_paper": "yes", "guardian": str(guardian.public_id)}
    return _keep(proposal, actor=actor, answer=answer, on=received_on, detail=detail)
