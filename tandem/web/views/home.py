"""Each person's home page: what their relationships give them, one section per role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem import audit
from tandem.access.policy import standing
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.portal.views import portal_home
from tandem.web import pages


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    s = standing(request.user, today=today)  # type: ignore[arg-type]
    if s.guardian_id is not None and not s.is_staff_member:
        return portal_home(request)  # a parent's home is the family portal, in plain words
    context = pages.home_context(request.user, today=today)  # type: ignore[arg-type]
    if shown := pages.students_shown(context):
        audit.record(actor=request.user, action=Action.HOME__VIEWED, students=shown)  # type: ignore[arg-type]
    return render(request, "home.html", context)
