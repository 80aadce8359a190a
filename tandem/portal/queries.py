"""Reads for the family pages: a guardian's children and what needs their attention, and one
child's plan, progress, meetings and documents. The portal sits above the apps it shows, so it
asks each of them directly."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q
from django.utils import translation

from tandem.access import queries as people_queries
from tandem.access.policy import standing
from tandem.accounts.models import User
from tandem.communication.models import Delivery, Message
from tandem.communication.queries import deliveries_for_guardian, unread_messages_for
from tandem.core import clock
from tandem.meetings.models import OPEN_STATUSES, MeetingInvitee
from tandem.meetings.queries import upcoming_for_student
from tandem.people.models import Guardian, Relationship, Student, StudentGuardian
from tandem.plans.models import Goal, Plan, PlanStatus
from tandem.plans.queries import current_snapshot
from tandem.portal.models import Signature
from tandem.portal.plain import plan_in_plain_words
from tandem.progress.queries import progress_for_goals
from tandem.referrals.models import Consent, ConsentResponse
from tandem.reports.queries import issued_reports_for
from tandem.translations.queries import published_words


@dataclass
class ChildCard:
    """One child on the family home page with the counts of what needs the parent."""

    student: Student
    consents: int = 0
    meetings: int = 0
    documents: int = 0
    messages: int = 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.consents or self.meetings or self.documents or self.messages)


def guardian_of(user: User) -> Guardian | None:
    if standing(user).guardian_id is None:
        return None
    return Guardian.objects.filter(user=user).first()


def _counts(queryset: Any, student_field: str) -> Counter[int]:
    return Counter(
        {
            row[student_field]: row["n"]
            for row in queryset.values(student_field).annotate(n=Count("pk")).order_by()
        }
    )


def _meeting_counts(guardian: Guardian, ids: list[int]) -> Counter[int]:
    pending = MeetingInvitee.objects.filter(
        guardian=guardian,
        response="pending",
        meeting__student_id__in=ids,
        meeting__status__in=OPEN_STATUSES,
        meeting__starts_at__gte=clock.now(),
    )
    return _counts(pending, "meeting__student_id")


def _document_counts(guardian: Guardian, ids: list[int]) -> Counter[int]:
    unopened = Delivery.objects.filter(
        guardian=guardian, student_id__in=ids, opened_at__isnull=True
    )
    return _counts(unopened, "student_id")


def _message_counts(user: User, ids: list[int]) -> Counter[int]:
    unread = (
        Message.objects.filter(student_id__in=ids).exclude(author=user).exclude(reads__reader=user)
    )
    return _counts(unread, "student_id")


def children_cards(user: User, *, today: date | None = None) -> list[ChildCard]:
    """The guardian's children (rights holders only) with what needs them, in a fixed number
    of queries however many children there are."""
    day = today or clock.today()
    children = list(people_queries.children_of(user, today=day))
    guardian = guardian_of(user)
    if not children or guardian is None:
        return []
    ids = [c.pk for c in children]
    consents = _counts(
        Consent.objects.filter(student_id__in=ids, response=ConsentResponse.PENDING), "student_id"
    )
    meetings = _meeting_counts(guardian, ids)
    documents = _document_counts(guardian, ids)
    messages = _message_counts(user, ids)
    return [
        ChildCard(
            student=c,
            consents=consents[c.pk],
            meetings=meetings[c.pk],
            documents=documents[c.pk],
            messages=messages[c.pk],
        )
        for c in children
    ]


def on_file_without_rights(user: User) -> list[StudentGuardian]:
    """Links to the children the user is listed for without holding their educational rights
    (`rights_transferred_on` says when the rights passed to the student at majority)."""
    return list(
        StudentGuardian.objects.filter(
            guardian__user=user, educational_rights_holder=False
        ).select_related("student")
    )


def holds_own_rights(user: User) -> bool:
    """Whether the user is a student holding their own rights (300.520)."""
    return StudentGuardian.objects.filter(
        guardian__user=user, relationship=Relationship.SELF, educational_rights_holder=True
    ).exists()


def pending_consents(student: Student) -> list[Consent]:
    return list(
        Consent.objects.filter(student=student, response=ConsentResponse.PENDING)
        .select_related("referral")
        .order_by("sent_on", "id")
    )


def family_links(student: Student) -> list[StudentGuardian]:
    """The student's parents and guardians, rights holders first, with their portal accounts."""
    return list(
        StudentGuardian.objects.filter(student=student)
        .select_related("guardian__user")
        .order_by("-educational_rights_holder", "-primary_contact", "guardian__last_name")
    )


