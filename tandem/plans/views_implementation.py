"""The teacher's page of their students' plans, recording that an accommodation was provided, and
a teacher's or provider's "I have read this plan"."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned, access_plan
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.plans import actions_acknowledgements, implementation
from tandem.plans.implementation import NOTE_MAX
from tandem.plans.models import Accommodation


class ProvidedForm(forms.Form):
    provided_on = forms.DateField(
        label=gettext_lazy("Date provided"),
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )

    def __init__(self, *args: Any, prefix_for: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"a{prefix_for}" if prefix_for else None, **kwargs)


def _fresh_form(accommodation: Any, today: Any) -> ProvidedForm:
    return ProvidedForm(prefix_for=accommodation.public_id.hex, initial={"provided_on": today})


def _with_forms(groups: list[Any], today: Any, bound: ProvidedForm | None) -> list[int]:
    """A form on each accommodation the reader may record (the refused one keeps its errors);
    the students shown."""
    student_ids: list[int] = []
    for group in groups:
        for row in group.students:
            student_ids.append(row.student.pk)
            for plan in row.plans:
                for item in plan.accommodations.all():
                    mine = bound is not None and bound.prefix == f"a{item.public_id.hex}"
                    fresh = _fresh_form(item, today) if row.can_record else None
                    item.form = bound if mine else fresh
    return sorted(set(student_ids))


def _render_page(request: HttpRequest, bound: ProvidedForm | None = None) -> HttpResponse:
    today = clock.today()
    groups = implementation.implementation_for(request.user, today=today)  # type: ignore[arg-type]
    if students := _with_forms(groups, today, bound):
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.IMPLEMENTATION__VIEWED,
            detail={"page": "implementation"},
            students=students,
        )
    context = {"groups": groups, "today": today, "bound": bound}
    status = 400 if bound is not None else 200
    return render(request, "plans/implementation.html", context, status=status)


@require_GET
def implementation_page(request: HttpRequest) -> HttpResponse:
    return _render_page(request)


def _row(request: HttpRequest, accommodation: Accommodation, form: ProvidedForm | None) -> Any:
    """The accommodation's row after an htmx post: a fresh form when saved, else the refusal."""
    today = clock.today()
    row = implementation.accommodation_row(request.user, accommodation, today=today)  # type: ignore[arg-type]
    row.form = form or _fresh_form(row, today)
    row.just_saved = form is None
    return render(request, "plans/implementation_accommodation.html", {"item": row})


@writes(Cap.RECORD_ACCOMMODATIONS)
@require_POST
def record_provided(request: HttpRequest, public_id: UUID) -> HttpResponse:
    # The capability first: an outsider or a parent learns nothing from a field message.
    accommodation, _access = access_owned(
        request.user,  # type: ignore[arg-type]
        Accommodation.objects.select_related("plan__student__school"),
        public_id,
        need=Cap.RECORD_ACCOMMODATIONS,
        via="plan__student",
    )
    form = ProvidedForm(request.POST, prefix_for=accommodation.public_id.hex)
    record = lambda data: implementation.record_provided(  # noqa: E731
        actor=request.user, accommodation=accommodation, today=clock.today(), **data
    )
    if request.htmx:  # type: ignore[attr-defined]
        saved = run_action(
            request, form, record, then=lambda _r: _row(request, accommodation, None)
        )
        return saved or _row(request, accommodation, form)
    anchor = f"{reverse('implementation')}#acc-{accommodation.public_id}"
    message = _("Recorded as provided.")
    return run_action(request, form, record, message=message, then=anchor) or _render_page(
        request, bound=form
    )


@writes(Cap.ACKNOWLEDGE_PLAN)
@require_POST
def plan_acknowledge(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """ "I have read this plan": recorded for the version in effect, then back to the plan."""
    plan, _access = access_plan(
        request.user,  # type: ignore[arg-type]
        plan_id,
        need=Cap.ACKNOWLEDGE_PLAN,
        action=None,
    )
    try:
        actions_acknowledgements.acknowledge_plan(actor=request.user, plan=plan)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you. The plan is marked as read by you."))
    return redirect("plan_detail", plan_id=plan.public_id)
