"""`tandem deadline` run as a real process: JSON out, reasons on stderr, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "district_2026_27.json"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # No DJANGO_SETTINGS_MODULE: the command must work without Django configured.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "tandem.cli", "deadline", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "due"),
    [
        # 45 school days from Thu 10/22/2026 on the fixture calendar (see test_deadlines.py).
        (
            ["--rule", "initial_evaluation", "--state", "TX", "--trigger", "2026-10-22"],
            "2027-01-15",
        ),
        # Federal: 60 calendar days, no calendar needed.
        (
            ["--rule", "initial_evaluation", "--state", "US", "--trigger", "2026-10-22"],
            "2026-12-21",
        ),
        # California skips the 10-school-day winter break.
        (
            ["--rule", "initial_evaluation", "--state", "CA", "--trigger", "2026-10-22"],
            "2027-01-02",
        ),
        (
            ["--rule", "initial_iep_meeting", "--state", "US", "--trigger", "2026-10-22"],
            "2026-11-21",
        ),
        (["--rule", "annual_review", "--state", "NY", "--trigger", "2026-10-22"], "2027-10-22"),
        (["--rule", "reevaluation", "--state", "PA", "--trigger", "2026-10-22"], "2029-10-22"),
        # Illinois: 14 and a half, with the birth date given as the trigger or as --dob.
        (
            ["--rule", "transition_services", "--state", "IL", "--trigger", "2010-05-03"],
            "2024-11-03",
        ),
        (["--rule", "transition_services", "--state", "IL", "--dob", "2010-05-03"], "2024-11-03"),
        (["--rule", "transfer_of_rights", "--state", "US", "--dob", "2010-05-03"], "2027-05-03"),
        # Texas: 5 school days before Mon 11/2/2026 is Mon 10/26.
        (["--rule", "meeting_notice", "--state", "TX", "--trigger", "2026-11-02"], "2026-10-26"),
        (["--rule", "meeting_notice", "--state", "NY", "--trigger", "2026-11-02"], "2026-10-28"),
        (
            ["--rule", "records_inspection", "--state", "CA", "--trigger", "2026-10-22"],
            "2026-10-29",
        ),
        # Texas absences: 3 extend 45 school days to Thu 1/21/2027.
        (
            [
                *("--rule", "initial_evaluation", "--state", "TX", "--trigger", "2026-10-22"),
                *("--absences", "3"),
            ],
            "2027-01-21",
        ),
    ],
)
def test_json_output(args: list[str], due: str) -> None:
    result = run(*args, "--calendar", str(FIXTURE), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    payload = json.loads(lines[0])
    assert set(payload) == {"rule", "state", "due", "citation", "explanation"}
    assert payload["due"] == due
    assert payload["rule"] == args[args.index("--rule") + 1]
    assert payload["state"] == args[args.index("--state") + 1]
    assert payload["citation"] in payload["explanation"]


def test_federal_state_without_calendar_gives_a_readable_line() -> None:
    result = run("--rule", "initial_evaluation", "--state", "US", "--trigger", "2026-10-22")
    assert result.returncode == 0
    assert result.stdout.startswith("US initial_evaluation: Due 2026-12-21: 60 days after consent")
    assert "34 CFR 300.301(c)(1)" in result.stdout


def test_lower_case_state_is_accepted() -> None:
    result = run("--rule", "annual_review", "--state", "tx", "--trigger", "2026-10-22", "--json")
    assert json.loads(result.stdout)["state"] == "TX"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--rule", "initial_evaluation", "--state", "TX", "--trigger", "2026-10-22"],
            "needs the district's school calendar (--calendar FILE)",
        ),
        (
            ["--rule", "initial_evaluation", "--state", "ZZ", "--trigger", "2026-10-22"],
            "unknown state",
        ),
        (["--rule", "party", "--state", "US", "--trigger", "2026-10-22"], "unknown rule 'party'"),
        (["--rule", "annual_review", "--state", "US", "--trigger", "10/22/2026"], "YYYY-MM-DD"),
        (
            ["--rule", "annual_review", "--state", "US", "--trigger", "2026-02-30"],
            "not a real date",
        ),
        (["--rule", "annual_review", "--state", "US"], "--trigger YYYY-MM-DD is required"),
        (
            [
                "--rule",
                "annual_review",
                "--state",
                "US",
                "--trigger",
                "2026-10-22",
                "--dob",
                "2010-05-03",
            ],
            "--dob applies only to",
        ),
        (
            [
                *("--rule", "transition_services", "--state", "US"),
                *("--trigger", "2010-05-03", "--dob", "2010-05-04"),
            ],
            "differ",
        ),
        (
            [
                *("--rule", "initial_evaluation", "--state", "US", "--trigger", "2026-10-22"),
                *("--absences", "three"),
            ],
            "not a whole number",
        ),
        (
            [
                "--rule",
                "initial_evaluation",
                "--state",
                "US",
                "--trigger",
                "2026-10-22",
                "--calendar",
                "/nonexistent.json",
            ],
            "cannot read",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_output(args: list[str], message: str) -> None:
    result = run(*args, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ({"last_day": "2027-06-10"}, "'first_day'"),
        ({"first_day": "2026-08-19", "last_day": "June 10"}, "last_day"),
        (
            {"first_day": "2026-08-19", "last_day": "2027-06-10", "non_school_days": [1]},
            "non_school_days[0]",
        ),
    ],
)
def test_malformed_calendar_file_names_the_key(tmp_path: Path, content: object, key: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    result = run(
        *("--rule", "initial_evaluation", "--state", "TX", "--trigger", "2026-10-22"),
        *("--calendar", str(path), "--json"),
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert key in result.stderr and str(path) in result.stderr


def test_missing_required_option_is_an_argparse_error() -> None:
    result = run("--state", "US", "--trigger", "2026-10-22")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--rule" in result.stderr


def test_referral_date_moves_a_california_deadline_to_the_year_end_rule() -> None:
    # Referral Thu 2027-05-20 (21 days before the last day, 6/10), consent Mon 2027-06-14 in the
    # summer: 30 days after the next first day (8/18) = Fri 9/17, not the count's Sat 10/16
    # (worked out in test_deadlines.py, REFERRAL_CASES).
    args = ("--rule", "initial_evaluation", "--state", "CA", "--trigger", "2027-06-14")
    result = run(*args, "--referral", "2027-05-20", "--calendar", str(FIXTURE), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["due"] == "2027-09-17"
    assert payload["explanation"].startswith(
        "Due 2027-09-17: the referral on 2027-05-20 came 21 days before the last day"
    )
    without = run(*args, "--calendar", str(FIXTURE), "--json")
    assert "The referral date was not given" in json.loads(without.stdout)["explanation"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--rule", "initial_evaluation", "--trigger", "2027-06-14", "--referral", "2027-06-15"],
            "after the trigger",
        ),
        (
            ["--rule", "annual_review", "--trigger", "2027-06-14", "--referral", "2027-05-20"],
            "referral does not apply",
        ),
        (
            ["--rule", "initial_evaluation", "--trigger", "2027-06-14", "--referral", "May 20"],
            "--referral",
        ),
    ],
)
def test_a_wrong_referral_exits_2(args: list[str], message: str) -> None:
    result = run(*args, "--state", "CA", "--calendar", str(FIXTURE), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_new_rules_answer_from_the_command_line() -> None:
    plan = run(
        *("--rule", "assessment_plan", "--state", "CA", "--trigger", "2026-10-22"),
        *("--calendar", str(FIXTURE), "--json"),
    )
    assert json.loads(plan.stdout)["due"] == "2026-11-06"
    section_504 = run(
        "--rule", "section_504_evaluation", "--state", "US", "--trigger", "2026-10-22", "--json"
    )
    assert "34 CFR 104.35(a)" in json.loads(section_504.stdout)["citation"]
    federal_plan = run("--rule", "assessment_plan", "--state", "US", "--trigger", "2026-10-22")
    assert federal_plan.returncode == 2
    assert "no assessment_plan rule" in federal_plan.stderr