def signatures_for_consent(consent: Consent) -> list[Signature]:
    return list(
        Signature.objects.filter(consent=consent).select_related("guardian").order_by("-signed_at")
    )


def signatures_for(student: Student) -> list[Signature]:
    return list(
        Signature.objects.filter(student=student)
        .select_related("guardian", "consent")
        .order_by("-signed_at", "-id")
    )


@dataclass
class PlanView:
    plan: Plan
    words: dict[str, Any]
    goals: list[Any] = field(default_factory=list)  # GoalProgress, or Goal when progress is absent


_goals = Goal.objects.select_related("plan__student__district").order_by("area", "id")


def plans_for_family(student: Student) -> list[PlanView]:
    """The child's plans in force (and any proposed to the family), in plain words, with the
    progress on the goals of the plans in force."""
    plans = list(
        Plan.objects.filter(student=student, status__in=(PlanStatus.ACTIVE, PlanStatus.PROPOSED))
        .select_related("current_version")
        .prefetch_related(Prefetch("goals", queryset=_goals))
        .order_by("status", "-created_at")
    )
    views = []
    spanish = (translation.get_language() or "").startswith("es")
    for plan in plans:
        goals = list(plan.goals.all())
        shown: list[Any] = goals
        if plan.status == PlanStatus.ACTIVE and goals:
            shown = progress_for_goals(goals)
        snapshot = current_snapshot(plan)
        translated = published_words(plan, snapshot) if spanish else {}
        views.append(
            PlanView(plan=plan, words=plan_in_plain_words(snapshot, translated), goals=shown)
        )
    return views


def child_page(user: User, student: Student, guardian: Guardian) -> dict[str, Any]:
    """Everything on a child's family page."""
    deliveries = deliveries_for_guardian(guardian).filter(student=student)
    return {
        "plans": plans_for_family(student),
        "consents": pending_consents(student),
        "signatures": signatures_for(student),
        "reports": list(issued_reports_for(student)),
        "meetings": upcoming_for_student(student),
        "deliveries": list(deliveries.order_by("-delivered_at", "-id")),
        "unread_messages": unread_messages_for(user, student),
        "guardian": guardian,
    }


def rights_link(user: User, student: Student) -> StudentGuardian | None:
    """The user's link to `student` as a parent who holds educational rights (the signer)."""
    return (
        StudentGuardian.objects.select_related("guardian")
        .filter(student=student, guardian__user=user, educational_rights_holder=True)
        .first()
    )


def on_file_without_rights_for(
    user: User,
    *,
    student: UUID | None = None,
    consent: UUID | None = None,
    signature: UUID | None = None,
) -> StudentGuardian | None:
    """The user's link to a child they are listed for without educational rights, for the plain
    403 message.

    Asked only after the policy refused; it explains a refusal and never grants anything.
    """
    if not user.is_authenticated or standing(user).guardian_id is None:
        return None
    if student is not None:
        which = Q(student__public_id=student)
    elif consent is not None:
        which = Q(student__consents__public_id=consent)
    elif signature is not None:
        which = Q(student__in=Signature.objects.filter(public_id=signature).values("student"))
    else:
        return None
    link = (
        StudentGuardian.objects.filter(which, guardian__user=user, educational_rights_holder=False)
        .select_related("student")
        .first()
    )
    return link
