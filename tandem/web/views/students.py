"""Student search, the student overview, profile changes and the record's history."""

from __future__ import annotations

from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import audit
from tandem.access.models import AuditEvent
from tandem.access.policy import (
    Need,
    access_student,
    can,
    parse_public_id,
    schools_led_by,
    standing,
)
from tandem.people import actions, queries
from tandem.people.models import Guardian, StudentGuardian
from tandem.web.forms import GuardianContactForm, StudentProfileForm, StudentSearchForm


@login_required
def student_search(request):  # type: ignore[no-untyped-def]
    form = StudentSearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"].strip() if valid else ""
    school_id = form.cleaned_data.get("school") if valid else None
    school = schools_led_by(request.user).filter(public_id=school_id).first() if school_id else None
    page = None
    if query or not request.htmx:
        students = queries.search_students(
            request.user, query, today=timezone.localdate(), school=school_id
        )
        page = Paginator(students, 25).get_page(request.GET.get("page"))
        if query:
            audit.record(actor=request.user, action="students.searched", detail={"query": query})
    template = "students/_results.html" if request.htmx else "students/search.html"
    context = {"form": form, "page": page, "query": query, "school": school}
    return render(request, template, context)


@login_required
def student_overview(request, public_id):  # type: ignore[no-untyped-def]
    student = access_student(request.user, public_id)
    today = timezone.localdate()
    context = {
        "student": student,
        "age": student.age_on(today),
        "can_write": can(request.user, Need.WRITE, student),
        "can_see_access_log": _can_see_access_log(request.user, student),
        **queries.overview_for(student, today=today),
    }
    return render(request, "students/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def student_edit(request, public_id):  # type: ignore[no-untyped-def]
    student = access_student(
        request.user,
        public_id,
        need=Need.WRITE,
        action="student.viewed" if request.method == "GET" else None,
    )
    form = StudentProfileForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        actions.update_student_profile(
            actor=request.user,
            student=student,
            changes={name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("The student's profile was saved."))
        return redirect("student", public_id=student.public_id)
    if request.method == "POST":
        student.refresh_from_db()
    return render(request, "students/edit.html", {"student": student, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def guardian_edit(request, public_id, guardian_id):  # type: ignore[no-untyped-def]
    student = access_student(
        request.user,
        public_id,
        need=Need.WRITE,
        action="student.viewed" if request.method == "GET" else None,
    )
    link = (
        StudentGuardian.objects.filter(
            student=student, guardian__public_id=parse_public_id(guardian_id)
        )
        .select_related("guardian")
        .first()
    )
    if link is None:
        raise Http404
    guardian: Guardian = link.guardian
    form = GuardianContactForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        actions.update_guardian_contact(
            actor=request.user,
            guardian=guardian,
            student=student,
            changes={name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("The contact details were saved."))
        return redirect("student", public_id=student.public_id)
    return render(
        request,
        "students/guardian_edit.html",
        {"student": student, "guardian": guardian, "form": form},
    )


@login_required
def student_history(request, public_id):  # type: ignore[no-untyped-def]
    """Who changed which field of the record, from what to what."""
    student = access_student(request.user, public_id, action="student.history_viewed")
    changes = []
    records = list(student.history.select_related("history_user").order_by("history_date"))
    for previous, record in pairwise(records):
        delta = record.diff_against(previous)
        for change in delta.changes:
            field = student._meta.get_field(change.field)
            changes.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "field": field.verbose_name,
                    "old": change.old,
                    "new": change.new,
                }
            )
    changes.reverse()
    return render(request, "students/history.html", {"student": student, "changes": changes})


def _can_see_access_log(user, student) -> bool:  # type: ignore[no-untyped-def]
    s = standing(user)
    if student.district_id in s.admin_district_ids or student.school_id in s.admin_school_ids:
        return True
    return (
        s.guardian_id is not None
        and StudentGuardian.objects.filter(
            student=student, guardian_id=s.guardian_id, educational_rights_holder=True
        ).exists()
    )


@login_required
def student_access_log(request, public_id):  # type: ignore[no-untyped-def]
    """Who opened this student's record, when and why (300.614, 99.32): for parents and leaders."""
    student = access_student(request.user, public_id, action="student.access_log_viewed")
    if not _can_see_access_log(request.user, student):
        raise Http404
    events = (
        AuditEvent.objects.filter(student=student).select_related("actor").order_by("-at", "-id")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "students/access_log.html", {"student": student, "page": page})
