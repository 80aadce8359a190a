"""Retention pages (IDEA 300.624): the district's schedule, the records due for review, one
student's records with their holds and the destruction, and the notice the parents answer.

Thin views: the gatekeeper first (`Cap.DESTROY_RECORDS`, the district administrator's;
`Cap.ACT_AS_FAMILY` for the parent's answer), `actions_retention` decides and writes.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned
from tandem.access.policy import (
    Access,
    districts_administered_by,
    schools_led_by,
    student_access,
    students_with,
)
from tandem.access.routes import Scope, writes
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.people.models import District
from tandem.records import actions_retention as actions
from tandem.records import notice_answers
from tandem.records import queries_retention as queries
from tandem.records.forms_retention import (
    HoldForm,
    PaperAnswerForm,
    ProposeForm,
    RetentionSettingsForm,
)
from tandem.records.models import DestructionProposal, ProposalStatus, RecordsHold
from tandem.records.retention import RECORDS_LOG_CITATION, schedule_for


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- the district's schedule -------------------------------------------------------------------


def _districts_seen(user: User) -> tuple[list[District], set[int]]:
    """Districts whose schedule `user` may read (administered, or of a school they lead), and
    those they may change (administered)."""
    administered = set(districts_administered_by(user).values_list("pk", flat=True))
    led = set(schools_led_by(user).values_list("district_id", flat=True))
    seen = District.objects.filter(pk__in=administered | led).order_by("name", "id")
    return list(seen), administered


@require_GET
def retention_settings_index(request: HttpRequest) -> HttpResponse:
    districts, _administered = _districts_seen(_user(request))
    if not districts:
        raise Http404
    return redirect("retention_settings", districts[0].public_id)


def _saved(changed: dict[str, object]) -> str:
    return _("Saved.") if changed else _("Nothing changed.")


@writes(Scope.DISTRICT)
@require_http_methods(["GET", "POST"])
def retention_settings(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """How long each type of record is kept after the student leaves; the administrator edits,
    a principal of the district reads."""
    user = _user(request)
    districts, administered = _districts_seen(user)
    district = next((d for d in districts if d.public_id == public_id), None)
    if district is None:
        raise Http404
    posting = request.method == "POST"
    if posting and district.pk not in administered:
        raise PermissionDenied
    initial = actions.current_settings(district)
    form = RetentionSettingsForm(request.POST if posting else None, initial=initial)
    save = lambda data: actions.save_settings(actor=user, district=district, data=data)  # noqa: E731
    then = reverse("retention_settings", args=[district.public_id])
    if done := run_action(request, form, save, then=then, message=_saved):
        return done
    context = {"form": form, "district": district, "districts": districts}
    context |= {
        "editable": district.pk in administered,
        "records_log_citation": RECORDS_LOG_CITATION,
    }
    return render(
        request, "records/retention_settings.html", context, status=400 if posting else 200
    )


# --- the records due for review ----------------------------------------------------------------


@require_GET
def retention_due(request: HttpRequest) -> HttpResponse:
    """Students who left, with records past the retention schedule, and what holds them."""
    user = _user(request)
    if not districts_administered_by(user).exists():
        raise Http404
    today = clock.today()
    rows = queries.due_for_review(students_with(user, Cap.DESTROY_RECORDS), today=today)
    for row in rows:
        audit.record(actor=user, action=Action.RETENTION_DUE__VIEWED, student=row.student)
    context = {"rows": rows, "summary": queries.summary(rows), "today": today}
    return render(request, "records/retention_due.html", context)


# --- one student -------------------------------------------------------------------------------


def _student_url(student: object) -> str:
    return reverse("retention_student", args=[student.public_id])  # type: ignore[attr-defined]


def student_page(
    request: HttpRequest,
    access: Access,
    *,
    form: ProposeForm | None = None,
    paper_form: PaperAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The student's retention page, with the forms as posted when one was refused."""
    student, today = access.student, clock.today()
    row = queries.one(student, today=today)
    proposal = row.proposal if row is not None else None
    context: dict[str, object] = {"student": student, "access": access, "row": row}
    context["form"] = form or ProposeForm(due=[t.kind for t in row.due] if row else [])
    context["hold_form"] = HoldForm()
    context["blocks"] = actions.blocks(proposal, today=today) if proposal else []
    context["paper"] = notice_answers.paper_served(proposal) if proposal else []
    if paper_form is not None:  # refused: shown with its errors, answered or not
        context["paper_form"] = paper_form
    elif proposal is not None and not proposal.parent_answer:
        context["paper_form"] = PaperAnswerForm(guardians=notice_answers.sent_to(proposal))
    destroyed = DestructionProposal.objects.filter(student=student, status=ProposalStatus.DESTROYED)
    context |= {"past": destroyed, "today": today}
    context["wait_days"] = schedule_for(student.district.settings).wait_days
    return render(request, "records/retention_student.html", context, status=status)


@writes(Cap.DESTROY_RECORDS)
@require_http_methods(["GET", "POST"])
def retention_student(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """The student's records by type with their due dates, the holds, the notice out, and the
    form to propose destruction (which sends the notice)."""
    user = _user(request)
    viewed = Action.RETENTION__VIEWED if request.method == "GET" else None
    access = student_access(user, student_id, need=Cap.DESTROY_RECORDS, action=viewed)
    student = access.student
    row = queries.one(student, today=clock.today())
    form = ProposeForm(request.POST or None, due=[t.kind for t in row.due] if row else [])
    propose = lambda data: actions.propose_destruction(actor=user, student=student, **data)  # noqa: E731
    message = _("The notice was sent to the parents.")
    if done := run_action(request, form, propose, then=_student_url(student), message=message):
        return done
    return student_page(request, access, form=form, status=400 if request.POST else 200)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@writes(Cap.DESTROY_RECORDS)
@require_POST
def records_hold_new(request: HttpRequest, student_id: UUID) -> HttpResponse:
    user = _user(request)
    access = student_access(user, student_id, need=Cap.DESTROY_RECORDS, action=None)
    form = HoldForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect(_student_url(access.student))
    try:
        actions.place_hold(actor=user, student=access.student, **form.cleaned_data)
        messages.success(
            request, _("The hold was placed: nothing is destroyed until it is released.")
        )
    except ValidationError as error:
        _refused(request, error)
    return redirect(_student_url(access.student))


@writes(Cap.DESTROY_RECORDS)
@require_POST
def records_hold_release(request: HttpRequest, hold_id: UUID) -> HttpResponse:
    user = _user(request)
    hold, _access = access_owned(user, RecordsHold, hold_id, need=Cap.DESTROY_RECORDS)
    try:
        actions.release_hold(actor=user, hold=hold)
        messages.success(request, _("The hold was released."))
    except ValidationError as error:
        _refused(request, error)
    return redirect(_student_url(hold.student))


@writes(Cap.DESTROY_RECORDS)
@require_POST
def destruction_confirm(request: HttpRequest, proposal_id: UUID) -> HttpResponse:
    """Destroy the records the notice named, when nothing holds them any longer."""
    user = _user(request)
    proposal, _access = access_owned(
        user, DestructionProposal, proposal_id, need=Cap.DESTROY_RECORDS
    )
    try:
        actions.confirm_destruction(actor=user, proposal=proposal)
        messages.success(request, _("The records were destroyed. The permanent record is kept."))
    except ValidationError as error:
        _refused(request, error)
    return redirect(_student_url(proposal.student))
