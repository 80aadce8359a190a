"""Staff: record that a student's rights passed to them at the age of majority (300.520)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.capabilities import Cap
from tandem.access.policy import student_access
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.core.handling import run_action
from tandem.people.models import Student
from tandem.people.relations import holds_own_rights, majority_on, rights_holder_links
from tandem.portal import majority
from tandem.portal.forms import RightsTransferForm


@writes(Cap.EDIT_PROFILE)
@require_http_methods(["GET", "POST"])
def portal_rights_transfer(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """What passes to the student and who is told; the transfer on POST."""
    viewed = Action.PORTAL__FAMILY_VIEWED if request.method == "GET" else None
    access = student_access(request.user, student_id, need=Cap.EDIT_PROFILE, action=viewed)  # type: ignore[arg-type]
    student = access.student
    data = request.POST if request.method == "POST" else None
    form = RightsTransferForm(data, initial={"language": _first_language(student)})
    transfer = lambda data: majority.transfer_rights(  # noqa: E731
        actor=request.user,  # type: ignore[arg-type]
        student=student,
        email=data["email"],
        language=data["language"],
        base_url=request.build_absolute_uri("/"),
    )
    message = _("%(name)s now holds their own rights. They and their parents were told.")
    message %= {"name": student.first_name}
    then = reverse("portal_family", args=[student.public_id])
    if done := run_action(request, form, transfer, then=then, message=message):
        return done
    status = 400 if form.errors else 200
    return render(request, "portal/rights_transfer.html", _page(student, form), status=status)


def _page(student: Student, form: RightsTransferForm) -> dict[str, object]:
    return {
        "student": student,
        "form": form,
        "majority_on": majority_on(student),
        "own": holds_own_rights(student),
        "parents": rights_holder_links(student),
    }


def _first_language(student: Student) -> str:
    """The rights holder's language, the likeliest the student reads too."""
    links = rights_holder_links(student)
    return links[0].guardian.preferred_language if links else "en"
