"""tandem/rules is plain Python: the build fails if any module there imports Django."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "tandem" / "rules"
FORBIDDEN = ("django", "ninja", "tandem.accounts", "tandem.people", "tandem.web", "tandem.api")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append(node.args[0].value)  # importlib.import_module("django...")
    return names


MODULES = sorted(RULES.rglob("*.py"))


def test_the_rules_package_has_modules() -> None:
    assert {"calendar.py", "deadlines.py", "profiles.py"} <= {path.name for path in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(RULES)))
def test_module_does_not_import_django(path: Path) -> None:
    bad = [
        name
        for name in _imports(path)
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN)
    ]
    assert not bad, f"{path.name} imports {bad}: tandem/rules must stay free of Django"


def test_the_checker_catches_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom django.db import models\nimport importlib\n"
        "importlib.import_module('django.conf')\n",
        encoding="utf-8",
    )
    assert _imports(sample) == ["os", "django.db", "importlib", "django.conf"]
