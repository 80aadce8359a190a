"""The only writers of the interop app: importing a OneRoster roster (atomic, audited)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.interop import actions_edfi, edfi_import, roster
from tandem.interop.edfi_xml import EdfiFileError
from tandem.interop.edfi_xml import Source as EdfiSource
from tandem.interop.models import ImportStatus, RosterImport, Standard
from tandem.interop.oneroster import RosterFileError, Source
from tandem.interop.roster_run import Result
from tandem.people.models import District, Student

log = logging.getLogger(__name__)
MAX_UPLOAD = 200 * 1024 * 1024


def _summary(result: Result) -> dict[str, object]:
    return {
        "counts": result.counts_dict(),
        "problems": result.problem_count,
        "refused_rows": result.refused_rows,
    }


def import_roster(
    *, source: Source, district: District, actor: User | None, today: date | None = None
) -> Result:
    """Apply a roster: all of it or nothing, one audit event for the import and one for each
    student added, changed or whose enrolment was ended."""
    today = today or clock.today()
    with transaction.atomic():
        result = roster.plan(source, district, today=today, apply=True)
        audit.record(
            actor=actor, action=Action.ROSTER__IMPORTED, district=district, detail=_summary(result)
        )
        students = Student.objects.in_bulk(
            result.students_added
            + [pk for pk, _f in result.students_changed]
            + result.students_ended
        )
        for pk in result.students_added:
            audit.record(actor=actor, action=Action.STUDENT__IMPORTED, student=students[pk],
                         target=students[pk])  # fmt: skip
        for pk, fields in result.students_changed:
            audit.record(actor=actor, action=Action.STUDENT__UPDATED, student=students[pk],
                         target=students[pk], detail={"fields": fields, "by": "roster import"})  # fmt: skip
        for pk in result.students_ended:
            audit.record(actor=actor, action=Action.STUDENT__ENROLLMENT_ENDED,
                         student=students[pk], target=students[pk])  # fmt: skip
    return result


def _problems(result: Result) -> list[list[str]]:
    return [p.as_list() for p in result.problems]


def check_upload(
    *,
    district: District,
    actor: User,
    upload: IO[bytes],
    name: str,
    standard: str = Standard.ONEROSTER,
) -> RosterImport:
    """Keep an uploaded zip and queue its dry run (nothing of the district changes)."""
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationError({"archive": _("The file is larger than 200 MB.")})
    try:
        # A zip holding users.csv (OneRoster) or a Student interchange (Ed-Fi), or refused now.
        (EdfiSource if standard == Standard.EDFI else Source)(io.BytesIO(data)).close()
    except (RosterFileError, EdfiFileError) as error:
        raise ValidationError({"archive": str(error)}) from error
    record = RosterImport.objects.create(
        district=district,
        uploaded_by=actor,
        uploaded_at=clock.now(),
        file_name=name[:200],
        standard=standard,
        archive=data,
        status=ImportStatus.CHECKING,
    )
    record_id = record.pk
    transaction.on_commit(lambda: check_roster_task.enqueue(record_id))
    return record


def apply_upload(*, record: RosterImport, actor: User) -> RosterImport:
    """Queue the application of a checked upload, once."""
    with transaction.atomic():
        record = RosterImport.objects.select_for_update(of=("self",)).get(pk=record.pk)
        if record.status != ImportStatus.CHECKED:
            raise ValidationError(
                {"status": _("This file was applied already, or is not checked yet.")}
            )
        district_id = record.district_id  # type: ignore[attr-defined]
        busy = RosterImport.objects.filter(district_id=district_id, status=ImportStatus.APPLYING)
        if busy.exists():
            raise ValidationError(
                {"status": _("Another roster of this district is being applied: wait for it.")}
            )
        record.status, record.applied_by, record.progress = ImportStatus.APPLYING, actor, ""
        record.save(update_fields=["status", "applied_by", "progress"])
        record_id = record.pk
        transaction.on_commit(lambda: apply_roster_task.enqueue(record_id))
    return record


def _progress(record_id: int) -> Callable[[str, int], None]:
    def tell(file: str, rows: int) -> None:
        RosterImport.objects.filter(pk=record_id).update(progress=f"{file}.csv: {rows:,}")

    return tell


def _failed(record_id: int, error: Exception) -> None:
    readable = isinstance(error, (RosterFileError, EdfiFileError))
    message = str(error) if readable else f"{type(error).__name__}: {error}"
    RosterImport.objects.filter(pk=record_id).update(
        status=ImportStatus.FAILED, message=message[:2000], progress=""
    )


def run_check(record_id: int) -> RosterImport | None:
    """The dry run of an upload (in the background): its counts and problems, kept."""
    record = (
        RosterImport.objects.select_related("district", "uploaded_by").filter(pk=record_id).first()
    )
    if record is None or record.status != ImportStatus.CHECKING:
        return None
    try:
        data = io.BytesIO(bytes(record.archive))
        if record.standard == Standard.EDFI:
            result = edfi_import.plan(EdfiSource(data), record.district, today=clock.today())
        else:
            result = roster.plan(
                Source(data), record.district, today=clock.today(), progress=_progress(record_id)
            )
    except Exception as error:
        log.exception("roster check %s failed", record_id)
        _failed(record_id, error)
        return None
    record.status, record.progress = ImportStatus.CHECKED, ""
    record.counts, record.problems = result.counts_dict(), _problems(result)
    with transaction.atomic():
        record.save(update_fields=["status", "progress", "counts", "problems"])
        audit.record(actor=record.uploaded_by, action=Action.ROSTER__CHECKED,
                     district=record.district, target=record, detail=_summary(result))  # fmt: skip
    return record


def run_apply(record_id: int) -> RosterImport | None:
    """Apply a checked upload (in the background): all of it, or nothing and the reason."""
    record = (
        RosterImport.objects.select_related("district", "applied_by").filter(pk=record_id).first()
    )
    if record is None or record.status != ImportStatus.APPLYING:
        return None
    try:
        with transaction.atomic():
            data = io.BytesIO(bytes(record.archive))
            if record.standard == Standard.EDFI:
                assert record.applied_by is not None
                result = actions_edfi.import_edfi(
                    source=EdfiSource(data), district=record.district, actor=record.applied_by
                )
            else:
                result = import_roster(
                    source=Source(data), district=record.district, actor=record.applied_by
                )
            record.status, record.applied_at = ImportStatus.APPLIED, clock.now()
            record.counts, record.problems = result.counts_dict(), _problems(result)
            record.progress = ""
            record.save(update_fields=["status", "applied_at", "progress", "counts", "problems"])
    except Exception as error:
        log.exception("roster apply %s failed", record_id)
        _failed(record_id, error)
        return None
    return record


@task()
def check_roster_task(record_id: int) -> str:
    record = run_check(record_id)
    return record.status if record else "skipped"


@task()
def apply_roster_task(record_id: int) -> str:
    record = run_apply(record_id)
    return record.status if record else "skipped"
