"""A readable summary of an analysis, for people at a terminal (`tandem check-goal`)."""

from __future__ import annotations

from tandem.rules.goals.checker import GoalAnalysis
from tandem.rules.goals.model import criterion_json


def _mark(value: object) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def explain(analysis: GoalAnalysis) -> str:
    """A readable summary of an analysis, for people at a terminal."""
    lines: list[str] = []
    s = analysis.smart
    lines.append(
        f"SMART: specific {_mark(s.specific)}, measurable {_mark(s.measurable)}, "
        f"achievable {_mark(s.achievable)}, relevant {_mark(s.relevant)}, "
        f"time-bound {_mark(s.time_bound)}"
    )
    for name in ("timeframe", "condition", "learner", "behavior", "measurement"):
        span = getattr(analysis, name)
        lines.append(f"  {name:<12} {span.text if span is not None else '-'}")
    if analysis.criteria:
        lines.append("Criteria:")
        for a in analysis.criteria:
            detail = ", ".join(
                f"{k}={v}"
                for k, v in criterion_json(a).items()
                if k not in ("kind", "text", "start", "end") and v is not None
            )
            lines.append(f"  {a.kind}: {a.text!r} ({detail})")
    lines.append(f"Direction: {analysis.direction or '-'}")
    if analysis.flags:
        lines.append("Flags:")
        for f in analysis.flags:
            lines.append(f"  [{f.severity}] {f.code}: {f.message}")
            lines.append(f"      fix: {f.suggestion}")
    return "\n".join(lines)
