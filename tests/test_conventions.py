"""House rules that a linter does not know."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "tandem"


def test_row_locks_name_their_rows():
    """PostgreSQL refuses FOR UPDATE across an outer join (select_related of a nullable key);
    SQLite ignores locks, so only CI's PostgreSQL run would notice. Lock `of=("self",)`."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "select_for_update()" in line
    ]
    assert offenders == []
