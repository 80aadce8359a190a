"""Communication pages: notifications, preferences, the contact log and portal messages."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import Need, access_student, can, parse_public_id
from tandem.communication import actions, queries
from tandem.communication.forms import ContactForm, MessageForm, PreferenceForm
from tandem.communication.models import ContactMethod
from tandem.communication.notify import preference_for
from tandem.people.models import Student


def _student_or_denied(request, student_id, *, page: str, action: str | None):  # type: ignore[no-untyped-def]
    """The student through the policy; an unreachable one is a 404 logged as an access attempt."""
    try:
        return access_student(request.user, student_id, need=Need.READ, action=action)
    except Http404:
        try:
            key = parse_public_id(student_id)
        except Http404:
            key = None
        student = Student.objects.filter(public_id=key).first() if key else None
        audit.record(
            actor=request.user,
            action="access.denied",
            student=student,
            target=student,
            detail={"page": page, "asked_for": str(student_id)[:64], "method": request.method},
        )
        raise


# --- notifications ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):  # type: ignore[no-untyped-def]
    if request.method == "POST":
        one = request.POST.get("notification", "")
        if one:
            try:
                parse_public_id(one)
            except Http404:
                one = ""
                messages.error(request, _("That notification was not found."))
        count = actions.mark_notifications_read(user=request.user, public_id=one or None)
        if request.POST.get("open") and one:
            target = request.POST.get("open")
            if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
        if count:
            messages.success(request, _("Marked as read."))
        return redirect("notifications")
    rows = request.user.notifications.select_related("student").all()
    if request.GET.get("show") == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "communication/notifications.html",
        {"page": page, "show": request.GET.get("show", "")},
    )


@login_required
@require_GET
def notification_badge(request):  # type: ignore[no-untyped-def]
    """The unread count for the header, fetched by htmx so that pages pay no query for it."""
    return render(
        request,
        "communication/_badge.html",
        {"count": queries.unread_notifications(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):  # type: ignore[no-untyped-def]
    pref = preference_for(request.user)
    initial = {
        "email_enabled": pref.email_enabled,
        "frequency": pref.frequency,
        "muted_kinds": pref.muted_kinds,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_preferences(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notification_settings")
    return render(request, "communication/notification_settings.html", {"form": form})


# --- communication log --------------------------------------------------------------------------


def _owners(student: Student) -> list[User]:
    return sorted(actions._team_users(student), key=lambda u: (u.last_name, u.first_name))


@login_required
@require_http_methods(["GET", "POST"])
def comm_log(request, student_id):  # type: ignore[no-untyped-def]
    student = _student_or_denied(
        request,
        student_id,
        page="comm_log",
        action="communication.log_viewed" if request.method == "GET" else None,
    )
    if actions.is_family(request.user, student) and not can(request.user, Need.WRITE, student):
        raise Http404  # the contact log is the team's record, not a family page
    can_write = can(request.user, Need.WRITE, student)
    form = None
    if can_write:
        form = ContactForm(
            request.POST if request.method == "POST" else None,
            owners=_owners(student),
            initial={"contacted_on": timezone.localdate(), "language": "English"},
        )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():  # type: ignore[union-attr]
            try:
                actions.add_contact(actor=request.user, student=student, **form.action_kwargs())  # type: ignore[union-attr]
            except ValidationError as error:
                form.add_action_errors(error)  # type: ignore[union-attr]
            else:
                messages.success(request, _("The contact was added to the log."))
                return redirect("comm_log", student_id=student.public_id)
    q = request.GET.get("q", "").strip()[:200]
    method = request.GET.get("method", "")
    if method not in ContactMethod.values:
        method = ""
    rows = queries.contacts(student, q=q, method=method)
    if request.GET.get("format") == "csv":
        audit.record(
            actor=request.user,
            action="communication.log_exported",
            student=student,
            target=student,
            detail={"q": q, "method": method},
        )
        return _csv(student, rows)
    return render(
        request,
        "communication/comm_log.html",
        {
            "student": student,
            "rows": rows,
            "form": form,
            "can_write": can_write,
            "q": q,
            "method": method,
            "methods": ContactMethod.choices,
        },
    )


def _csv(student: Student, rows) -> HttpResponse:  # type: ignore[no-untyped-def]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="communication-log-{student.public_id}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("Staff member"),
            _("Family member"),
            _("Method"),
            _("Language"),
            _("Interpreter"),
            _("Summary"),
            _("Follow-up"),
            _("Follow-up by"),
            _("Follow-up owner"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.contacted_on.isoformat(),
                row.staff.get_full_name() or row.staff.email,
                row.family_member,
                row.get_method_display(),
                row.language,
                row.interpreter,
                _safe(row.summary),
                _safe(row.follow_up),
                row.follow_up_on.isoformat() if row.follow_up_on else "",
                (row.follow_up_owner.get_full_name() or row.follow_up_owner.email)
                if row.follow_up_owner
                else "",
            ]
        )
    return response


def _safe(text: str) -> str:
    """No spreadsheet formulas from free text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# --- portal messages ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def message_thread(request, student_id):  # type: ignore[no-untyped-def]
    student = _student_or_denied(
        request,
        student_id,
        page="message_thread",
        action="communication.thread_viewed" if request.method == "GET" else None,
    )
    family = actions.is_family(request.user, student)
    may_send = family or can(request.user, Need.WRITE, student)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_send:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.send_message(
                    actor=request.user, student=student, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, _("Your message was sent."))
                return redirect("message_thread", student_id=student.public_id)
    else:
        actions.mark_thread_read(reader=request.user, student=student)
        if family:
            from tandem.communication.deliveries import mark_opened

            mark_opened(request.user, request.path)
    thread = list(queries.thread(student))
    return render(
        request,
        "communication/message_thread.html",
        {
            "student": student,
            "thread": thread,
            "form": form,
            "may_send": may_send,
            "family": family,
            "show_receipts": not family,
        },
    )
