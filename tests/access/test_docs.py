"""docs/access.md carries the capability matrix the code enforces, not an older one."""

from pathlib import Path

from tandem.access.table import capability_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def test_the_documented_matrix_is_the_enforced_one():
    text = DOC.read_text()
    start = text.index("<!-- capability-table:start -->\n") + len(
        "<!-- capability-table:start -->\n"
    )
    end = text.index("<!-- capability-table:end -->")
    assert text[start:end] == capability_table(), (
        "docs/access.md is out of date: paste `python manage.py capability_table` between its markers"
    )


def test_every_tie_and_capability_has_words():
    table = capability_table()
    assert "team:" not in table and "_" not in table.split("\n", 1)[0]
