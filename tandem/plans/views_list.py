"""The district's plans, IEP and 504, for the district administrator and the principal."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.districts import lead_reach
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.plans import listing
from tandem.plans.forms_list import PlanFilterForm


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans of the schools the person leads, filtered, a page at a time; or all as a file."""
    reach = lead_reach(request.user, page="plans")  # type: ignore[arg-type]
    form = PlanFilterForm(request.GET or None, schools=reach.schools)
    if form.is_bound and not form.is_valid():
        return render(request, "plans/list.html", {"form": form, "refused": True}, status=400)
    plans = listing.plans_for(reach, today=clock.today(), filters=form.filters())
    if fmt := downloads.wanted(request):
        return listing.download(request, plans, fmt)
    page = Paginator(plans, listing.PAGE_SIZE).get_page(request.GET.get("page"))
    for plan in page.object_list:
        plan.status_words = listing.status_words(plan)  # type: ignore[attr-defined]
        plan.case_managers = listing.case_manager_names(plan)  # type: ignore[attr-defined]
    pairs = [(plan.student.district_id, plan.student_id) for plan in page.object_list]
    downloads.listed(request, shown=pairs, action=Action.PLANS__LISTED)
    context = {"form": form, "page": page, "querystring": downloads.query_without_page(request)}
    return render(request, "plans/list.html", context)
