"""The case managers' caseloads, for the district administrator and the principal."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.districts import LeadReach, lead_reach
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import CaseloadAssignment
from tandem.web import caseloads
from tandem.web.forms import CaseloadFilterForm


def _filtered(
    request: HttpRequest, reach: LeadReach
) -> tuple[CaseloadFilterForm, QuerySet[CaseloadAssignment] | None]:
    """The filters and the assignments they keep; None when a filter is refused."""
    today = clock.today()
    everyone = caseloads.assignments(reach, today=today)
    staff = list(caseloads.case_managers(everyone))
    form = CaseloadFilterForm(request.GET or None, schools=reach.schools, staff=staff)
    if form.is_bound and not form.is_valid():
        return form, None
    school, person = form.chosen()
    return form, caseloads.assignments(reach, today=today, school=school, staff=person)


@require_GET
def caseload_list(request: HttpRequest) -> HttpResponse:
    """Each case manager with their students, a page of people at a time; or all as a file."""
    reach = lead_reach(request.user, page="caseloads")  # type: ignore[arg-type]
    form, rows = _filtered(request, reach)
    if rows is None:
        return render(request, "caseloads/list.html", {"form": form, "refused": True}, status=400)
    if fmt := downloads.wanted(request):
        return caseloads.download(request, rows, fmt)
    people = Paginator(caseloads.case_managers(rows), caseloads.PAGE_SIZE)
    page = people.get_page(request.GET.get("page"))
    shown = caseloads.caseloads(rows, list(page.object_list))
    pairs = [(row.student.district_id, row.student_id) for c in shown for row in c.rows]
    downloads.listed(request, shown=pairs, action=Action.CASELOADS__LISTED)
    querystring = downloads.query_without_page(request)
    context = {"form": form, "page": page, "caseloads": shown, "querystring": querystring}
    return render(request, "caseloads/list.html", context)
