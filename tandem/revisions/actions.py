"""The only write path for revision requests: open, answer with a meeting, amend, decline.

Anyone who may read the student's record may ask (a teacher, a provider, the case manager; a
parent asks as the family, `Cap.ACT_AS_FAMILY`) and so may the progress engine (no actor). The
request is acknowledged to the requester, routed to the case manager, and tracked to its outcome
with dates; while open it is a compliance Deadline ("revision_request"), met when the request is
resolved. Answering needs `Cap.ANSWER_REVISIONS`, and only the person the request is routed to
(or a leader) answers it (`queries.ANSWERED_BY`).

Threshold: the district's settings JSON key "revision_request_days" (calendar days, default 14).
Calendar days need no school calendar, so the deadline is always computable; 14 calendar days
is about 10 school days.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned
from tandem.access.policy import require, standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import record_delivery
from tandem.communication.notify import notify_localized
from tandem.compliance import actions as deadlines
from tandem.core import clock
from tandem.meetings import actions_scheduling
from tandem.meetings.models import Meeting
from tandem.people.models import CaseloadAssignment, Student, TeamMembership, TeamRole
from tandem.people.relations import case_managers, rights_holders
from tandem.plans import actions_versions
from tandem.plans.actions_common import Changes
from tandem.plans.models import Plan, PlanVersion
from tandem.referrals.actions_common import NoticeContent
from tandem.referrals.models import NoticeAction, PriorWrittenNotice
from tandem.revisions.models import RevisionRequest, Source, Status
from tandem.revisions.queries import ANSWERED_BY

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD_DAYS = 14
DEADLINE_KIND = "revision_request"
SOURCE_TYPE = "revisions.revisionrequest"
MAX_TEXT = 5000


def threshold_days(student: Student) -> int:
    try:
        days = int((student.district.settings or {}).get("revision_request_days", 0))
    except (TypeError, ValueError):
        days = 0
    return days if days > 0 else DEFAULT_THRESHOLD_DAYS


def case_managers_for(student: Student) -> list[User]:
    """The accounts of the student's case managers today (the people a request is routed to)."""
    return [staff.user for staff in case_managers(student) if staff.user_id]


def _source_for(actor: User, student: Student) -> str:
    s = standing(actor)
    if s.staff_id is None and s.guardian_id is not None:
        return Source.PARENT
    today = clock.today()
    if (
        CaseloadAssignment.objects.active_on(today)
        .filter(student=student, staff_id=s.staff_id)
        .exists()
    ):
        return Source.CASE_MANAGER
    roles = set(
        TeamMembership.objects.active_on(today)
        .filter(student=student, staff_id=s.staff_id)
        .values_list("role", flat=True)
    )
    if TeamRole.CASE_MANAGER in roles:
        return Source.CASE_MANAGER
    if roles & {TeamRole.SPECIAL_EDUCATION_TEACHER, TeamRole.GENERAL_EDUCATION_TEACHER}:
        return Source.TEACHER
    if roles or student.provider_assignments.filter(staff_id=s.staff_id).exists():
        return Source.PROVIDER
    if student.class_enrollments.filter(section__teacher_id=s.staff_id).exists():
        return Source.TEACHER
    return Source.STAFF


def _detail_url(rr: RevisionRequest) -> str:
    return reverse("revision_detail", args=[rr.public_id])


def _lock(rr: RevisionRequest) -> RevisionRequest:
    return (
        RevisionRequest.objects.select_for_update(of=("self",))
        .select_related("student__district", "requested_by", "case_manager")
        .get(pk=rr.pk)
    )


def _answering(actor: User, rr: RevisionRequest) -> None:
    """404 out of reach; 403 without ANSWER_REVISIONS, or when it is routed to someone else."""
    access_owned(
        actor,
        RevisionRequest.objects.all(),
        rr.public_id,
        need=Cap.ANSWER_REVISIONS,
        owner=ANSWERED_BY,
    )


