"""Student search, the student overview, profile changes and the record's history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access import queries
from tandem.access.capabilities import Cap
from tandem.access.policy import schools_led_by, student_access
from tandem.access.routes import writes
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.people import actions
from tandem.people.models import Guardian
from tandem.records import queries as records_queries
from tandem.web import pages, panels
from tandem.web import queries as home_queries
from tandem.web.forms import GuardianContactForm, StudentProfileForm, StudentSearchForm


def _viewed(request: HttpRequest) -> Action | None:
    """A form page records the read when it is shown; the save records its own event."""
    return Action.STUDENT__VIEWED if request.method == "GET" else None


def _record_found(request: HttpRequest, query: str, shown: Any) -> None:
    """The students a page of results shows, each found by their own record of access."""
    if shown:
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.STUDENTS__SEARCHED,
            detail={"query": query},
            students=shown,
        )


@require_GET
def student_search(request: HttpRequest) -> HttpResponse:
    form = StudentSearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"].strip() if valid else ""
    school_id = form.cleaned_data.get("school") if valid else None
    unowned = valid and bool(form.cleaned_data["no_case_manager"])
    page = None
    if (fmt := downloads.wanted(request)) or query or not request.htmx:  # type: ignore[attr-defined]
        found = queries.search_students(request.user, query, today=clock.today(), school=school_id)  # type: ignore[arg-type]
        if unowned:
            found = home_queries.without_case_manager(found, today=clock.today())
        if fmt:
            return pages.students_download(request, found, fmt)
        page = Paginator(found, 25).get_page(request.GET.get("page"))
        _record_found(request, query, page.object_list)
    template = "students/_results.html" if request.htmx else "students/search.html"  # type: ignore[attr-defined]
    school = schools_led_by(request.user).filter(public_id=school_id).first() if school_id else None  # type: ignore[arg-type]
    context = {"form": form, "page": page, "query": query, "school": school}
    context |= {"no_case_manager": unowned, "download_query": request.GET.urlencode()}
    return render(request, template, context)


@require_GET
def student_overview(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The student's record: one decision, then each panel the decision lets the viewer see."""
    access = student_access(request.user, public_id)  # type: ignore[arg-type]
    shown = panels.panels_for(access, today=clock.today(), viewer=request.user)  # type: ignore[arg-type]
    context = {"student": access.student, "access": access, "panels": shown}
    return render(request, "students/overview.html", context)


@writes(Cap.EDIT_PROFILE)
@require_http_methods(["GET", "POST"])
def student_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = student_access(request.user, public_id, need=Cap.EDIT_PROFILE, action=_viewed(request))  # type: ignore[arg-type]
    student = access.student
    form = StudentProfileForm(request.POST or None, instance=student)
    if done := run_action(
        request,
        form,
        lambda data: actions.update_student_profile(
            actor=request.user,  # type: ignore[arg-type]
            student=student,
            changes={name: data[name] for name in form.changed_data},
        ),
        message=_("The student's profile was saved."),
        then=reverse("student", args=[student.public_id]),
    ):
        return done
    if request.method == "POST":
        student.refresh_from_db()  # the form put the refused values on the instance
    return render(
        request, "students/edit.html", {"student": student, "access": access, "form": form}
    )


@writes(Cap.EDIT_PROFILE)
@require_http_methods(["GET", "POST"])
def guardian_edit(request: HttpRequest, public_id: UUID, guardian_id: UUID) -> HttpResponse:
    access = student_access(request.user, public_id, need=Cap.EDIT_PROFILE, action=_viewed(request))  # type: ignore[arg-type]
    student = access.student
    guardian = get_object_or_404(Guardian, student_links__student=student, public_id=guardian_id)
    form = GuardianContactForm(request.POST or None, instance=guardian)
    if done := run_action(
        request,
        form,
        lambda data: actions.update_guardian_contact(
            actor=request.user,  # type: ignore[arg-type]
            guardian=guardian,
            student=student,
            changes={name: data[name] for name in form.changed_data},
        ),
        message=_("The contact details were saved."),
        then=reverse("student", args=[student.public_id]),
    ):
        return done
    context = {"student": student, "access": access, "guardian": guardian, "form": form}
    return render(request, "students/guardian_edit.html", context)


@require_GET
def student_history(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Who changed which field of the record, from what to what."""
    access = student_access(request.user, public_id, action=Action.STUDENT__HISTORY_VIEWED)  # type: ignore[arg-type]
    context = {
        "student": access.student,
        "access": access,
        "changes": pages.profile_changes(access.student),
    }
    return render(request, "students/history.html", context)


@require_GET
def student_access_log(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Who opened this student's record, when and why (300.614, 99.32): for parents and leaders."""
    access = student_access(
        request.user,  # type: ignore[arg-type]
        public_id,
        need=Cap.VIEW_ACCESS_LOG,
        action=Action.STUDENT__ACCESS_LOG_VIEWED,
    )
    events = pages.record_of_access(access.student, with_refusals=access.is_leader)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    # FERPA 99.32(c): the parent may inspect the record of disclosures beside the log.
    disclosures = records_queries.disclosures(access.student)
    context = {"student": access.student, "access": access, "page": page}
    context["disclosures"] = list(disclosures)
    return render(request, "students/access_log.html", context)
