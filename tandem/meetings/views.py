"""Meeting pages: the list, scheduling, the meeting itself, the family's answer, files.

Thin views: the gatekeeper first (scheduling, notices, excusals, attendance and minutes need
`Cap.SCHEDULE_MEETINGS`; the family's answer `Cap.ACT_AS_FAMILY`), forms parse, the actions in
the `actions_*.py` modules decide and write, `pages.py` builds what the templates show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned
from tandem.access.policy import Access, schools_led_by, student_access
from tandem.access.routes import writes
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import mark_opened
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.documents.pdf import pdf_response

from . import (
    actions_answers,
    actions_record,
    actions_scheduling,
    calendar_view,
    closed_days,
    notices,
    pages,
    queries,
)
from .forms import CancelForm, RescheduleForm
from .models import Meeting, MeetingStatus


def _meeting(
    request: HttpRequest, meeting_id: UUID, need: Cap = Cap.READ, action: str | None = None
) -> tuple[Meeting, Access]:
    """The meeting with its people, and the decision on its student (404 / 403 as the policy)."""
    source = queries.meetings_with_people()
    return access_owned(request.user, source, meeting_id, need=need, action=action)  # type: ignore[arg-type,no-any-return]


def _url(meeting: Meeting) -> str:
    return reverse("meeting_detail", args=[meeting.public_id])


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    schools = list(schools_led_by(request.user))  # type: ignore[arg-type]
    filters = pages.ListFilter.from_query(request.GET, schools)
    meetings = queries.meetings_for_user(request.user, **filters.query())  # type: ignore[arg-type]
    if fmt := downloads.wanted(request):
        return pages.list_download(request, meetings, fmt)
    page = Paginator(meetings, pages.PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        actor=request.user,
        action=Action.MEETINGS__LISTED,
        detail={
            "scope": filters.scope,
            "kind": filters.kind,
            "status": filters.status,
            "count": page.paginator.count,
        },
        students=[meeting.student_id for meeting in page.object_list],
    )
    context = {"page": page, "download_query": request.GET.urlencode(), **filters.context()}
    return render(request, "meetings/list.html", context)


@require_GET
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """The same meetings as the list, as a month (`?month=YYYY-MM`, with the list's filters)."""
    schools = list(schools_led_by(request.user))  # type: ignore[arg-type]
    filters = pages.ListFilter.from_query(request.GET, schools)
    today = clock.today()
    first, refused = calendar_view.parse_month(request.GET.get("month"), today)
    query = filters.query()
    query.pop("scope")
    month = calendar_view.month_of(request.user, first, today, **query)  # type: ignore[arg-type]
    audit.record(
        actor=request.user,
        action=Action.MEETINGS__LISTED,
        detail={"view": "calendar", "month": first.strftime("%Y-%m"), "count": month.count},
        students=[m.student_id for week in month.weeks for day in week for _at, m in day.meetings],
    )
    context = {"month": month, "month_refused": refused, **filters.context()}
    return render(request, "meetings/calendar.html", context)


# --- scheduling ---------------------------------------------------------------------------------


@writes(Cap.SCHEDULE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, student_id: UUID) -> HttpResponse:
    viewed = Action.STUDENT__VIEWED if request.method == "GET" else None
    access = student_access(
        request.user,  # type: ignore[arg-type]
        student_id,
        need=Cap.SCHEDULE_MEETINGS,
        action=viewed,
    )
    source = request.POST if request.method == "POST" else request.GET
    scheduling = pages.Scheduling.start(access.student, source.get("kind"), today=clock.today())
    return schedule_page(request, access, scheduling)


def schedule_page(
    request: HttpRequest, access: Access, scheduling: pages.Scheduling, **more: Any
) -> HttpResponse:
    """The scheduling form's tail: schedule on a valid POST, else show the page again."""
    form = scheduling.form(request.POST if request.method == "POST" else None)
    schedule = scheduling.action(request.user, form)  # type: ignore[arg-type]
    message = _("The meeting is scheduled and the notice was sent to the family.")
    if done := run_action(request, form, schedule, then=_url, message=message):
        return done
    return render(request, "meetings/new.html", scheduling.context(form, access, **more))


# --- the meeting and what the team does with it ------------------------------------------------


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, access = _meeting(request, meeting_id, action=Action.MEETING__VIEWED)
    invited = queries.guardian_invitee(request.user, meeting) is not None  # type: ignore[arg-type]
    if invited and not access.has(Cap.SCHEDULE_MEETINGS):
        # Families answer and read on their own plain-language page.
        return redirect("meeting_respond", meeting_id=meeting.public_id)
    context = pages.detail(meeting, access, now=clock.now())
    return render(request, "meetings/detail.html", context)


def _act(
    request: HttpRequest,
    meeting: Meeting,
    access: Access,
    action: Callable[[dict[str, Any]], Any],
    message: str,
    **form: Any,
) -> HttpResponse:
    """Run the action on the valid form (`name=form`) and go back to the meeting; else show the
    meeting again with the form's errors."""
    (bound,) = form.values()
    if done := run_action(request, bound, action, then=_url(meeting), message=message):
        return done
    context = pages.detail(meeting, access, now=clock.now(), **form)
    return render(request, "meetings/detail.html", context, status=400)


@writes(Cap.SCHEDULE_MEETINGS)
@require_POST
def meeting_excuse(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, access = _meeting(request, meeting_id, need=Cap.SCHEDULE_MEETINGS)
    form = pages.excusal_form(meeting, request.POST)
    excuse = lambda data: actions_record.record_excusal(  # noqa: E731
        actor=request.user, meeting=meeting, **form.arguments()
    )
    message = _("The excusal was recorded.")
    return _act(request, meeting, access, excuse, message, excusal_form=form)


@writes(Cap.SCHEDULE_MEETINGS)
@require_POST
def meeting_record(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, access = _meeting(request, meeting_id, need=Cap.SCHEDULE_MEETINGS)
    form = pages.record_form(meeting, request.POST)
    hold = lambda data: actions_record.mark_held(  # noqa: E731
        actor=request.user,
        meeting=meeting,
        outcome=form.outcome(),
        share_minutes_now=data.get("share_minutes", False),
    )
    message = _("The meeting is recorded as held.")
    return _act(request, meeting, access, hold, message, record_form=form)


@writes(Cap.SCHEDULE_MEETINGS)
@require_POST
def meeting_share_minutes(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, _access = _meeting(request, meeting_id, need=Cap.SCHEDULE_MEETINGS)
    try:
        actions_record.share_minutes(actor=request.user, meeting=meeting)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes were shared with the team and the family."))
    return redirect(_url(meeting))


@writes(Cap.SCHEDULE_MEETINGS)
@require_POST
def meeting_reschedule(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, access = _meeting(request, meeting_id, need=Cap.SCHEDULE_MEETINGS)
    form = RescheduleForm(request.POST, zone=meeting.student.district.time_zone)

    def move(data: dict[str, Any]) -> Meeting:
        closed = closed_days.refusal(
            meeting.student,
            {"day_1": data["day_1"]},
            bool(data.get("confirm_closed_days")),
            today=clock.today(),
        )
        if closed:
            raise ValidationError(closed)
        return actions_scheduling.reschedule(actor=request.user, meeting=meeting, time=form.time())

    message = _("The meeting was moved and an updated notice was sent.")
    return _act(request, meeting, access, move, message, reschedule_form=form)


@writes(Cap.SCHEDULE_MEETINGS)
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, access = _meeting(request, meeting_id, need=Cap.SCHEDULE_MEETINGS)
    form = CancelForm(request.POST)
    cancel = lambda data: actions_scheduling.cancel_meeting(  # noqa: E731
        actor=request.user, meeting=meeting, reason=data["reason"]
    )
    message = _("The meeting was cancelled and the invitees were told.")
    return _act(request, meeting, access, cancel, message, cancel_form=form)


# --- the family's answer ------------------------------------------------------------------------


@writes(Cap.ACT_AS_FAMILY)
@require_http_methods(["GET", "POST"])
def meeting_respond(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    """The family's page: what, when, where, who; accept, or ask for another time."""
    posted = request.method == "POST"
    need, viewed = (Cap.ACT_AS_FAMILY, None) if posted else (Cap.READ, Action.MEETING__VIEWED)
    meeting, access = _meeting(request, meeting_id, need=need, action=viewed)
    form = pages.respond_form(meeting, request.POST if posted else None)
    answer = lambda data: actions_answers.respond(  # noqa: E731
        actor=request.user, meeting=meeting, **form.arguments()
    )
    message = _("Thank you. We saved your answer and told the team.")
    then = reverse("meeting_respond", args=[meeting.public_id])
    if done := run_action(request, form, answer, then=then, message=message):
        return done
    mark_opened(request.user, request.path)
    invitee = queries.guardian_invitee(request.user, meeting)  # type: ignore[arg-type]
    context = pages.respond(meeting, access, form, invitee)
    return render(request, "meetings/respond.html", context, status=400 if form.errors else 200)


# --- files --------------------------------------------------------------------------------------


@require_GET
def meeting_ics(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, _access = _meeting(request, meeting_id, action=Action.MEETING__ICS_DOWNLOADED)
    language = request.user.preferred_language or "en"  # type: ignore[union-attr]
    ics = notices.meeting_ics(meeting, language=language)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.public_id}.ics"'
    return response


@require_GET
def meeting_notice_pdf(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, _access = _meeting(request, meeting_id, action=Action.MEETING__NOTICE_VIEWED)
    language = pages.document_language(meeting, request.GET.get("lang"))
    mark_opened(request.user, request.path)
    pdf = notices.pdf_of(notices.notice_html(meeting, language))
    return pdf_response(pdf, f"meeting-notice-{language}.pdf")


@require_GET
def meeting_minutes_pdf(request: HttpRequest, meeting_id: UUID) -> HttpResponse:
    meeting, _access = _meeting(request, meeting_id, action=Action.MEETING__MINUTES_VIEWED)
    if meeting.status != MeetingStatus.HELD:
        raise Http404
    language = pages.document_language(meeting, request.GET.get("lang"))
    mark_opened(request.user, request.path)
    pdf = notices.pdf_of(notices.minutes_html(meeting, language))
    return pdf_response(pdf, f"meeting-minutes-{language}.pdf")
