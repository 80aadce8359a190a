"""The district administrator's Ed-Fi export: the district's records as a zip of Ed-Fi JSON."""

from __future__ import annotations

import tempfile
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from tandem import audit
from tandem.access.districts import district_reach
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.interop import actions_edfi


@require_GET
def edfi_export(request: HttpRequest, district_id: UUID) -> FileResponse:
    """Outsiders get 404; leaders of some schools only, and other staff, 403: the export is
    the whole district's record, given out by the district."""
    user: User = request.user  # type: ignore[assignment]
    reach = district_reach(user, district_id, page="edfi_export")
    if not reach.whole_district:
        audit.record(actor=user, action=Action.ACCESS__REFUSED, district=reach.district,
                     detail={"page": "edfi_export", "asked_for": "whole_district"})  # fmt: skip
        raise PermissionDenied
    # On disk, not in memory: a large district's zip is tens of megabytes.
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    actions_edfi.export_edfi(actor=user, district=reach.district, students=reach.students,
                             target=target)  # fmt: skip
    target.seek(0)
    name = f"edfi-{reach.district.slug}-{clock.today():%Y%m%d}.zip"
    return FileResponse(target, as_attachment=True, filename=name, content_type="application/zip")
