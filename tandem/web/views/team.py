"""A student's team page: the case manager, the members and past members, and the forms to change
them (shown to those who manage the team). Each form posts to its own route, declared with
`@writes(Cap.MANAGE_TEAM)`; a refusal shows the page again, with the form's errors, as a 400."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access.capabilities import Cap
from tandem.access.policy import Access, can, student_access
from tandem.access.routes import writes
from tandem.accounts.models import User
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.people import team, team_queries
from tandem.people.models import Student
from tandem.web.team_forms import AddMemberForm, CaseManagerForm, EndMemberForm

FORMS = {"cm_form": CaseManagerForm, "add_form": AddMemberForm, "end_form": EndMemberForm}


def _page(request: HttpRequest, access: Access, bound: Form | None = None) -> HttpResponse:
    """The team page; `bound` is a refused form, shown with its errors (status 400)."""
    student, today = access.student, clock.today()
    context: dict[str, Any] = {"student": student, "access": access, "today": today}
    context["team"] = team_queries.team_page(student, today=today)
    if access.has(Cap.MANAGE_TEAM):
        for name, form_class in FORMS.items():
            fresh = isinstance(bound, form_class)
            context[name] = bound if fresh else form_class(student=student, today=today)
    return render(request, "students/team.html", context, status=400 if bound else 200)


def _after(user: User, student: Student) -> str:
    """Back to the team page, or home when the change took the person's own access away."""
    fresh = User.objects.get(pk=user.pk)  # the request's user caches its decision
    if can(fresh, Cap.READ, student):
        return reverse("student_team", args=[student.public_id])
    return reverse("home")


def _write(
    request: HttpRequest,
    public_id: UUID,
    form_class: type[Form],
    act: Callable[..., Any],
    done: str,
) -> HttpResponse:
    """Run one team action from its form: the gatekeeper, the action, the page again if refused."""
    user: User = request.user  # type: ignore[assignment]
    access = student_access(user, public_id, need=Cap.MANAGE_TEAM, action=None)
    student = access.student
    form = form_class(request.POST, student=student, today=clock.today())  # type: ignore[call-arg]
    if response := run_action(
        request,
        form,
        lambda data: act(actor=user, student=student, **data),
        then=lambda _result: _after(user, student),
        message=done,
    ):
        return response
    return _page(request, access, bound=form)


@require_GET
def student_team(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Who is on the student's team, since when, and who was."""
    access = student_access(request.user, public_id)  # type: ignore[arg-type]
    return _page(request, access)


@writes(Cap.MANAGE_TEAM)
@require_POST
def team_case_manager(request: HttpRequest, public_id: UUID) -> HttpResponse:
    done = _("The case manager was assigned.")
    return _write(request, public_id, CaseManagerForm, team.assign_case_manager, done)


@writes(Cap.MANAGE_TEAM)
@require_POST
def team_member_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    done = _("The team member was added.")
    return _write(request, public_id, AddMemberForm, team.add_team_member, done)


@writes(Cap.MANAGE_TEAM)
@require_POST
def team_member_end(request: HttpRequest, public_id: UUID) -> HttpResponse:
    done = _("Their place on the team was ended. It stays in the team's history.")
    return _write(request, public_id, EndMemberForm, team.end_team_member, done)
