"""Meeting pages: the list, scheduling, the meeting itself, the family's answer, files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access import audit
from tandem.access.policy import Need, access_student, can, parse_public_id, schools_led_by
from tandem.plans.models import Plan, PlanStatus, PlanVersion
from tandem.referrals.models import EligibilityDecision
from tandem.web.pdf import pdf_response

from . import actions, notices, queries, rules
from .forms import CancelForm, ExcusalForm, MeetingForm, RecordForm, RescheduleForm, RespondForm
from .models import (
    EXCUSABLE_ROLES,
    MeetingKind,
    MeetingStatus,
    PlaceKind,
)

PAGE_SIZE = 25


def _zone(student) -> str:  # type: ignore[no-untyped-def]
    return student.district.time_zone


def _revision_for(student, value):  # type: ignore[no-untyped-def]
    """The revision request passed through ?revision= (REVISIONS), if it is this student's."""
    if not value:
        return None
    try:
        from tandem.revisions.models import RevisionRequest
    except ImportError:
        return None
    try:
        key = parse_public_id(value)
    except Http404:
        return None
    return RevisionRequest.objects.filter(public_id=key, student=student).first()


def _plan_for(student, kind):  # type: ignore[no-untyped-def]
    """The plan a meeting is about: the active one (or the draft for an initial IEP / 504)."""
    plans = Plan.objects.filter(student=student)
    if kind in rules.SECTION_504_KINDS:
        plans = plans.filter(kind="section_504")
    elif kind != MeetingKind.OTHER:
        plans = plans.filter(kind="iep")
    return (
        plans.filter(status=PlanStatus.ACTIVE).first()
        or plans.exclude(status__in=["ended", "superseded"]).order_by("-created_at").first()
    )


