"""The layers point one way: the import graph of tandem's apps, read from the source with `ast`.

rules < core, documents < accounts, audit < people < access < the product apps < web, api, demo,
backups.
An app may import its own layer or any below it, never one above; the apps of one layer may
import each other as long as no cycle forms. Function-level imports count like any other.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tandem"

LAYERS: dict[str, int] = {
    "rules": 0,
    "core": 1,
    "documents": 1,  # PDF rendering: Django and weasyprint only
    "accounts": 2,
    "audit": 2,
    "people": 3,
    "access": 4,
    **{
        app: 5
        for app in (
            "communication",
            "compliance",
            "goals",
            "meetings",
            "plans",
            "portal",
            "progress",
            "referrals",
            "reports",
            "revisions",
            "services",
            "translations",  # staff-written text in the family's language: reads plans
            "interop",  # rosters and records in and out: reads and writes people
            "records",  # records rights (300.613-300.623, 99.32): reads the policy, deadlines
        )
    },
    "web": 6,
    "api": 6,
    "demo": 6,
    "backups": 6,  # export and import read every app's models from the model graph
}

# Known edges that break the rules, each with why it is still here. Keep this empty.
ALLOWED_EDGES: set[tuple[str, str]] = set()


def _apps() -> list[str]:
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in ("locale",)
    )


def _imports(path: Path, package: str) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "tandem":
                found += [(f"tandem.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((module, node.lineno))
    return found


def import_graph() -> dict[str, dict[str, list[str]]]:
    """app -> imported app -> where ("path:line"), migrations left out."""
    apps = set(_apps())
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent)
        if "migrations" in rel.parts or len(rel.parts) < 3:
            continue
        app = rel.parts[1]
        package = ".".join(rel.with_suffix("").parts[:-1])
        for module, line in _imports(path, package):
            parts = module.split(".")
            if len(parts) > 1 and parts[0] == "tandem" and parts[1] in apps and parts[1] != app:
                graph[app][parts[1]].append(f"{rel}:{line}")
    return graph


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_every_app_has_a_layer() -> None:
    assert sorted(set(_apps()) - set(LAYERS)) == []


def test_no_import_runs_upward() -> None:
    graph = import_graph()
    upward = [
        f"{app} ({LAYERS[app]}) imports {other} ({LAYERS[other]}) at {where[0]}"
        for app, targets in graph.items()
        for other, where in targets.items()
        if LAYERS[other] > LAYERS[app] and (app, other) not in ALLOWED_EDGES
    ]
    assert upward == []


def test_no_cycle_between_apps() -> None:
    graph = import_graph()
    edges = {
        app: {other for other in targets if (app, other) not in ALLOWED_EDGES}
        for app, targets in graph.items()
    }
    cycles = _cycles(edges)
    detail = [
        f"{'+'.join(c)}: "
        + "; ".join(f"{a}->{b} at {graph[a][b][0]}" for a in c for b in c if b in edges.get(a, ()))
        for c in cycles
    ]
    assert detail == []


def test_the_allow_list_is_not_stale() -> None:
    graph = import_graph()
    assert [edge for edge in ALLOWED_EDGES if edge[1] not in graph.get(edge[0], {})] == []
