"""The only writers of records rights: disclosures and requests to inspect or amend.

Each is atomic, checks the capability through the policy (`require`), refuses with a
`ValidationError` naming the field, and writes one audit event.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.compliance import actions as deadlines
from tandem.compliance.models import DeadlineKind
from tandem.core import clock
from tandem.meetings.models import OPEN_STATUSES, Meeting
from tandem.people.models import Student
from tandem.records.models import (
    BASES_FOR,
    Disclosure,
    LegalBasis,
    RecordsRequest,
    RequestKind,
    RequestStatus,
)

# "A reasonable time" to decide on an amendment (34 CFR 300.618(b)(1), 99.20(b)): the law sets
# no number; 30 days is the figure most state guidance uses. A district setting can replace it.
AMEND_DAYS = 30


def _not_future(day: date, field: str) -> None:
    if day > clock.today():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def record_disclosure(
    *,
    actor: User,
    student: Student,
    kind: str,
    party: str,
    basis: str,
    interest: str,
    records: str,
    disclosed_on: date,
) -> Disclosure:
    """Record that part of the student's record went to a party outside the school officials
    (99.32(a)): who, their legitimate interest or the legal basis, what, when and who released."""
    require(actor, student, Cap.KEEP_RECORDS)
    if basis not in BASES_FOR[kind]:
        raise ValidationError(
            {
                "basis": _(
                    "This legal basis does not fit the disclosure: for %(kind)s choose one of "
                    "%(bases)s."
                )
                % {
                    "kind": str(dict(Disclosure._meta.get_field("kind").choices)[kind]).lower(),
                    "bases": "; ".join(
                        str(label)
                        for value, label in LegalBasis.choices
                        if value in BASES_FOR[kind]
                    ),
                }
            }
        )
    _not_future(disclosed_on, "disclosed_on")
    disclosure = Disclosure.objects.create(
        student=student,
        kind=kind,
        party=party,
        basis=basis,
        interest=interest,
        records=records,
        disclosed_on=disclosed_on,
        released_by=actor,
    )
    audit.record(
        actor=actor,
        action=Action.DISCLOSURE__RECORDED,
        student=student,
        target=disclosure,
        detail={"kind": kind, "basis": basis},
    )
    return disclosure


def _next_meeting(student: Student, after: date) -> date | None:
    """The first open meeting after `after`: records are seen before any meeting (300.613(a))."""
    starts = (
        Meeting.objects.filter(student=student, status__in=OPEN_STATUSES, starts_at__date__gt=after)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(starts) if starts is not None else None


def _due(request: RecordsRequest, actor: User) -> None:
    """Inspection: the state's rule from the rules engine, stored as a deadline; amendment: a
    reasonable time (AMEND_DAYS), kept on the request itself."""
    if request.kind == RequestKind.INSPECT:
        deadline = deadlines.compute_deadline(
            student=request.student,
            kind=DeadlineKind.RECORDS_INSPECTION,
            trigger=request.requested_on,
            source=request,
            field="requested_on",
            actor=actor,
            next_meeting=_next_meeting(request.student, request.requested_on),
        )
        request.due_on, request.due_reason = deadline.due_on, deadline.explanation
    else:
        request.due_on = request.requested_on + timedelta(days=AMEND_DAYS)
        request.due_reason = _(
            "A decision on an amendment within a reasonable time (34 CFR 300.618(b)): "
            "%(days)s days from the request."
        ) % {"days": AMEND_DAYS}
    request.save(update_fields=["due_on", "due_reason"])


@transaction.atomic
def make_request(
    *,
    actor: User,
    student: Student,
    kind: str,
    details: str,
    requested_on: date | None = None,
    requested_by: str = "",
    from_portal: bool = False,
) -> RecordsRequest:
    """A parent's request to inspect or amend, from the portal (the parent) or recorded by staff
    (a request by letter, phone or in person), with its due date."""
    require(actor, student, Cap.ACT_AS_FAMILY if from_portal else Cap.KEEP_RECORDS)
    if from_portal:
        requested_on, requested_by = clock.today(), actor.get_full_name() or actor.email
    assert requested_on is not None
    _not_future(requested_on, "requested_on")
    request = RecordsRequest.objects.create(
        student=student,
        kind=kind,
        details=details,
        requested_by=requested_by,
        requested_on=requested_on,
        from_portal=from_portal,
        recorded_by=actor,
        due_on=requested_on,
    )
    _due(request, actor)
    audit.record(
        actor=actor,
        action=Action.RECORDS_REQUEST__MADE,
        student=student,
        target=request,
        detail={"kind": kind, "due_on": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def answer_request(
    *, actor: User, request: RecordsRequest, outcome: str, answered_on: date, answer: str
) -> RecordsRequest:
    """Grant (the records shown, or amended) or refuse an amendment with the reason; a refusal
    tells the parent of the right to a hearing (300.618(c), 300.619) on the request's page."""
    request = RecordsRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    require(actor, request.student, Cap.KEEP_RECORDS)
    if not request.is_open:
        raise ValidationError({"outcome": _("This request has already been answered.")})
    if outcome == RequestStatus.REFUSED and request.kind == RequestKind.INSPECT:
        raise ValidationError(
            {
                "outcome": _(
                    "A parent's request to see the records cannot be refused (34 CFR 300.613): "
                    "give the date they were shown."
                )
            }
        )
    if outcome == RequestStatus.REFUSED and not answer.strip():
        raise ValidationError({"answer": _("Say why the records will not be amended.")})
    _not_future(answered_on, "answered_on")
    if answered_on < request.requested_on:
        raise ValidationError(
            {
                "answered_on": _("The answer cannot come before the request (%(day)s).")
                % {"day": request.requested_on}
            }
        )
    request.status, request.answered_on = outcome, answered_on
    request.answer, request.answered_by = answer, actor
    request.save(update_fields=["status", "answered_on", "answer", "answered_by"])
    deadlines.meet_deadlines(source=request, on=answered_on, actor=actor)
    audit.record(
        actor=actor,
        action=Action.RECORDS_REQUEST__ANSWERED,
        student=request.student,
        target=request,
        detail={"outcome": outcome},
    )
    return request
