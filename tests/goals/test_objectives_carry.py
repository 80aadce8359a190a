"""Short-term objectives are frozen with their goal and carried into the annual review draft."""

from __future__ import annotations

from datetime import date

from tandem.goals.models import GoalObjective
from tandem.plans import actions_common, actions_versions
from tests.progress.conftest import TODAY, active_iep


def test_objectives_are_frozen_and_carried_into_the_annual_review(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_iep(world)
    goal = plan.goals.get(area="Reading")
    GoalObjective.objects.create(goal=goal, text="Reads 70 words per minute by January.", order=1)
    version = actions_versions.correct_plan(
        actor=world.users["case_manager"],
        plan=plan,
        reason="Record the reading objective",
        changes=actions_common.Changes(),
        today=TODAY,
    )
    frozen = {g["area"]: g for g in version.snapshot["goals"]}
    assert frozen["Reading"]["objectives"] == ["Reads 70 words per minute by January."]
    assert "objectives" not in frozen["Mathematics"]
    draft = actions_versions.start_annual_review(
        actor=world.users["case_manager"], plan=plan, today=TODAY, meeting_date=date(2026, 9, 1)
    )
    copied = draft.goals.get(lineage=goal.lineage)
    assert [o.text for o in copied.objectives.all()] == ["Reads 70 words per minute by January."]
