"""Which tables belong to a district, read from the model graph rather than from a list kept by hand.

A table is a district's (a *tenant* table) when a chain of foreign keys leads from it to
people.District: a Goal through its plan and student, an audit event through its district or its
student. Its rows are those whose chain ends at the district, so a row of another district is
never exported however it is reached. The other tables hold rows no district owns alone:

- PEOPLE: accounts and staff records, which a contractor shares between districts. A person is
  exported when a district's row points at them (a case manager, a provider, a `created_by`),
  and their rows are followed only along the PERSONAL links below, never to their other
  districts' work.
- the rest (a provider's session, its addenda, a supervision log) are exported when a district's
  row needs them or they hang off a row already exported.
- EXCLUDED: kept out, each with the reason.

`plan()` classifies every installed model; tests/backups/test_graph.py fails when a new model is
none of these (give it a foreign key towards its district, or exclude it with a reason).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db.models import Field, ForeignKey, Model

DISTRICT = "people.District"

PEOPLE = frozenset({"access.User", "people.Staff"})

# (table, foreign key to a person): rows that belong to the person rather than to a district,
# exported with the district's people. For a tenant table only its rows tied to no district.
PERSONAL = frozenset(
    {
        ("access.AuditEvent", "actor"),  # what they did that names no district or student
        ("communication.Notification", "recipient"),  # those about no student
        ("communication.EmailAttempt", "recipient"),  # the emails of those
        ("communication.NotificationPreference", "user"),
        ("goals.GoalTemplate", "owner"),  # their own goal bank
        ("services.ProviderLicence", "staff"),
        ("services.ProviderProfile", "staff"),
        ("services.SupervisionLog", "assistant"),  # ASHA supervision is the assistant's record
    }
)

_NO_GROUPS = (
    "Tandem grants nothing through Django's groups or model permissions (access comes from "
    "roles and relationships, tandem/access): the tables stay empty"
)
_SECOND_FACTOR = (
    "second-factor secrets do not leave the server in a file: after a restore people set up "
    "their authenticator app again (backup_database keeps them)"
)
EXCLUDED: dict[str, str] = {
    "contenttypes.ContentType": "made by migrate on every database",
    "auth.Permission": "made by migrate on every database",
    "auth.Group": _NO_GROUPS,
    "auth.Group_permissions": _NO_GROUPS,
    "access.User_groups": _NO_GROUPS,
    "access.User_user_permissions": _NO_GROUPS,
    "admin.LogEntry": (
        "the Django admin's own list of edits, naming objects of any district; Tandem's record "
        "of changes is the audit log and the history tables, which are exported"
    ),
    "sessions.Session": "sign-ins in progress: people sign in again after a restore",
    "axes.AccessAttempt": "this server's sign-in throttling",
    "axes.AccessAttemptExpiration": "this server's sign-in throttling",
    "axes.AccessFailureLog": "this server's sign-in throttling",
    "axes.AccessLog": "this server's sign-in throttling",
    "otp_totp.TOTPDevice": _SECOND_FACTOR,
    "otp_static.StaticDevice": _SECOND_FACTOR,
    "otp_static.StaticToken": _SECOND_FACTOR,
    "access.ApiToken": (
        "credentials: an integration is given a new token after a restore (backup_database "
        "keeps them)"
    ),
    "django_tasks_database.DBTaskResult": (
        "this server's queue of background work; a restored district's finished tasks are not "
        "run again"
    ),
    "progress.AttentionNotice": (
        "a memo of the last alert sent per goal, keyed by the goal's lineage and not by a "
        "foreign key: after a restore a case manager may be told of a goal's state once more"
    ),
}

MAX_DEPTH = 6  # no chain to the district is longer (Excusal: invitee, meeting, student, district)


@dataclass(frozen=True)
class Edge:
    """`model.fk` points at `target`."""

    model: str
    fk: str
    attname: str
    target: str


@dataclass
class Table:
    label: str
    model: type[Model]
    # Lookups from this table to the district's pk, any of which places a row in the district.
    paths: tuple[str, ...] = ()
    through: bool = False  # a many-to-many's own table
    file_fields: tuple[str, ...] = ()
    always_placed: bool = False  # a chain that is never null: every row is in some district

    @property
    def tenant(self) -> bool:
        return bool(self.paths)


@dataclass
class Plan:
    tables: dict[str, Table] = field(default_factory=dict)
    needs: list[Edge] = field(default_factory=list)  # exported rows pull these targets in
    children: list[Edge] = field(default_factory=list)  # rows hanging off exported rows
    unclassified: list[str] = field(default_factory=list)

    def order(self) -> list[Table]:
        return [self.tables[label] for label in sorted(self.tables)]


def _foreign_keys(model: type[Model]) -> Iterator[ForeignKey]:  # type: ignore[type-arg]
    for f in model._meta.concrete_fields:
        if isinstance(f, ForeignKey):
            yield f


def _label(model: type[Model]) -> str:
    return model._meta.label


def _models() -> dict[str, type[Model]]:
    return {_label(m): m for m in apps.get_models(include_auto_created=True)}


def _paths_to_district(
    models: dict[str, type[Model]], label: str, seen: frozenset[str]
) -> list[tuple[str, bool]]:
    """Every chain of foreign keys from `label` to the district: (lookup, never null)."""
    if len(seen) > MAX_DEPTH:
        return []
    found = []
    for f in _foreign_keys(models[label]):
        target = _label(f.related_model)  # type: ignore[arg-type]
        if target == DISTRICT:
            found.append((f"{f.name}__pk", not f.null))
        elif target not in seen and target not in PEOPLE and target not in EXCLUDED:
            for lookup, sure in _paths_to_district(models, target, seen | {target}):
                found.append((f"{f.name}__{lookup}", sure and not f.null))
    return found


def _choose(paths: list[tuple[str, bool]]) -> tuple[tuple[str, ...], bool]:
    """The shortest chain that is never null, alone; else the shortest through each key.

    With no such chain a row may lie in no district at all (an audit event naming neither a
    district nor a student): it is exported only if a PERSONAL link reaches it.
    """
    sure = sorted((p for p, s in paths if s), key=lambda p: (p.count("__"), p))
    if sure:
        return (sure[0],), True
    shortest: dict[str, str] = {}
    for lookup, _sure in sorted(paths, key=lambda p: (p[0].count("__"), p[0])):
        shortest.setdefault(lookup.split("__")[0], lookup)
    return tuple(sorted(shortest.values())), False


def _edge(f: Field, label: str) -> Edge:  # type: ignore[type-arg]
    return Edge(label, f.name, f.attname, _label(f.related_model))  # type: ignore[arg-type]


@cache
def plan() -> Plan:
    """Classify every model: tenant, person, reached from those, or excluded (with its reason)."""
    models = _models()
    result = Plan()
    for label, model in models.items():
        if label in EXCLUDED or label == DISTRICT:
            continue
        paths, placed = ((), False)
        if label not in PEOPLE:
            paths, placed = _choose(_paths_to_district(models, label, frozenset()))
        files = tuple(
            f.name for f in model._meta.concrete_fields if f.get_internal_type() == "FileField"
        )
        through = bool(model._meta.auto_created)
        result.tables[label] = Table(label, model, paths, through, files, placed)
    result.tables[DISTRICT] = Table(DISTRICT, models[DISTRICT], ("pk",), always_placed=True)
    _edges(result)
    _reach(result)
    return result


def _edges(result: Plan) -> None:
    for label, table in result.tables.items():
        for f in _foreign_keys(table.model):
            edge = _edge(f, label)
            target = result.tables.get(edge.target)
            if target is None or target.tenant:
                continue  # an excluded target, or one placed by its own chain to the district
            people = edge.target in PEOPLE
            if not table.through or people:
                # Through-rows pull in people (an eligibility team's members) but never another
                # district's rows (the sessions a supervisor watched in both districts).
                result.needs.append(edge)
            if (label, edge.fk) in PERSONAL or not (people or table.always_placed):
                result.children.append(edge)
        if table.tenant:
            continue
        for f in _foreign_keys(table.model):
            edge = _edge(f, label)
            parent = result.tables.get(edge.target)
            if parent is not None and parent.tenant and edge not in result.children:
                result.children.append(edge)  # an addendum of a tenant row, a team's member


def _reach(result: Plan) -> None:
    """Tables no exported row can lead to are unclassified: they would never be exported."""
    reached = {label for label, table in result.tables.items() if table.tenant}
    arrows = [(e.model, e.target) for e in result.needs]
    arrows += [(e.target, e.model) for e in result.children]
    changed = True
    while changed:
        changed = False
        for source, target in arrows:
            if source in reached and target not in reached:
                reached.add(target)
                changed = True
    result.unclassified = sorted(set(result.tables) - reached)
    for label in result.unclassified:
        del result.tables[label]
