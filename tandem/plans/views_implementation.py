"""The teacher's page of their students' plans, and recording that an accommodation was provided."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tandem.access import audit
from tandem.access.policy import parse_public_id
from tandem.plans import implementation
from tandem.plans.implementation import NOTE_MAX


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

    def __init__(self, *args, prefix_for=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, prefix=f"a{prefix_for}" if prefix_for else None, **kwargs)


def _fresh_form(accommodation, today):  # type: ignore[no-untyped-def]
    return ProvidedForm(prefix_for=accommodation.public_id.hex, initial={"provided_on": today})


@login_required
@require_GET
def implementation_page(request):  # type: ignore[no-untyped-def]
    return _render_page(request)


def _render_page(request, bound=None):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    groups = implementation.implementation_for(request.user, today=today)
    student_ids: list[str] = []
    for group in groups:
        for row in group.students:
            student_ids.append(str(row.student.public_id))
            for plan in row.plans:
                for item in plan.accommodations.all():
                    if bound is not None and bound.prefix == f"a{item.public_id.hex}":
                        item.form = bound
                    else:
                        item.form = _fresh_form(item, today)
    if student_ids:
        audit.record(
            actor=request.user,
            action="implementation.viewed",
            detail={"students": sorted(set(student_ids))},
        )
    return render(
        request,
        "plans/implementation.html",
        {"groups": groups, "today": today},
        status=400 if bound is not None else 200,
    )


@login_required
@require_POST
def record_provided(request, public_id):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    accommodation = implementation.find_accommodation(
        request.user, parse_public_id(public_id), today=today
    )
    # Permission first: an outsider or a parent learns nothing from a field message.
    if not implementation.may_record(request.user, accommodation.plan.student, today=today):
        raise Http404
    form = ProvidedForm(request.POST, prefix_for=accommodation.public_id.hex)
    saved = False
    if form.is_valid():
        try:
            implementation.record_provided(
                actor=request.user,
                accommodation=accommodation,
                provided_on=form.cleaned_data["provided_on"],
                note=form.cleaned_data["note"],
                today=today,
            )
            saved = True
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
    if request.htmx:
        row = implementation.accommodation_row(request.user, accommodation, today=today)
        row.form = _fresh_form(row, today) if saved else form
        row.just_saved = saved
        return render(request, "plans/implementation_accommodation.html", {"item": row})
    if saved:
        messages.success(request, _("Recorded as provided."))
        return redirect(f"{reverse('implementation')}#acc-{accommodation.public_id}")
    return _render_page(request, bound=form)
