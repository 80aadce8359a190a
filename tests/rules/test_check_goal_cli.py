"""`tandem check-goal`, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

GOOD = (
    "By the end of the second quarter, the student will read a grade-level passage of 100 words "
    "and correctly answer five comprehension questions, demonstrating understanding of the main "
    "idea and key details, with 80% accuracy in 4 out of 5 trials, as measured by weekly teacher "
    "assessments and progress monitoring."
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tandem.cli", "check-goal", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_json_prints_the_analysis_object() -> None:
    out = run("--json", GOOD)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == ["smart", "components", "criteria", "direction", "flags"]
    assert data["components"]["timeframe"] == "By the end of the second quarter"
    assert [c["kind"] for c in data["criteria"]] == ["accuracy", "m_of_n"]
    assert [f["code"] for f in data["flags"]] == ["ambiguous_m_of_n"]


def test_reading_option_confirms_the_m_of_n_reading() -> None:
    data = json.loads(run("--json", "--reading", "items", GOOD).stdout)
    assert data["criteria"][1]["reading"] == "items"
    assert data["flags"] == []


def test_plaafp_need_option_judges_relevance() -> None:
    need = "Reads 40 words correct per minute; answers 1 of 5 comprehension questions."
    data = json.loads(run("--json", "--plaafp-need", need, GOOD).stdout)
    assert data["smart"]["relevant"] is True


def test_stdin_mode_keeps_order_and_answers_blank_lines() -> None:
    lines = [
        "Student will improve reading skills.",
        "",
        "Juan will read 90 wcpm by June 2026, as measured by weekly probes.",
        "   ",
        "Ana wants to work with animals.",
    ]
    out = run("--json", "-", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    objects = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(objects) == len(lines)
    codes = [[f["code"] for f in o["flags"]] for o in objects]
    assert "vague_verb" in codes[0]
    assert codes[1] == ["empty_goal"] and codes[3] == ["empty_goal"]
    assert objects[2]["smart"]["measurable"] is True
    assert "postsecondary_intent" in codes[4]


def test_stdin_mode_handles_crlf_and_no_final_newline() -> None:
    out = run("--json", "-", stdin="Sam will read 90 wcpm.\r\nSam will read 95 wcpm.")
    objects = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["criteria"][0]["value"] for o in objects] == [90, 95]


def test_summary_without_json_is_readable() -> None:
    out = run(GOOD)
    assert out.returncode == 0
    assert "specific yes" in out.stdout and "ambiguous_m_of_n" in out.stdout
    assert "timeframe" in out.stdout and "By the end of the second quarter" in out.stdout


def test_usage_errors_exit_2_with_a_message_on_stderr() -> None:
    for args in ((), ("",), ("--reading", "maybe", GOOD), ("--nope", GOOD)):
        out = run(*args)
        assert out.returncode == 2, args
        assert out.stderr.strip() and not out.stdout, args
