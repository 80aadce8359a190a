"""`tandem deadline`: what is due when, and why, from the command line (no Django)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from tandem.rules.calendar import InvalidInput, load_calendar, parse_iso_date
from tandem.rules.deadlines import (
    Deadline,
    Disability,
    Extension,
    ExtensionReason,
    ProfileError,
    Rule,
    Tolling,
    compute,
    load_profile,
    parse_rule,
)

# Rules whose trigger is the student's date of birth: --dob is an alias for --trigger there.
_BIRTH_RULES = frozenset({Rule.TRANSITION_SERVICES, Rule.TRANSFER_OF_RIGHTS})
_AGREEMENTS = {"transfer": ExtensionReason.TRANSFER, "sld": ExtensionReason.SLD_WRITTEN_AGREEMENT}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `deadline` sub-command."""
    parser = subparsers.add_parser(
        "deadline",
        help="compute a deadline with its reason and citation",
        description=(
            "Compute an IEP or 504 deadline for a state. Rules: "
            + ", ".join(rule.value for rule in Rule)
            + ". School-day rules need --calendar."
        ),
    )
    parser.add_argument("--rule", required=True, help="the rule, e.g. initial_evaluation")
    parser.add_argument("--state", required=True, help="two-letter state code; US is federal")
    parser.add_argument(
        "--trigger", help="YYYY-MM-DD: consent, meeting, request... (birth date for age rules)"
    )
    parser.add_argument(
        "--referral",
        help=(
            "YYYY-MM-DD the referral for evaluation was made (initial_evaluation; California's "
            "end-of-year rule keys on it)"
        ),
    )
    parser.add_argument("--calendar", help="school calendar JSON file")
    parser.add_argument("--dob", help="YYYY-MM-DD date of birth (transition_services, ...)")
    parser.add_argument("--absences", default="0", help="school days absent in the period")
    parser.add_argument("--next-meeting", help="YYYY-MM-DD next IEP meeting (records_inspection)")
    parser.add_argument("--waiver", help="YYYY-MM-DD date a reevaluation was waived")
    parser.add_argument(
        "--disability", help="IDEA category, e.g. intellectual_disability (reevaluation)"
    )
    parser.add_argument(
        "--schedule", help="comma-separated YYYY-MM-DD report dates (progress_report)"
    )
    parser.add_argument(
        "--toll",
        action="append",
        default=[],
        metavar="START:END",
        help="dates the parent did not produce the child (repeatable)",
    )
    parser.add_argument("--agreed-date", help="YYYY-MM-DD agreed completion date")
    parser.add_argument("--agreement", choices=sorted(_AGREEMENTS), help="why the date was agreed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the deadline; on bad input print why on stderr and return 2."""
    try:
        deadline = _compute(args)
    except (InvalidInput, ProfileError) as error:
        print(f"tandem deadline: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(deadline.as_json()))
    else:
        print(f"{deadline.state} {deadline.rule.value}: {deadline.explanation}")
    return 0


def _compute(args: argparse.Namespace) -> Deadline:
    rule = parse_rule(args.rule)
    profile = load_profile(args.state)
    trigger = _date(args.trigger, "--trigger")
    dob = _date(args.dob, "--dob")
    if rule in _BIRTH_RULES:
        if trigger is not None and dob is not None and trigger != dob:
            raise InvalidInput("--trigger and --dob differ; for this rule both mean the birth date")
        trigger = trigger or dob
        dob = None
    elif dob is not None:
        raise InvalidInput(f"--dob applies only to {', '.join(sorted(_BIRTH_RULES))}")
    if trigger is None:
        raise InvalidInput("--trigger YYYY-MM-DD is required")
    calendar = load_calendar(args.calendar) if args.calendar else None
    try:
        absences = int(args.absences)
    except ValueError:
        raise InvalidInput(f"--absences: {args.absences!r} is not a whole number") from None
    extension = None
    if (args.agreed_date is None) != (args.agreement is None):
        raise InvalidInput("--agreed-date and --agreement go together")
    if args.agreed_date is not None:
        agreed = _date(args.agreed_date, "--agreed-date")
        assert agreed is not None
        extension = Extension(agreed, _AGREEMENTS[args.agreement])
    disability = None
    if args.disability is not None:
        try:
            disability = Disability(args.disability)
        except ValueError:
            choices = ", ".join(member.value for member in Disability)
            raise InvalidInput(f"--disability: use one of {choices}") from None
    schedule = [
        parse_iso_date(part.strip(), what="--schedule")
        for part in (args.schedule or "").split(",")
        if part.strip()
    ]
    return compute(
        rule,
        profile,
        trigger,
        calendar=calendar,
        absences=absences,
        tolling=[_toll(text) for text in args.toll],
        extension=extension,
        next_meeting=_date(args.next_meeting, "--next-meeting"),
        waiver=_date(args.waiver, "--waiver"),
        disability=disability,
        schedule=schedule,
        referral=_date(args.referral, "--referral"),
    )


def _date(text: str | None, option: str) -> date | None:
    return None if text is None else parse_iso_date(text, what=option)


def _toll(text: str) -> Tolling:
    start, sep, end = text.partition(":")
    if not sep:
        raise InvalidInput(f"--toll: {text!r} is not START:END (YYYY-MM-DD:YYYY-MM-DD)")
    first = parse_iso_date(start, what="--toll start")
    last = parse_iso_date(end, what="--toll end")
    return Tolling(first, last)
