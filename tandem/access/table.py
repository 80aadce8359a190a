"""The capability matrix as a Markdown table, for docs/access.md (kept true by a test)."""

from __future__ import annotations

from django.utils import translation

from tandem.access.capabilities import CAP_LABELS, MATRIX, Cap, Tie
from tandem.people.models import TeamRole

_TIE_NAMES = {
    Tie.DISTRICT_LEADER: "district administrator of the student's district",
    Tie.SCHOOL_LEADER: "principal of the student's school",
    Tie.CASELOAD: "case manager (the student is on their caseload)",
    Tie.ROSTER: "teacher of a class the student is in",
    Tie.PROVIDER: "provider assigned to serve the student (staff or contractor)",
    Tie.RIGHTS_HOLDER: "parent or guardian holding educational rights",
    Tie.SCHOOL_EVALUATOR: "evaluator or 504 coordinator of the student's school (or district)",
}


def tie_name(tie: str) -> str:
    if tie.startswith("team:"):
        label = str(TeamRole(tie.split(":", 1)[1]).label)
        return "team member: " + label[0].lower() + label[1:]
    return _TIE_NAMES.get(Tie(tie), tie)


def capability_table() -> str:
    """One row per tie, one column per capability; "x" where the tie grants it."""
    caps = list(Cap)
    with translation.override("en"):
        head = ["how the person stands to the student"] + [str(CAP_LABELS[c]) for c in caps]
    with translation.override("en"):
        rows = [
            [tie_name(tie)] + ["x" if c in granted else "" for c in caps]
            for tie, granted in MATRIX.items()
        ]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines) + "\n"
