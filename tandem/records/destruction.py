"""Destroying a student's records of chosen types (IDEA 34 CFR 300.624, 300.611(a)).

What deletion means here, and why:

- "Destruction" is physical destruction or removal of personal identifiers (300.611(a)). A row
  of an IEP or an evaluation is the student's information through and through: scrubbing names
  from it would leave a record still about one child. So the rows are deleted, with the files
  uploaded for them (evidence, consent documents, signed PDFs: removed from storage once the
  transaction commits) and their simple_history rows, which hold a full copy of every earlier
  state (and a last one made by the deletion itself).
- The permanent record of 300.624(b) is kept without time limit: the student's row (name,
  grade), their enrolments and classes, and the guardians with their addresses and phones.
  None of those is in any type below, so nothing here touches them.
- The record of access (tandem/audit) is kept: it is append-only, holds codes and ids, not the
  records' content, and says who opened the record, which 300.614 asks to keep. It gains one
  event for the destruction, with counts per type and per kind of row, and no content.
- Foreign keys in Tandem are mostly PROTECT on purpose (nothing is lost by a stray delete), so
  rows are deleted here through each model's base manager (append-only models refuse a bulk
  delete through their own), in an order computed from the foreign keys: a row that points to
  another is deleted first, and a nullable PROTECT key between rows both being destroyed (a
  plan's current version, a make-up session) is cleared first. A PROTECT key from a row that
  is kept (a progress report still pointing at a plan being destroyed) makes Django raise
  `ProtectedError`: the whole destruction is refused, naming the type that holds on, and the
  transaction rolls back. Deleting a kept row to get past it would destroy what nobody chose.
- A group service session is another student's record too: only this student's attendance
  goes; the session row (and its addenda, its co-signature) goes only when nobody else's
  attendance remains.
- Deadlines the destroyed rows started (stored by source) go with them.
- The delivery and notification of the destruction notice itself are kept: they prove the
  notice was given (300.624(a)).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from graphlib import TopologicalSorter
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q, QuerySet
from django.utils.translation import gettext as _

from tandem.people.models import Student
from tandem.records.retention import RecordType, label
from tandem.services.models import ServiceSession, SessionAttendance

log = logging.getLogger(__name__)

# Where the notice of destruction is found: kept when communication logs are destroyed.
NOTICE_PATH = "/records/destruction/"
NOTICE_KIND = "records.destruction_notice"

Finder = Callable[[Student], Q]


def _by(lookup: str) -> Finder:
    return lambda student: Q(**{lookup: student})


def _sessions(student: Student) -> Q:
    """Sessions the student attended that nobody else attended (a group session stays)."""
    mine = SessionAttendance._base_manager.filter(student=student).values("session_id")
    others = SessionAttendance._base_manager.filter(session=OuterRef("pk")).exclude(student=student)
    return Q(pk__in=mine) & Q(~Exists(others))


def _of_sessions(student: Student) -> Q:
    return Q(session__in=ServiceSession._base_manager.filter(_sessions(student)))


def _deliveries(student: Student) -> Q:
    return Q(student=student) & ~Q(url__startswith=NOTICE_PATH)


def _notifications(student: Student) -> Q:
    return Q(student=student) & ~Q(kind=NOTICE_KIND)


# Each type: the models that hold it and how to find the student's rows.
MODELS: dict[str, list[tuple[str, Finder]]] = {
    RecordType.REFERRALS: [
        ("referrals.Referral", _by("student")),
        ("referrals.CaseReview", _by("referral__student")),
        ("referrals.Consent", _by("student")),
        ("referrals.ConsentAttempt", _by("consent__student")),
        ("referrals.AssessmentPlan", _by("referral__student")),
        ("referrals.Assessment", _by("plan__referral__student")),
        ("referrals.EvaluationReport", _by("referral__student")),
        ("referrals.Evidence", _by("referral__student")),
        ("referrals.EligibilityDecision", _by("student")),
        ("referrals.ReevaluationAgreement", _by("student")),
        ("portal.Signature", _by("student")),
    ],
    RecordType.PLANS: [
        ("plans.Plan", _by("student")),
        ("plans.PlanVersion", _by("plan__student")),
        ("plans.PlanPdf", _by("plan__student")),
        ("plans.PlanSection", _by("plan__student")),
        ("plans.Goal", _by("plan__student")),
        ("goals.GoalObjective", _by("goal__plan__student")),
        ("plans.Service", _by("plan__student")),
        ("plans.Accommodation", _by("plan__student")),
        ("plans.ConsentToServices", _by("plan__student")),
        ("plans.PlanAcknowledgement", _by("plan__student")),
        ("plans.PlanEvent", _by("plan__student")),
        ("plans.AccommodationProvided", _by("student")),
        ("translations.Translation", _by("plan__student")),
        ("translations.TranslatedParagraph", _by("translation__plan__student")),
        ("revisions.RevisionRequest", _by("student")),
        ("interop.ImportedProgram", _by("plan__student")),
    ],
    RecordType.PROGRESS: [
        ("progress.DataPoint", _by("student")),
        ("progress.PhaseChange", _by("student")),
        ("reports.ProgressReport", _by("student")),
        ("reports.ProgressReportGoal", _by("report__student")),
    ],
    RecordType.SERVICE_LOGS: [
        ("services.SessionAttendance", _by("student")),
        ("services.SessionAddendum", _of_sessions),
        ("services.SessionCoSignature", _of_sessions),
        ("services.ServiceSession", _sessions),
        ("services.MinutesTally", _by("student")),
        ("services.ServiceAlert", _by("student")),
        ("services.MedicaidConsent", _by("student")),
        ("services.TeletherapyConsent", _by("student")),
    ],
    RecordType.MEETINGS: [
        ("meetings.Meeting", _by("student")),
        ("meetings.MeetingInvitee", _by("meeting__student")),
        ("meetings.MeetingTimeOption", _by("meeting__student")),
        ("meetings.MeetingNotice", _by("meeting__student")),
        ("meetings.MeetingMail", _by("meeting__student")),
        ("meetings.NextStep", _by("meeting__student")),
        ("meetings.Excusal", _by("invitee__meeting__student")),
        ("referrals.PriorWrittenNotice", _by("student")),
    ],
    RecordType.COMMUNICATION: [
        ("communication.ContactEntry", _by("student")),
        ("communication.Message", _by("student")),
        ("communication.MessageRead", _by("message__student")),
        ("communication.Notification", _notifications),
        ("communication.EmailAttempt", _by("notification__student")),
        ("communication.Delivery", _deliveries),
    ],
    RecordType.RECORDS_LOG: [
        ("records.Disclosure", _by("student")),
        ("records.RecordsRequest", _by("student")),
    ],
}


def type_of_model(model: type[models.Model]) -> str | None:
    for kind, entries in MODELS.items():
        if any(model._meta.label == name for name, _finder in entries):
            return kind
    return None


@dataclass
class Step:
    model: type[models.Model]
    finder: Finder
    kind: str


def _steps(kinds: Iterable[str]) -> list[Step]:
    """The models of `kinds`, a row that points to another deleted before it."""
    steps = {
        name: Step(apps.get_model(name), finder, kind)
        for kind in kinds
        for name, finder in MODELS[kind]
    }
    chosen = {step.model: name for name, step in steps.items()}
    graph: dict[str, set[str]] = {name: set() for name in steps}
    for name, step in steps.items():
        for field in step.model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target in chosen and target is not step.model and not field.null:
                # `name` points to `target`: `name` goes first, so `target` depends on it.
                graph[chosen[target]].add(name)
    order = list(TopologicalSorter(graph).static_order())
    return [steps[name] for name in order]


def _ids(model: type[models.Model], q: Q) -> list[Any]:
    return list(model._base_manager.filter(q).values_list("pk", flat=True))


def _clear_protecting_keys(steps: list[Step], found: dict[type[models.Model], list[Any]]) -> None:
    """Null the nullable PROTECT keys between rows being destroyed (a plan's current version,
    a make-up's missed session): otherwise neither row could go first."""
    for step in steps:
        ids = found[step.model]
        if not ids:
            continue
        for field in step.model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target in found and field.null and field.remote_field.on_delete is models.PROTECT:
                step.model._base_manager.filter(
                    pk__in=ids, **{f"{field.name}__in": found[target]}
                ).update(**{field.name: None})


def _files(model: type[models.Model], ids: list[Any]) -> list[tuple[Any, str]]:
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    out = []
    for row in model._base_manager.filter(pk__in=ids).only("pk", *[f.name for f in fields]):
        for f in fields:
            value = getattr(row, f.name)
            if value:
                out.append((value.storage, value.name))
    return out


def _remove_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - the rows are gone; a stray file is logged for the keeper
            log.exception("could not delete the file %s", name)


def _history(model: type[models.Model], ids: list[Any], student: Student) -> int:
    """Delete the simple_history rows of the destroyed rows (and any of earlier deletions)."""
    manager = getattr(model, "history", None)
    if manager is None:
        return 0
    historical = manager.model
    q = Q(id__in=ids)
    if any(f.name == "student" for f in historical._meta.concrete_fields):
        q |= Q(student_id=student.pk)
    deleted, _rows = historical._base_manager.filter(q).delete()
    return int(deleted)


def _deadlines(student: Student, found: dict[type[models.Model], list[Any]]) -> int:
    """The deadlines the destroyed rows started (stored by source: label and public id)."""
    from tandem.compliance.models import Deadline

    q = Q()
    for model, ids in found.items():
        if not ids:
            continue
        keys: list[Any] = ids
        if any(f.name == "public_id" for f in model._meta.concrete_fields):
            keys = list(model._base_manager.filter(pk__in=ids).values_list("public_id", flat=True))
        q |= Q(source_type=model._meta.label_lower, source_id__in=[str(k) for k in keys])
    if not q:
        return 0
    deadlines = Deadline.objects.filter(q, student=student)
    ids = list(deadlines.values_list("pk", flat=True))
    deadlines.delete()
    return _history(Deadline, ids, student)


def destroy(*, student: Student, kinds: list[str]) -> dict[str, Any]:
    """Delete the student's rows of `kinds`; returns counts per type and per kind of row.

    Runs inside the caller's transaction; refuses (`ValidationError` on "record_types") when a
    kept row points to one of them, naming the type it belongs to.
    """
    steps = _steps(kinds)
    found = {step.model: _ids(step.model, step.finder(student)) for step in steps}
    files = [f for model, ids in found.items() for f in _files(model, ids)]
    _clear_protecting_keys(steps, found)
    rows: Counter[str] = Counter()
    per_type: Counter[str] = Counter()
    for step in steps:
        ids = found[step.model]
        if not ids:
            continue
        try:
            _total, deleted = models.QuerySet(step.model).filter(pk__in=ids).delete()
        except ProtectedError as error:
            raise ValidationError({"record_types": _blocked(error)}) from None
        for name, n in deleted.items():
            rows[name] += n
        per_type[step.kind] += deleted.get(step.model._meta.label, 0)
    history = sum(_history(step.model, found[step.model], student) for step in steps)
    deadlines = _deadlines(student, found)
    transaction.on_commit(lambda: _remove_files(files))
    return {
        "types": {kind: per_type.get(kind, 0) for kind in kinds},
        "rows": dict(sorted((k, v) for k, v in rows.items() if v)),
        "history_rows": history,
        "deadlines": deadlines,
        "files": len(files),
    }


def _blocked(error: ProtectedError) -> str:
    holders = {type_of_model(type(obj)) for obj in error.protected_objects}
    names = sorted(label(k) if k else _("records of another kind") for k in holders)
    return _(
        "Other records still point to these ones: %(types)s. Choose them too, or destroy "
        "them first."
    ) % {"types": "; ".join(names)}


def counts_for(students: QuerySet[Student]) -> dict[int, dict[str, int]]:
    """How many records of each type each student holds: one query per type, whatever the
    number of students (the first model of each type stands for it)."""
    out: dict[int, dict[str, int]] = {}
    for kind, entries in MODELS.items():
        name, _finder = entries[0]
        model = apps.get_model(name)
        rows = (
            model._base_manager.filter(student__in=students)
            .values("student_id")
            .annotate(n=models.Count("pk"))
            .values_list("student_id", "n")
        )
        for student_id, n in rows:
            out.setdefault(student_id, {})[kind] = n
    return out
