"""Reads for the family pages: a guardian's children and what needs their attention, and one
child's plan, progress, meetings and documents, each block only if its app can answer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count
from django.utils import timezone

from tandem.access.models import User
from tandem.access.policy import standing
from tandem.people import queries as people_queries
from tandem.people.models import Guardian, Student, StudentGuardian
from tandem.plans.models import Plan, PlanStatus
from tandem.plans.queries import current_snapshot
from tandem.portal import providers
from tandem.portal.models import Signature
from tandem.portal.plain import plan_in_plain_words
from tandem.referrals.models import Consent, ConsentResponse


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
    models = providers.provider("tandem.meetings.models:MeetingInvitee")
    statuses = providers.provider("tandem.meetings.models:OPEN_STATUSES")
    if models is None or statuses is None:
        return Counter()
    pending = models.objects.filter(
        guardian=guardian,
        response="pending",
        meeting__student_id__in=ids,
        meeting__status__in=statuses,
        meeting__starts_at__gte=timezone.now(),
    )
    return _counts(pending, "meeting__student_id")


def _document_counts(guardian: Guardian, ids: list[int]) -> Counter[int]:
    delivery = providers.provider("tandem.communication.models:Delivery")
    if delivery is None:
        return Counter()
    return _counts(
        delivery.objects.filter(guardian=guardian, student_id__in=ids, opened_at__isnull=True),
        "student_id",
    )


def _message_counts(user: User, ids: list[int]) -> Counter[int]:
    message = providers.provider("tandem.communication.models:Message")
    if message is None:
        return Counter()
    unread = (
        message.objects.filter(student_id__in=ids).exclude(author=user).exclude(reads__reader=user)
    )
    return _counts(unread, "student_id")


def children_cards(user: User, *, today: date | None = None) -> list[ChildCard]:
    """The guardian's children (rights holders only) with what needs them, in a fixed number
    of queries however many children there are."""
    day = today or timezone.localdate()
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


def on_file_without_rights(user: User) -> list[Student]:
    """Children the user is listed for but whose educational rights they do not hold."""
    return [
        link.student
        for link in StudentGuardian.objects.filter(
            guardian__user=user, educational_rights_holder=False
        ).select_related("student")
    ]


def pending_consents(student: Student) -> list[Consent]:
    return list(
        Consent.objects.filter(student=student, response=ConsentResponse.PENDING)
        .select_related("referral")
        .order_by("sent_on", "id")
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


def plans_for_family(student: Student) -> list[PlanView]:
    """The child's plans in force (and any proposed to the family), in plain words."""
    plans = list(
        Plan.objects.filter(student=student, status__in=(PlanStatus.ACTIVE, PlanStatus.PROPOSED))
        .select_related("current_version")
        .order_by("status", "-created_at")
    )
    views = []
    progress_for_goals = providers.provider("tandem.progress.queries:progress_for_goals")
    progress_for = providers.provider("tandem.progress.queries:progress_for")
    for plan in plans:
        words = plan_in_plain_words(current_snapshot(plan))
        goals = list(plan.goals.select_related("plan__student__district").order_by("area", "id"))
        shown: list[Any] = goals
        if plan.status == PlanStatus.ACTIVE and goals:
            if progress_for_goals is not None:
                shown = providers.call(
                    "tandem.progress.queries:progress_for_goals", goals, default=goals
                )
            elif progress_for is not None:
                shown = [
                    providers.call("tandem.progress.queries:progress_for", g, default=g)
                    for g in goals
                ]
        views.append(PlanView(plan=plan, words=words, goals=shown))
    return views


def child_page(user: User, student: Student, guardian: Guardian) -> dict[str, Any]:
    """Everything on a child's family page; each other app's block is None when it is absent."""
    deliveries = providers.call(
        "tandem.communication.queries:deliveries_for_guardian", guardian, default=None
    )
    if deliveries is not None:
        deliveries = list(deliveries.filter(student=student).order_by("-delivered_at", "-id"))
    reports = providers.call("tandem.reports.queries:issued_reports_for", student, default=None)
    meetings = providers.call("tandem.meetings.queries:upcoming_for_student", student, default=None)
    unread = providers.call(
        "tandem.communication.queries:unread_messages_for", user, student, default=None
    )
    return {
        "plans": plans_for_family(student),
        "consents": pending_consents(student),
        "signatures": signatures_for(student),
        "reports": list(reports) if reports is not None else None,
        "meetings": list(meetings) if meetings is not None else None,
        "deliveries": deliveries,
        "unread_messages": unread,
        "goal_template": providers.template_exists("progress/_goal_progress.html"),
        "urls": {
            "messages": providers.url("message_thread", student.public_id),
            "revision": providers.url("revision_new", student.public_id),
            "access_log": providers.url("student_access_log", student.public_id),
        },
        "has_meeting_respond": bool(providers.url("meeting_respond", "0")),
        "has_report_detail": bool(providers.url("report_detail", "0")),
        "guardian": guardian,
    }
