"""The district's audit log, searchable by its district administrators."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.policy import districts_administered_by
from tandem.accounts.models import AuditEvent
from tandem.audit import downloads
from tandem.web import pages
from tandem.web.forms import AuditSearchForm


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    districts = districts_administered_by(request.user)  # type: ignore[arg-type]
    if not districts.exists():
        raise Http404
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.filter(district__in=districts).select_related("student", "actor")
    if form.is_bound:
        events = pages.audit_search(events, form.cleaned_data) if form.is_valid() else events.none()
    if fmt := downloads.wanted(request):
        return pages.audit_download(request, events.order_by("-at", "-id"), fmt)
    page = Paginator(events.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "querystring": params.urlencode()}
    return render(request, "audit/log.html", context)
