"""Writing a planned demo plan through the plan actions, one dated step at a time.

The writer resolves planned people to rows and acts as the demo account that writes the plan
(else the district director), through `tandem.plans.actions_drafts` and `actions_versions`, the
same checked and audited path as the pages.

`actions.py` has no step yet to send a draft to the family (proposed): it is written here, checked
and audited the same way. The ended plan exits through `tandem.plans.transitions.exit_plan`
("no longer eligible", reported to FS009 as TRAN).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import decision_for, require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.demo import districts, personas, world_plan
from tandem.demo.plans_content import first_name, rights_section, transition_section
from tandem.demo.plans_dates import one_year_after
from tandem.demo.plans_stories import PlannedPlan, Story
from tandem.demo.plans_wording import EXITS
from tandem.people.models import Student
from tandem.plans import actions_common, actions_drafts, actions_versions, readiness, transitions
from tandem.plans.models import ExitReason, Plan, PlanKind, PlanStatus, SectionKey


class Writer:
    """Resolves planned people to rows and runs the actions."""

    def __init__(self, plan: world_plan.Plan) -> None:
        self.plan = plan
        emails = [
            personas.CASE_MANAGER,
            personas.COORDINATOR_504,
            personas.DIRECTOR,
            personas.OAK_VALLEY_DIRECTOR,
        ]
        self.users = {u.email: u for u in User.objects.filter(email__in=emails)}
        self.directors = {
            districts.RIVERSIDE_SPEC.slug: self.users[personas.DIRECTOR],
            districts.OAK_VALLEY_SPEC.slug: self.users[personas.OAK_VALLEY_DIRECTOR],
        }

    def students(self, indexes: Sequence[int]) -> dict[int, Student]:
        planned = self.plan.students
        wanted = {
            (self.plan.districts[planned[i].district].slug, planned[i].sis_id): i for i in indexes
        }
        rows = Student.objects.filter(
            district__slug__in=districts.DEMO_SLUGS, sis_id__in=[sis for _, sis in wanted]
        ).select_related("district", "school")
        return {
            wanted[(s.district.slug, s.sis_id)]: s
            for s in rows
            if (s.district.slug, s.sis_id) in wanted
        }

    def actor(self, student: Student, email: str) -> User:
        user = self.users.get(email)
        if user is not None and decision_for(user, student).has(Cap.WRITE_PLAN):
            return user
        return self.directors[student.district.slug]

    def fill(self, actor: User, plan: Plan, p: PlannedPlan) -> None:
        for key, content in p.sections.items():
            actions_drafts.save_section(
                actor=actor, plan=plan, key=key, content=content, expected_revision=0
            )
        for data in p.services:
            actions_drafts.add_service(actor=actor, plan=plan, data=data)
        for data in p.accommodations:
            actions_drafts.add_accommodation(actor=actor, plan=plan, data=data)
        for data in p.goals:
            actions_drafts.add_goal(actor=actor, plan=plan, data=data)

    def finalize(
        self,
        actor: User,
        plan: Plan,
        s: world_plan.PlannedStudent,
        effective_from: date,
        today: date,
    ) -> None:
        """Finalize, first writing the sections the pre-finalize check asks for by age and, on a
        first IEP, the parent's consent to start services."""
        plan.refresh_from_db()
        problems = readiness.pre_finalize_check(
            plan=plan, today=today, effective_from=effective_from
        )
        wanted = {pr.field for pr in problems}
        extra = {
            "section:transition": (SectionKey.TRANSITION, transition_section),
            "section:transfer_of_rights": (SectionKey.TRANSFER_OF_RIGHTS, rights_section),
        }
        for where, (key, make) in extra.items():
            if where in wanted:
                revision = plan.sections.filter(key=key).values_list("revision", flat=True)
                actions_drafts.save_section(
                    actor=actor,
                    plan=plan,
                    key=key,
                    content=make(s),
                    expected_revision=revision[0] if revision else 0,
                )
        if "consent" in wanted:  # a first IEP: the parent consented to start services
            actions_drafts.record_services_consent(
                actor=actor, plan=plan, answer="yes", answered_on=today, today=today
            )
        actions_versions.finalize_plan(
            actor=actor, plan=plan, effective_from=effective_from, today=today
        )

    def draft(self, actor: User, student: Student, p: PlannedPlan, meeting: date) -> Plan:
        plan = actions_drafts.create_draft(
            actor=actor, student=student, kind=p.kind, today=meeting, meeting_date=meeting
        )
        if p.kind == PlanKind.SECTION_504:
            plan = actions_drafts.update_draft_dates(
                actor=actor,
                plan=plan,
                meeting_date=meeting,
                effective_to=one_year_after(meeting) - timedelta(days=1),
            )
        self.fill(actor, plan, p)
        return plan

    def write(self, p: PlannedPlan, student: Student) -> None:
        s = self.plan.students[p.student]
        actor = self.actor(student, p.lead)
        if p.previous_meeting is not None:
            # Last year's plan, then this year's annual review built from it.
            last = self.draft(actor, student, p, p.previous_meeting)
            start = p.previous_meeting + timedelta(days=3)
            self.finalize(actor, last, s, start, p.previous_meeting)
            last.refresh_from_db()
            review = actions_versions.start_annual_review(
                actor=actor, plan=last, today=p.meeting - timedelta(days=14), meeting_date=p.meeting
            )
            n = first_name(s)
            actions_drafts.save_section(
                actor=actor,
                plan=review,
                key=SectionKey.PLAAFP,
                content={
                    "text": p.sections[SectionKey.PLAAFP]["text"]
                    + f" Since last year's plan, {n} met one goal and made steady progress on "
                    "the others; the team updated the targets."
                },
                expected_revision=0,
            )
            self.finalize(actor, review, s, p.effective_from, p.meeting)
            plan = review
        else:
            plan = self.draft(actor, student, p, p.meeting)
            self.finalize(actor, plan, s, p.effective_from, p.meeting)
        plan.refresh_from_db()
        if "amendment" in p.extra and p.changed_on is not None:
            item, reason = p.extra["amendment"]
            if item is not None:
                actions_versions.amend_plan(
                    actor=actor,
                    plan=plan,
                    changes=actions_common.Changes(add_accommodations=[item]),
                    with_meeting=p.kind == PlanKind.SECTION_504,
                    parent_agreement_date=p.changed_on,
                    today=p.changed_on,
                    reason=reason,
                )
        if p.story is Story.CORRECTED:
            lre = plan.sections.filter(key=SectionKey.LRE).first()
            if lre is not None and isinstance(lre.content, dict) and lre.content.get("text"):
                text = lre.content["text"].replace(
                    "the services listed", "the services listed (speech in the speech room)"
                )
                # A correction fixes wording only; a service's setting changes by amendment.
                actions_versions.correct_plan(
                    actor=actor,
                    plan=plan,
                    reason="The least restrictive environment text did not say that "
                    "speech-language therapy is given in the speech room.",
                    changes=actions_common.Changes(
                        sections={SectionKey.LRE: {**lre.content, "text": text}}
                    ),
                    today=min((p.changed_on or p.meeting) + timedelta(days=2), p.extra["anchor"]),
                )
        if p.story in (Story.REVIEW_DRAFT, Story.REVIEW_PROPOSED) and p.changed_on:
            draft = actions_versions.start_annual_review(
                actor=actor, plan=plan, today=p.changed_on, meeting_date=p.review_meeting
            )
            if p.story is Story.REVIEW_PROPOSED:
                _propose(actor, draft, p.changed_on)
        if p.story is Story.ENDED and p.changed_on is not None:
            transitions.exit_plan(
                actor=actor,
                plan=plan,
                reason=ExitReason.NO_LONGER_ELIGIBLE,
                exit_date=p.changed_on,
                today=p.changed_on,
                note=EXITS.format(n=first_name(s)),
            )


@transaction.atomic
def _propose(actor: User, plan: Plan, today: date) -> Plan:
    """Send a draft to the family ahead of the meeting: it stays editable, now proposed."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = Plan.objects.select_for_update(of=("self",)).select_related("student").get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": "Only a draft can be proposed."})
    plan.status = PlanStatus.PROPOSED
    plan.full_clean()
    plan.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=Action.PLAN__PROPOSED,
        student=plan.student,
        target=plan,
        detail={"today": today.isoformat()},
    )
    return plan