@transaction.atomic
def open_revision_request(
    *,
    actor: User | None,
    student: Student,
    reason: str,
    proposed_change: str = "",
    plan: Any = None,
    goal: Any = None,
    source: str = "",
    evidence: dict[str, Any] | None = None,
) -> RevisionRequest:
    """Ask to revise the student's plan. `actor` None is the progress engine.

    Raises ValidationError keyed by field ("reason", "plan", "goal"), Http404 when the actor
    cannot see the student. Acknowledges the requester and notifies the case manager.
    """
    if actor is not None:
        as_family = standing(actor).staff_id is None
        require(actor, student, Cap.ACT_AS_FAMILY if as_family else Cap.READ)
    reason = (reason or "").strip()
    proposed_change = (proposed_change or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the plan should be revised.")]
    elif len(reason) > MAX_TEXT:
        errors["reason"] = [_("Keep the reason under 5,000 characters.")]
    if len(proposed_change) > MAX_TEXT:
        errors["proposed_change"] = [_("Keep the proposed change under 5,000 characters.")]
    if goal is not None and plan is None:
        plan = goal.plan
    if plan is not None and plan.student_id != student.pk:
        errors["plan"] = [_("This plan belongs to another student.")]
    if goal is not None and goal.plan.student_id != student.pk:
        errors["goal"] = [_("This goal belongs to another student.")]
    if actor is None:
        src = source or Source.PROGRESS_ENGINE
    else:
        src = _source_for(actor, student) if not source or source not in Source.values else source
        if standing(actor).staff_id is None and src != Source.PARENT:
            src = Source.PARENT  # a guardian cannot claim to be staff
    if src not in Source.values:
        errors["source"] = [_("Unknown source of the request.")]
    if errors:
        raise ValidationError(errors)
    if plan is None:
        plan = Plan.objects.active_for(student)
    managers = case_managers_for(student)
    now = clock.now()
    rr = RevisionRequest.objects.create(
        student=student,
        plan=plan,
        goal=goal,
        source=src,
        requested_by=actor,
        reason=reason,
        proposed_change=proposed_change,
        evidence=evidence or {},
        case_manager=managers[0] if managers else None,
        acknowledged_at=now,
    )
    days = threshold_days(student)
    today = clock.today()
    deadlines.store_deadline(
        student=student,
        kind=DEADLINE_KIND,
        trigger_on=today,
        due_on=today + timedelta(days=days),
        citation="34 CFR 300.324(a)(4)-(6); 300.503",
        explanation=_(
            "A request to revise the plan gets an answer (a meeting, an amendment, or prior "
            "written notice of refusal) within %(days)s calendar days (district setting)."
        )
        % {"days": days},
        source=(SOURCE_TYPE, str(rr.public_id)),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action=Action.REVISION__REQUESTED,
        student=student,
        target=rr,
        detail={"source": src, "goal": str(goal.public_id) if goal is not None else ""},
    )
    url = _detail_url(rr)
    name = student.preferred_first_name or student.legal_first_name
    if actor is not None:
        notify_localized(
            [actor],
            render=lambda: (
                _("We received your request to revise %(name)s's plan") % {"name": name},
                _(
                    "Thank you. The case manager will answer within %(days)s days. You can "
                    "follow the request at any time."
                )
                % {"days": days},
            ),
            url=url,
            student=student,
            kind="revision.acknowledged",
        )
    recipients = [u for u in managers if actor is None or u.pk != actor.pk]
    if recipients:
        notify_localized(
            recipients,
            render=lambda: (
                _("New request to revise %(name)s's plan") % {"name": name},
                _("From: %(source)s. Reason: %(reason)s")
                % {"source": rr.get_source_display(), "reason": reason[:300]},
            ),
            url=url,
            student=student,
            kind="revision.routed",
        )
    return rr


def _close_deadline(rr: RevisionRequest) -> None:
    deadlines.meet_deadlines(
        kinds=[DEADLINE_KIND], source=(SOURCE_TYPE, str(rr.public_id)), on=clock.today()
    )


def _tell_requester(rr: RevisionRequest, actor: User | None) -> None:
    if rr.requested_by_id is None or (actor is not None and rr.requested_by_id == actor.pk):
        return
    name = rr.student.preferred_first_name or rr.student.legal_first_name
    notify_localized(
        [rr.requested_by],
        render=lambda: (
            _("Your request to revise %(name)s's plan: %(status)s")
            % {"name": name, "status": rr.get_status_display()},
            rr.outcome_note
            or (
                _(
                    "The school sent you prior written notice: what it decided, why, and your "
                    "rights. It is with the request and with your documents."
                )
                if rr.notice_id
                else rr.prior_written_notice
            ),
        ),
        url=_detail_url(rr),
        student=rr.student,
        kind="revision.updated",
    )


def _require_open(rr: RevisionRequest) -> None:
    if rr.status != Status.OPEN:
        raise ValidationError(
            {
                "status": [
                    _("This request is already closed: %(status)s.")
                    % {"status": rr.get_status_display()}
                ]
            }
        )


@transaction.atomic
def schedule_revision_meeting(*, actor: User, revision: RevisionRequest, **meeting: Any) -> Meeting:
    """Answer the request with a meeting: schedule it (`actions_scheduling.schedule_meeting` of
    meetings, with its arguments) and link it to the request, in one transaction."""
    _answering(actor, revision)
    scheduled = actions_scheduling.schedule_meeting(actor=actor, **meeting)
    link_meeting(revision, scheduled, actor=actor)
    return scheduled


@transaction.atomic
def link_meeting(
    revision: RevisionRequest, meeting: Meeting, *, actor: User | None = None
) -> RevisionRequest:
    """The outcome is a meeting; `actor` None is the system (a meeting linked by an import)."""
    if actor is not None:
        _answering(actor, revision)
    rr = _lock(revision)
    if meeting.student_id != rr.student_id:
        raise ValidationError({"meeting": [_("This meeting is for another student.")]})
    rr.meeting = meeting
    if rr.status == Status.OPEN:
        rr.status = Status.MEETING_SCHEDULED
        rr.resolved_at = clock.now()
        rr.resolved_by = actor
        _close_deadline(rr)
    rr.save()
    audit.record(
        actor=actor,
        action=Action.REVISION__MEETING_SCHEDULED,
        student=rr.student,
        target=rr,
        detail={"meeting": str(getattr(meeting, "public_id", meeting.pk))},
    )
    _tell_requester(rr, actor)
    return rr


@transaction.atomic
def amend_for_request(
    *,
    actor: User,
    revision: RevisionRequest,
    changes: Changes,
    parent_agreement_date: Any,
    reason: str,
    today: Any,
) -> PlanVersion:
    """Answer the request by amending the plan without a meeting (300.324(a)(4)).

    The amendment is made here (`amend_plan`: the plan's own checks, a new frozen version) and
    the request is resolved in the same transaction, naming that version: a request cannot read
    "amended" while the plan in force says otherwise. Raises what `amend_plan` raises.
    """
    _answering(actor, revision)
    rr = _lock(revision)
    _require_open(rr)
    plan = Plan.objects.active_for(rr.student)
    if plan is None:
        raise ValidationError({"plan": [_("The student has no plan in effect to amend.")]})
    version = actions_versions.amend_plan(
        actor=actor,
        plan=plan,
        changes=changes,
        with_meeting=False,
        parent_agreement_date=parent_agreement_date,
        today=today,
        reason=reason,
    )
    rr.status = Status.AMENDED
    rr.amendment = version
    rr.outcome_note = (reason or "").strip()[:MAX_TEXT]
    rr.resolved_at = clock.now()
    rr.resolved_by = actor
    rr.save()
    _close_deadline(rr)
    audit.record(
        actor=actor,
        action=Action.REVISION__AMENDED,
        student=rr.student,
        target=rr,
        detail={"plan": str(plan.public_id), "version": version.number},
    )
    _tell_requester(rr, actor)
    return version


def guardian_language(guardian: Any) -> str:
    """The language a parent reads, when Tandem speaks it; else English."""
    spoken = {code for code, _name in settings.LANGUAGES}
    return guardian.preferred_language if guardian.preferred_language in spoken else "en"


def notice_url(notice: PriorWrittenNotice) -> str:
    return reverse("notice_detail", args=[notice.public_id])


def _deliver_notice(rr: RevisionRequest, notice: PriorWrittenNotice, actor: User) -> None:
    """The notice goes to each parent holding rights: on their portal page (a delivery, with
    the date they first open it), and by notification to those with an account other than the
    requester, who hears of it with the outcome (`_tell_requester`)."""
    name = rr.student.preferred_first_name or rr.student.legal_first_name
    url = notice_url(notice)
    for guardian in rights_holders(rr.student):
        with translation.override(guardian_language(guardian)):
            record_delivery(
                student=rr.student,
                guardian=guardian,
                kind="notice",
                title=_(
                    "Prior written notice: the school's answer to the request to revise "
                    "%(name)s's plan"
                )
                % {"name": name},
                url=url,
                sent_by=actor,
            )
        if guardian.user_id and guardian.user_id != rr.requested_by_id:
            notify_localized(
                [guardian.user],
                render=lambda: (
                    _("Prior written notice about %(name)s's plan") % {"name": name},
                    _(
                        "The school answered a request to revise the plan. The notice says "
                        "what it decided, why, and your rights."
                    ),
                ),
                url=url,
                student=rr.student,
                kind="revision.notice",
            )


@transaction.atomic
def decline_revision_request(
    *, actor: User, revision: RevisionRequest, content: NoticeContent, note: str = ""
) -> RevisionRequest:
    """Refuse the change with prior written notice (300.503): its seven elements, in the
    language chosen (the family's by default), recorded as a notice of refusal, delivered to the
    family's portal and linked from the request."""
    _answering(actor, revision)
    rr = _lock(revision)
    _require_open(rr)
    notice = PriorWrittenNotice(
        student=rr.student,
        action=NoticeAction.REFUSES,
        issued_on=clock.today(),
        issued_by=actor,
        **asdict(content),
    )
    notice.full_clean()
    notice._history_user = actor  # type: ignore[attr-defined]
    notice.save()
    rr.status = Status.DECLINED
    rr.notice = notice
    rr.outcome_note = (note or "").strip()[:MAX_TEXT]
    rr.resolved_at = clock.now()
    rr.resolved_by = actor
    rr.save()
    _close_deadline(rr)
    audit.record(
        actor=actor,
        action="notice.issued",
        student=rr.student,
        target=notice,
        detail={"action": NoticeAction.REFUSES, "language": content.language},
    )
    audit.record(
        actor=actor,
        action=Action.REVISION__DECLINED,
        student=rr.student,
        target=rr,
        detail={"notice": str(notice.public_id)},
    )
    _deliver_notice(rr, notice, actor)
    _tell_requester(rr, actor)
    return rr
