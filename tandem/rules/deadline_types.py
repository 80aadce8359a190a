"""The answer of the deadline engine and the events it takes: due date, status, basis, exceptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tandem.rules.calendar import (
    InvalidInput,
)
from tandem.rules.profiles import (
    Rule,
)


class NeedsCalendar(InvalidInput):
    """The rule counts school days or skips breaks, so it needs the district's school calendar."""


class RuleNotInEffect(InvalidInput):
    """The trigger is older than the rule data Tandem holds for the state."""


class Status(StrEnum):
    """Whether the date is a live deadline."""

    DUE = "due"
    DOES_NOT_APPLY = "does_not_apply"  # 300.301(d)(1): the date is shown only for reference
    WAIVED = "waived"  # a reevaluation the parent and the agency agreed was not needed


class Basis(StrEnum):
    """What fixed the due date."""

    COUNT = "count"  # a count of days in the rule's unit
    LEAD_TIME = "lead_time"  # a count of days back from an event
    END_OF_YEAR = "end_of_year"  # a state's rule for consent near the end of the school year
    FIRST_DAY = "first_day"  # a summer deadline moved to the first day of school
    AGREED_DATE = "agreed_date"  # a date the parent and the agency agreed
    ANNIVERSARY = "anniversary"
    BIRTHDAY = "birthday"
    NEXT_MEETING = "next_meeting"
    SCHEDULE = "schedule"


class TollingReason(StrEnum):
    """Why the clock stopped."""

    CHILD_NOT_PRODUCED = "child_not_produced"  # 300.301(d)(1)


class ExtensionReason(StrEnum):
    """Why an evaluation has an agreed completion date."""

    TRANSFER = "transfer"  # 300.301(d)(2), (e): the child moved to a new district
    SLD_WRITTEN_AGREEMENT = "sld_written_agreement"  # 300.309(c)


@dataclass(frozen=True, slots=True)
class Tolling:
    """A period when the parent repeatedly failed or refused to produce the child; ends inclusive."""

    start: date
    end: date
    reason: TollingReason = TollingReason.CHILD_NOT_PRODUCED


@dataclass(frozen=True, slots=True)
class Extension:
    """A completion date the parent and the agency agreed in writing."""

    agreed_date: date
    reason: ExtensionReason


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due date with its reason and citation."""

    rule: Rule
    state: str
    trigger: date
    due: date
    citation: str
    explanation: str
    policy_only: bool = False
    status: Status = Status.DUE
    basis: Basis = Basis.COUNT
    verify: bool = False

    def as_json(self) -> dict[str, str]:
        """The five fields the CLI prints with --json."""
        return {
            "rule": self.rule.value,
            "state": self.state,
            "due": self.due.isoformat(),
            "citation": self.citation,
            "explanation": self.explanation,
        }
