"""A teacher's class sheet: the accommodations of every student of one class, on one page."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem import audit
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.plans import class_sheet


@require_GET
def class_sheet_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    today = clock.today()
    section = class_sheet.section_for(request.user, public_id, today=today)  # type: ignore[arg-type]
    sheet = class_sheet.class_sheet(request.user, section, today=today)  # type: ignore[arg-type]
    if sheet.rows:  # one event for the page, naming every student whose plan was shown
        detail = {"page": "class_sheet", "section": str(section.public_id)}
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.IMPLEMENTATION__VIEWED,
            district=section.school.district,
            target=section,
            detail=detail,
            students=[row.student for row in sheet.rows],
        )
    return render(request, "classes/sheet.html", {"sheet": sheet, "today": today})
