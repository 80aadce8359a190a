"""`tandem check-goal`: judge IEP goals SMART from the command line, one goal or a stream of them.

    tandem check-goal "By May 2026, Sam will read 90 wcpm ..."      a readable summary
    tandem check-goal --json "By May 2026, Sam will ..."            one JSON object
    tandem check-goal --json - < goals.txt                          one JSON object per input line

In stream mode every input line gives one output line, in order; a blank line gives an object
flagged `empty_goal`, so output line N always answers input line N. The exit status is 0 when the
goals were checked (whatever their flags), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tandem.rules.goals import GoalAnalysis, MofNReading, check_goal, explain


def register(subparsers: Any) -> None:
    """Add the `check-goal` sub-command to the `tandem` parser."""
    parser = subparsers.add_parser(
        "check-goal",
        help="judge an IEP goal SMART and flag what to fix",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("text", metavar="TEXT", help='the goal, or "-" to read one goal per line')
    parser.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    parser.add_argument(
        "--plaafp-need",
        metavar="NEED",
        default=None,
        help="the PLAAFP need statement, to judge relevance",
    )
    parser.add_argument(
        "--reading",
        choices=[r.value for r in MofNReading],
        default=None,
        help='confirm how "80%% in 4 of 5 trials" is read: per session, or items correct',
    )
    parser.set_defaults(func=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    reading = MofNReading(args.reading) if args.reading else None
    if args.text == "-":
        data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        lines = data.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # the newline that ends the last line does not start another goal
        goals = [line.rstrip("\r") for line in lines]
    elif not args.text.strip():
        print("tandem check-goal: error: TEXT is empty (use - to read from stdin)", file=sys.stderr)
        return 2
    else:
        goals = [args.text]
    out = sys.stdout
    for number, goal in enumerate(goals, 1):
        analysis = check_goal(goal, plaafp_need=args.plaafp_need, reading=reading)
        if args.json:
            out.write(json.dumps(analysis.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(_summary(analysis, number if args.text == "-" else None) + "\n")
    out.flush()
    return 0


def _summary(analysis: GoalAnalysis, number: int | None) -> str:
    head = f"Goal {number}: {analysis.text}\n" if number is not None else ""
    return head + explain(analysis) + ("\n" if number is not None else "")