@login_required
@require_GET
def meeting_list(request):  # type: ignore[no-untyped-def]
    scope = request.GET.get("scope", "upcoming")
    if scope not in ("upcoming", "past", "all"):
        scope = "upcoming"
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    schools = list(schools_led_by(request.user))
    school_id = None
    school_value = request.GET.get("school", "")
    if school_value:
        chosen = next((s for s in schools if str(s.public_id) == school_value), None)
        school_id = chosen.pk if chosen else -1
    meetings = queries.meetings_for_user(
        request.user, scope=scope, kind=kind, status=status, school_id=school_id
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        actor=request.user,
        action="meetings.listed",
        detail={"scope": scope, "kind": kind, "status": status, "count": page.paginator.count},
    )
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "scope": scope,
            "kind": kind,
            "status": status,
            "school": school_value,
            "schools": schools,
            "kinds": MeetingKind.choices,
            "statuses": MeetingStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, student_id):  # type: ignore[no-untyped-def]
    student = access_student(
        request.user,
        student_id,
        need=Need.WRITE,
        action="student.viewed" if request.method == "GET" else None,
    )
    source = request.POST if request.method == "POST" else request.GET
    kind = (
        source.get("kind")
        if source.get("kind") in MeetingKind.values
        else MeetingKind.ANNUAL_REVIEW
    )
    revision_value = source.get("revision", "")
    revision = _revision_for(student, revision_value)
    day = timezone.localdate()
    candidates = rules.candidates(student, kind, day)
    guardians = actions.rights_holders(student)
    initial = {
        "kind": kind,
        "invitees": [c.key for c in candidates if c.required],
        "place_kind": PlaceKind.IN_PERSON,
        "place_details": student.school.name
        + (f", {student.school.address}" if student.school.address else ""),
        "minutes_1": 60,
    }
    if revision is not None and getattr(revision, "reason", ""):
        initial["purpose"] = _("Talk about the request to change the plan: %(reason)s") % {
            "reason": revision.reason
        }
    refreshing = request.method == "POST" and "refresh" in request.POST
    form = MeetingForm(
        request.POST if request.method == "POST" and not refreshing else None,
        initial=initial
        if not refreshing
        else {**initial, **request.POST.dict(), "invitees": initial["invitees"]},
        candidates=candidates,
        guardians=guardians,
        zone=_zone(student),
    )
    conflicts = []
    if request.method == "POST" and not refreshing and form.is_valid():
        times = form.times()
        chosen = [c for c in candidates if c.key in form.cleaned_data["invitees"]]
        conflicts = actions.conflicts_for(
            times=times,
            staff_ids=[c.staff_id for c in chosen if c.staff_id],
            guardian_ids=[c.guardian_id for c in chosen if c.guardian_id],
        )
        if conflicts and not form.cleaned_data.get("confirm_conflicts"):
            form.add_error(
                "confirm_conflicts",
                _(
                    "Some invitees have another meeting at this time. Choose another time, or "
                    "check the box to schedule anyway."
                ),
            )
        else:
            waiver_parts = form.waiver_parts()
            waiver = (
                actions.Waiver(guardian=waiver_parts[0], note=waiver_parts[1])
                if waiver_parts and waiver_parts[0]
                else None
            )
            try:
                meeting = actions.schedule_meeting(
                    actor=request.user,
                    student=student,
                    kind=form.cleaned_data["kind"],
                    times=times,
                    place_kind=form.cleaned_data["place_kind"],
                    place_details=form.cleaned_data["place_details"],
                    invitee_keys=form.cleaned_data["invitees"],
                    outside=form.outside(),
                    purpose=form.cleaned_data.get("purpose", ""),
                    plan=_plan_for(student, form.cleaned_data["kind"]),
                    waiver=waiver,
                    revision=revision,
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(
                    request,
                    _("The meeting is scheduled and the notice was sent to the family."),
                )
                return redirect("meeting_detail", meeting_id=meeting.public_id)
    timing = None
    try:
        first_day = (
            form.cleaned_data.get("day_1")
            if form.is_bound and hasattr(form, "cleaned_data")
            else None
        )
        timing = rules.notice_timing(student, first_day or day + timezone.timedelta(days=14))
    except Exception:  # noqa: BLE001 - the hint is optional; the action checks for real
        timing = None
    return render(
        request,
        "meetings/new.html",
        {
            "student": student,
            "form": form,
            "kind": kind,
            "candidates": candidates,
            "conflicts": conflicts,
            "revision": revision,
            "revision_value": revision_value if revision is not None else "",
            "timing": timing,
            "required_labels": [c.role_label for c in candidates if c.required],
        },
    )


def _detail_context(request, meeting):  # type: ignore[no-untyped-def]
    student = meeting.student
    can_write = can(request.user, Need.WRITE, student)
    invitees = list(meeting.invitees.all())
    guardians = actions.rights_holders(student) if can_write else []
    excusable = [
        i
        for i in invitees
        if i.required and i.role in EXCUSABLE_ROLES and not hasattr(i, "excusal")
    ]
    versions = list(
        PlanVersion.objects.filter(plan__student=student)
        .select_related("plan")
        .order_by("-created_at")[:20]
    )
    decisions = list(EligibilityDecision.objects.filter(student=student).order_by("-pk")[:10])
    owners = [i.staff for i in invitees if i.staff_id]
    return {
        "student": student,
        "meeting": meeting,
        "tz": _zone(student),
        "can_write": can_write,
        "invitees": invitees,
        "options": list(meeting.time_options.all()),
        "conflicts": queries.conflicts_of(meeting) if meeting.is_open else [],
        "notices": list(meeting.notices.select_related("guardian")),
        "next_steps": list(meeting.next_steps.select_related("owner__user")),
        "mails_waiting": meeting.mails.filter(status="queued").count(),
        "excusal_form": ExcusalForm(invitees=excusable, guardians=guardians) if excusable else None,
        "record_form": RecordForm(
            invitees=invitees,
            versions=versions,
            decisions=decisions,
            owners=owners,
            initial={
                "notes": meeting.notes,
                "decisions": meeting.decisions,
                "parent_input": meeting.parent_input,
                **{
                    f"came_{i.pk}": ("yes" if i.attended else "no")
                    for i in invitees
                    if i.attended is not None
                },
                **{f"how_{i.pk}": i.attended_how for i in invitees if i.attended_how},
            },
        ),
        "reschedule_form": RescheduleForm(zone=_zone(student)),
        "cancel_form": CancelForm(),
        "started": meeting.starts_at <= timezone.now(),
        "asked_times": [(i, p) for i in invitees for p in i.proposed_times],
    }


def _render_detail(request, meeting, **forms):  # type: ignore[no-untyped-def]
    context = _detail_context(request, meeting)
    context.update(forms)
    return render(request, "meetings/detail.html", context, status=400 if forms else 200)


@login_required
@require_GET
def meeting_detail(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id)
    if queries.guardian_invitee(request.user, meeting) is not None and not can(
        request.user, Need.WRITE, meeting.student
    ):
        # Families answer and read on their own plain-language page.
        return redirect("meeting_respond", meeting_id=meeting.public_id)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def meeting_excuse(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, need=Need.WRITE, action=None)
    invitees = [
        i
        for i in meeting.invitees.all()
        if i.required and i.role in EXCUSABLE_ROLES and not hasattr(i, "excusal")
    ]
    form = ExcusalForm(
        request.POST, invitees=invitees, guardians=actions.rights_holders(meeting.student)
    )
    if form.is_valid():
        try:
            actions.record_excusal(
                actor=request.user,
                meeting=meeting,
                invitee=form.invitee_map[form.cleaned_data["invitee"]],
                kind=form.cleaned_data["kind"],
                parent=form.guardian_map[form.cleaned_data["parent"]],
                parent_agreed_on=form.cleaned_data["parent_agreed_on"],
                district_agreed_on=form.cleaned_data["district_agreed_on"],
                member_input=form.cleaned_data.get("member_input", ""),
                member_input_on=form.cleaned_data.get("member_input_on"),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The excusal was recorded."))
            return redirect("meeting_detail", meeting_id=meeting.public_id)
    return _render_detail(request, meeting, excusal_form=form)


@login_required
@require_POST
def meeting_record(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, need=Need.WRITE, action=None)
    context = _detail_context(request, meeting)
    blank = context["record_form"]
    form = RecordForm(
        request.POST,
        invitees=blank.invitees,
        versions=list(blank.version_map.values()),
        decisions=list(blank.decision_map.values()),
        owners=list(blank.owner_map.values()),
    )
    if form.is_valid():
        outcome = actions.Outcome(
            notes=form.cleaned_data.get("notes", ""),
            decisions=form.cleaned_data.get("decisions", ""),
            parent_input=form.cleaned_data.get("parent_input", ""),
            absence_reason=form.cleaned_data.get("absence_reason", ""),
            plan_version=form.version_map.get(form.cleaned_data.get("plan_version") or ""),
            eligibility=form.decision_map.get(form.cleaned_data.get("eligibility") or ""),
            attendance=form.attendance(),
            next_steps=form.steps(),
        )
        try:
            actions.mark_held(
                actor=request.user,
                meeting=meeting,
                outcome=outcome,
                share_minutes_now=form.cleaned_data.get("share_minutes", False),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The meeting is recorded as held."))
            return redirect("meeting_detail", meeting_id=meeting.public_id)
    context["record_form"] = form
    return render(request, "meetings/detail.html", context, status=400)


@login_required
@require_POST
def meeting_share_minutes(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, need=Need.WRITE, action=None)
    try:
        actions.share_minutes(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes were shared with the team and the family."))
    return redirect("meeting_detail", meeting_id=meeting.public_id)


@login_required
@require_POST
def meeting_reschedule(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, need=Need.WRITE, action=None)
    form = RescheduleForm(request.POST, zone=_zone(meeting.student))
    if form.is_valid():
        try:
            actions.reschedule(actor=request.user, meeting=meeting, time=form.time())
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The meeting was moved and an updated notice was sent."))
            return redirect("meeting_detail", meeting_id=meeting.public_id)
    return _render_detail(request, meeting, reschedule_form=form)


@login_required
@require_POST
def meeting_cancel(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, need=Need.WRITE, action=None)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            actions.cancel_meeting(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The meeting was cancelled and the invitees were told."))
            return redirect("meeting_detail", meeting_id=meeting.public_id)
    return _render_detail(request, meeting, cancel_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_respond(request, meeting_id):  # type: ignore[no-untyped-def]
    """The family's page: what, when, where, who; accept, or ask for another time."""
    meeting = queries.access_meeting(
        request.user, meeting_id, action="meeting.viewed" if request.method == "GET" else None
    )
    invitee = queries.guardian_invitee(request.user, meeting)
    if invitee is None and request.method == "POST":
        raise PermissionDenied
    options = list(meeting.time_options.all())
    zone = _zone(meeting.student)
    form = RespondForm(request.POST or None, options=options, zone=zone)
    if request.method == "POST" and form.is_valid():
        try:
            actions.respond(
                actor=request.user,
                meeting=meeting,
                answer=form.cleaned_data["answer"],
                option=form.option_map.get(form.cleaned_data.get("option") or "")
                or (options[0] if len(options) == 1 else None),
                proposed=form.proposed(),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("Thank you. We saved your answer and told the team."))
            return redirect("meeting_respond", meeting_id=meeting.public_id)
    try:
        from tandem.communication.deliveries import mark_opened

        mark_opened(request.user, request.path)
    except ImportError:
        pass
    return render(
        request,
        "meetings/respond.html",
        {
            "meeting": meeting,
            "student": meeting.student,
            "invitee": invitee,
            "invitees": list(meeting.invitees.all()),
            "options": options,
            "form": form,
            "tz": zone,
            "language": notices.language_of(invitee.guardian if invitee else None),
            "next_steps": list(meeting.next_steps.select_related("owner__user")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def meeting_ics(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, action="meeting.ics_downloaded")
    language = request.user.preferred_language or "en"
    response = HttpResponse(
        notices.meeting_ics(meeting, language=language), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.public_id}.ics"'
    return response


def _language(request, meeting) -> str:  # type: ignore[no-untyped-def]
    requested = request.GET.get("lang")
    if requested in notices.LANGUAGES:
        return requested
    rights = actions.rights_holders(meeting.student)
    return notices.language_of(rights[0] if rights else None)


@login_required
@require_GET
def meeting_notice_pdf(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, action="meeting.notice_viewed")
    language = _language(request, meeting)
    _mark_opened(request)
    return pdf_response(
        notices.pdf_of(notices.notice_html(meeting, language)), f"meeting-notice-{language}.pdf"
    )


@login_required
@require_GET
def meeting_minutes_pdf(request, meeting_id):  # type: ignore[no-untyped-def]
    meeting = queries.access_meeting(request.user, meeting_id, action="meeting.minutes_viewed")
    if meeting.status != MeetingStatus.HELD:
        raise Http404
    language = _language(request, meeting)
    _mark_opened(request)
    return pdf_response(
        notices.pdf_of(notices.minutes_html(meeting, language)), f"meeting-minutes-{language}.pdf"
    )


def _mark_opened(request) -> None:  # type: ignore[no-untyped-def]
    try:
        from tandem.communication.deliveries import mark_opened
    except ImportError:
        return
    mark_opened(request.user, request.path)
