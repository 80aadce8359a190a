"""Records rights pages: who may open records (300.623(d)), a student's record of disclosures
(FERPA 99.32) and the family's requests to see (300.613) or amend (300.618) the records.

Thin views: the gatekeeper first with the capability needed (`Cap.KEEP_RECORDS` for whoever
answers for the record, `Cap.ACT_AS_FAMILY` for the parent), `actions.py` decides and writes,
`pages.py` builds what the templates show.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned, refuse_unless
from tandem.access.policy import student_access, students_with
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.records import actions, pages, queries, staff_list, types_list
from tandem.records.forms import AnswerForm, DisclosureForm, FamilyRequestForm, StaffRequestForm


def _viewed(request: HttpRequest, action: Action) -> Action | None:
    """A form page records the read when it is shown; the save records its own event."""
    return action if request.method == "GET" else None


def _public_lists(request: HttpRequest) -> dict[str, Any]:
    """The district whose public records lists are read (300.616, 300.623(d)) and the choice
    of districts: for their leaders and the parents of their students; 404 for anyone else."""
    districts = list(staff_list.districts_for(request.user, today=clock.today()))  # type: ignore[arg-type]
    if not districts:
        raise Http404
    chosen = request.GET.get("district", "")
    district = next((d for d in districts if str(d.public_id) == chosen), districts[0])
    return {"district": district, "districts": districts}


@require_GET
def staff_with_access(request: HttpRequest) -> HttpResponse:
    """Who may open students' records in the district, by position and name: for its leaders,
    and for the parents of its students (the list is for public inspection)."""
    context = _public_lists(request)
    today = clock.today()
    context |= {"positions": staff_list.positions(context["district"], today=today), "today": today}
    return render(request, "records/staff.html", context)


@require_GET
def records_types(request: HttpRequest) -> HttpResponse:
    """The types and locations of the education records the district keeps (300.616): for the
    same readers as the list of staff who may open them."""
    context = _public_lists(request)
    district = context["district"]
    context |= {"kinds": types_list.kinds(district), "elsewhere": types_list.elsewhere(district)}
    return render(request, "records/types.html", context)


@require_GET
def records_student(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """The student's disclosures and requests: for the parent and whoever keeps the record."""
    access = student_access(request.user, student_id, action=None)  # type: ignore[arg-type]
    if not access.has(Cap.ACT_AS_FAMILY):
        refuse_unless(access, Cap.KEEP_RECORDS)
    audit.record(actor=request.user, action=Action.RECORDS__VIEWED, student=access.student)  # type: ignore[arg-type]
    return render(request, "records/student.html", pages.student_records(access))


@writes(Cap.KEEP_RECORDS)
@require_http_methods(["GET", "POST"])
def disclosure_new(request: HttpRequest, student_id: UUID) -> HttpResponse:
    viewed = _viewed(request, Action.RECORDS__VIEWED)
    access = student_access(request.user, student_id, need=Cap.KEEP_RECORDS, action=viewed)  # type: ignore[arg-type]
    form = DisclosureForm(request.POST or None, initial={"disclosed_on": clock.today()})
    record = lambda data: actions.record_disclosure(  # noqa: E731
        actor=request.user,  # type: ignore[arg-type]
        student=access.student,
        **data,
    )
    then, message = pages.student_url(access.student), _("The disclosure was recorded.")
    if done := run_action(request, form, record, then=then, message=message):
        return done
    context = {"student": access.student, "access": access, "form": form}
    return render(request, "records/disclosure_new.html", context)


@writes(Cap.KEEP_RECORDS)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """Staff record a request the parent made by letter, phone or in person."""
    viewed = _viewed(request, Action.RECORDS__VIEWED)
    access = student_access(request.user, student_id, need=Cap.KEEP_RECORDS, action=viewed)  # type: ignore[arg-type]
    form = StaffRequestForm(request.POST or None, initial={"requested_on": clock.today()})
    make = lambda data: actions.make_request(  # noqa: E731
        actor=request.user,  # type: ignore[arg-type]
        student=access.student,
        **data,
    )
    message = _("The request was recorded with its due date.")
    if done := run_action(
        request, form, make, then=pages.student_url(access.student), message=message
    ):
        return done
    context = {"student": access.student, "access": access, "form": form, "staff": True}
    return render(request, "records/request_new.html", context)


@writes(Cap.ACT_AS_FAMILY)
@require_http_methods(["GET", "POST"])
def request_ask(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """The parent asks to see or amend their child's records."""
    viewed = _viewed(request, Action.RECORDS__VIEWED)
    access = student_access(request.user, student_id, need=Cap.ACT_AS_FAMILY, action=viewed)  # type: ignore[arg-type]
    form = FamilyRequestForm(request.POST or None)
    make = lambda data: actions.make_request(  # noqa: E731
        actor=request.user,  # type: ignore[arg-type]
        student=access.student,
        from_portal=True,
        **data,
    )
    message = _("Your request was sent. The school will answer by the date shown.")
    if done := run_action(
        request, form, make, then=pages.student_url(access.student), message=message
    ):
        return done
    context = {"student": access.student, "access": access, "form": form, "staff": False}
    return render(request, "records/request_new.html", context)


@writes(Cap.KEEP_RECORDS)
@require_http_methods(["GET", "POST"])
def request_answer(request: HttpRequest, request_id: UUID) -> HttpResponse:
    viewed = _viewed(request, Action.RECORDS_REQUEST__VIEWED)
    rr, access = access_owned(
        request.user,  # type: ignore[arg-type]
        queries.requests(),
        request_id,
        need=Cap.KEEP_RECORDS,
        action=viewed,
    )
    form = AnswerForm(request.POST or None, initial={"answered_on": clock.today()})
    answer = lambda data: actions.answer_request(actor=request.user, request=rr, **data)  # type: ignore[arg-type]  # noqa: E731
    message = _("The answer was recorded.")
    if done := run_action(
        request, form, answer, then=pages.student_url(rr.student), message=message
    ):
        return done
    return render(request, "records/answer.html", pages.answer(rr, access, form))


@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    """Open requests to see or amend records of the students one answers for, soonest due."""
    students = students_with(request.user, Cap.KEEP_RECORDS)  # type: ignore[arg-type]
    rows = list(queries.open_requests(students))
    for student in {row.student for row in rows}:
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=Action.RECORDS_REQUESTS__LISTED,
            student=student,
        )
    return render(request, "records/requests.html", {"rows": rows, "today": clock.today()})
