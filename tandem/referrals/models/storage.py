"""Where the referral documents are kept: private storage, under names we choose.

Evidence (`referral.py`), signed consent forms (`consent.py`) and the portal's signed documents
share it. Migrations name these callables by their import path, `tandem.referrals.models.*`,
so the package re-exports them.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.files.storage import FileSystemStorage

# Rooted at MEDIA_ROOT (outside the web root; read per use, so tests may move it) and
# without a public URL: files are served, if ever, only through the access policy.
_private_storage = FileSystemStorage(base_url="/no-public-url/")


def private_storage() -> FileSystemStorage:
    return _private_storage


def _upload_path(folder: str, instance: Any, filename: str) -> str:
    # The stored name is ours, never the uploader's: the original is kept as data.
    return f"{folder}/{instance.public_id}{PurePath(filename).suffix.lower()}"


def evidence_upload_to(instance: Any, filename: str) -> str:
    return _upload_path("referrals/evidence", instance, filename)


def consent_upload_to(instance: Any, filename: str) -> str:
    return _upload_path("referrals/consent", instance, filename)
