"""A teacher's or provider's "I have read this plan" (34 CFR 300.323(d)): the only write path of
`PlanAcknowledgement`. What counts as read is decided in `acknowledgements.py`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require, standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.plans.actions_common import lock_plan
from tandem.plans.models import Plan, PlanAcknowledgement, PlanStatus


@transaction.atomic
def acknowledge_plan(*, actor: User, plan: Plan) -> PlanAcknowledgement:
    """Record that `actor` has read the plan's current version; once per version, audited."""
    require(actor, plan.student, Cap.ACKNOWLEDGE_PLAN)
    # Locked: an amendment finalized at the same moment makes the reading wait for its version.
    plan = lock_plan(plan)
    version = plan.current_version
    if plan.status != PlanStatus.ACTIVE or version is None:
        raise ValidationError({"plan": _("Only a plan in effect can be marked as read.")})
    staff_id = standing(actor).staff_id
    if staff_id is None:  # the capability comes only from a staff member's ties
        raise ValidationError({"plan": _("Only school staff can mark a plan as read.")})
    reading, created = PlanAcknowledgement.objects.get_or_create(
        version=version, staff_id=staff_id, defaults={"plan": plan}
    )
    if created:
        audit.record(
            actor=actor,
            action=Action.PLAN__ACKNOWLEDGED,
            student=plan.student,
            target=version,
            detail={
                "plan": str(plan.public_id),
                "version": version.number,
                "hash": version.content_hash,
            },
        )
    return reading
