"""What the referral actions share: refusals, locks, saving, uploads, and the notice.

The actions themselves are by job: `actions.py` the referral, its documents, the case review and
prior written notice; `actions_consent.py` consent; `actions_evaluation.py` the assessments, the
evaluation report and eligibility.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.utils.translation import gettext as _

from tandem.accounts.models import Language, User
from tandem.compliance import actions as deadlines
from tandem.core import clock
from tandem.people.models import (
    Student,
)
from tandem.referrals.models import (
    DeadlineKind,
    PriorWrittenNotice,
    Referral,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# extension -> (magic prefix, content type); TXT has no magic and is sniffed as UTF-8 text.
UPLOAD_TYPES: dict[str, tuple[bytes, str]] = {
    ".pdf": (b"%PDF", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".docx": (b"PK\x03\x04", DOCX),
    ".txt": (b"", "text/plain"),
}


_SNIFF_BYTES = 2048


@dataclass(frozen=True, kw_only=True)
class NoticeContent:
    """The seven elements of prior written notice (34 CFR 300.503(b)), in the parent's language."""

    action_described: str
    reasons: str
    evaluation_basis: str
    procedural_safeguards_statement: str
    sources_of_help: str
    options_considered: str
    other_factors: str
    language: str = Language.ENGLISH


def _save(instance: Model, actor: User, *, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude))
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save()


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _not_future(field: str, day: date | None) -> None:
    """A date that records something done cannot be after today (it would lock later steps)."""
    if day is not None and day > clock.today():
        raise _refuse(
            field,
            _("%(day)s is in the future; give the date it actually happened.") % {"day": day},
        )


def _lock_referral(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("student")
        .get(pk=referral.pk)
    )


def _require_open(referral: Referral, *statuses: str) -> None:
    if referral.status not in statuses:
        raise _refuse(
            "referral",
            _("This referral is %(status)s; this step is not possible now.")
            % {"status": referral.get_status_display()},
        )


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The checked name and content type of an upload, or a ValidationError on `file`."""
    return _sniff(upload)


def _sniff(upload: UploadedFile) -> tuple[str, str]:
    """The checked extension and content type of an upload, or a ValidationError on `file`."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in UPLOAD_TYPES:
        raise _refuse(
            "file",
            _("Upload a PDF, PNG, JPEG, Word (.docx) or text file; %(name)s is not one.")
            % {"name": name},
        )
    if upload.size is None or upload.size == 0:
        raise _refuse("file", _("The file is empty."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise _refuse(
            "file",
            _("The file is %(size).1f MB; the limit is 10 MB.") % {"size": upload.size / 1048576},
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    magic, content_type = UPLOAD_TYPES[extension]
    # TXT has no magic: accept it only if it reads as text.
    matches = head.startswith(magic) if magic else b"\x00" not in head and _is_text(head)
    if not matches:
        raise _refuse(
            "file",
            _("%(name)s does not contain what its name says (%(ext)s).")
            % {"name": name, "ext": extension},
        )
    return name, content_type


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sniff boundary is still text.
        return error.start >= len(head) - 3
    return True


def _answer_referral(referral: Referral, on: date, actor: User) -> None:
    """The referral was answered: an assessment plan sent for consent, or a refusal noticed."""
    deadlines.meet_deadlines(
        kinds=[DeadlineKind.ASSESSMENT_PLAN], source=referral, on=on, actor=actor
    )


def _issue_notice(
    *,
    actor: User,
    student: Student,
    referral: Referral | None,
    action: str,
    content: NoticeContent,
    issued_on: date,
) -> PriorWrittenNotice:
    notice = PriorWrittenNotice(
        student=student,
        referral=referral,
        action=action,
        issued_on=issued_on,
        issued_by=actor,
        **asdict(content),
    )
    _save(notice, actor)
    return notice
