"""Where rendered documents are kept: private storage under MEDIA_ROOT, never a public URL."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage

# Rooted at MEDIA_ROOT (read per use, so tests may move it) and without a public URL: a stored
# PDF is served only by the view that asked the access policy first.
_documents = FileSystemStorage(base_url="/no-public-url/")


def document_storage() -> FileSystemStorage:
    return _documents
