"""The district's audit log, searchable by its district administrators."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from tandem.access.models import AuditEvent
from tandem.access.policy import standing
from tandem.web.forms import AuditSearchForm


@login_required
def audit_log(request):  # type: ignore[no-untyped-def]
    s = standing(request.user)
    if not s.admin_district_ids:
        raise Http404
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.filter(district_id__in=s.admin_district_ids).select_related(
        "student", "actor"
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(
                Q(actor_label__icontains=data["actor"]) | Q(actor__email__icontains=data["actor"])
            )
        for word in data["student"].lower().split():
            events = events.filter(student__search_text__contains=word)
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tz))
        if data["date_to"]:
            events = events.filter(at__lte=dt.datetime.combine(data["date_to"], dt.time.max, tz))
    elif form.is_bound:
        events = events.none()
    page = Paginator(events.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request, "audit/log.html", {"form": form, "page": page, "querystring": params.urlencode()}
    )
