"""Communication pages: notifications, preferences, the contact log and portal messages.

Thin views: the gatekeeper first (the contact log and the team's messages need
`Cap.LOG_CONTACTS`, a family's message `Cap.ACT_AS_FAMILY`), forms parse, the actions in
`actions.py` decide and write, `pages.py` builds what the templates show.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import audit
from tandem.access.capabilities import Cap, Tie
from tandem.access.gatekeepers import Owner, access_owned, refuse_unless
from tandem.access.policy import Access, student_access
from tandem.access.routes import Scope, writes
from tandem.audit.catalogue import Action
from tandem.communication import actions, pages, queries, timeline
from tandem.communication.deliveries import mark_opened
from tandem.communication.forms import MarkReadForm, MessageForm, PreferenceForm
from tandem.communication.models import ContactEntry
from tandem.communication.notify import preference_for
from tandem.core.handling import run_action

# A follow-up is done by the person who owns it, or a leader.
FOLLOW_UP_OWNER = Owner("follow_up_owner")

# --- notifications ------------------------------------------------------------------------------


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _mark_read(request)
    unread_only = request.GET.get("show") == "unread"
    rows = queries.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {"page": page, "show": request.GET.get("show", "")}
    return render(request, "communication/notifications.html", context)


def _mark_read(request: HttpRequest) -> HttpResponse:
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That notification was not found."))
        return redirect("notifications")
    one = form.cleaned_data["notification"]
    count = actions.mark_notifications_read(user=request.user, public_id=one)  # type: ignore[arg-type]
    target = form.cleaned_data["open"]
    if one and target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("notifications")


@require_GET
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the header, fetched by htmx so that pages pay no query for it."""
    count = queries.unread_notifications(request.user)
    return render(request, "communication/_badge.html", {"count": count})


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    pref = preference_for(request.user)
    initial = {
        "email_enabled": pref.email_enabled,
        "frequency": pref.frequency,
        "muted_kinds": pref.muted_kinds,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    save = lambda data: actions.save_preferences(user=request.user, **data)  # noqa: E731
    message = _("Your notification settings were saved.")
    if done := run_action(request, form, save, then="notification_settings", message=message):
        return done
    return render(request, "communication/notification_settings.html", {"form": form})


# --- communication log --------------------------------------------------------------------------


def _team_log(request: HttpRequest, student_id: UUID) -> Access:
    """The decision on the student; the contact log is the team's record, not a family page."""
    viewed = Action.COMMUNICATION__LOG_VIEWED if request.method == "GET" else None
    access = student_access(request.user, student_id, action=viewed)  # type: ignore[arg-type]
    if not access.ties - {Tie.RIGHTS_HOLDER}:
        raise Http404
    return access


@writes(Cap.LOG_CONTACTS)
@require_http_methods(["GET", "POST"])
def comm_log(request: HttpRequest, student_id: UUID) -> HttpResponse:
    access = _team_log(request, student_id)
    if request.method == "POST":
        return _add_contact(request, access)
    q, method = pages.log_filter(request.GET.get("q", ""), request.GET.get("method", ""))
    if request.GET.get("format") == "csv":
        audit.record(
            actor=request.user,
            action=Action.COMMUNICATION__LOG_EXPORTED,
            student=access.student,
            target=access.student,
            detail={"q": q, "method": method},
        )
        rows = queries.contacts(access.student, q=q, method=method)
        return pages.contact_log_csv(access.student, rows)
    context = pages.contact_log(access, q=q, method=method, form=None)
    return render(request, "communication/comm_log.html", context)


@writes(Cap.LOG_CONTACTS)
@require_POST
def follow_up_done(request: HttpRequest, contact_id: UUID) -> HttpResponse:
    """Mark a follow-up done: its owner (or a leader), from the home page or the log."""
    entry, access = access_owned(
        request.user,  # type: ignore[arg-type]
        ContactEntry.objects.select_related("student"),
        contact_id,
        need=Cap.LOG_CONTACTS,
        via="student",
        owner=FOLLOW_UP_OWNER,
    )
    try:
        actions.complete_follow_up(actor=request.user, entry=entry)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up is marked done."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("comm_log", args=[access.student.public_id])
    return redirect(back)


@require_GET
def family_timeline(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """Messages, logged contacts and documents sent, in one list: the team's view of what has
    passed between it and the family (`?kind=` narrows it to one)."""
    access = _team_log(request, student_id)
    kind = request.GET.get("kind", "")
    kind = kind if kind in timeline.KINDS else ""
    context = {
        "student": access.student,
        "access": access,
        "entries": timeline.timeline(access.student, kind=kind),
        "kind": kind,
    }
    return render(request, "communication/timeline.html", context)


def _add_contact(request: HttpRequest, access: Access) -> HttpResponse:
    refuse_unless(access, Cap.LOG_CONTACTS)
    student = access.student
    form = pages.contact_form(student, request.POST)
    add = lambda data: actions.add_contact(  # noqa: E731
        actor=request.user, student=student, **form.action_kwargs()
    )
    then = reverse("comm_log", args=[student.public_id])
    message = _("The contact was added to the log.")
    if done := run_action(request, form, add, then=then, message=message):
        return done
    context = pages.contact_log(access, q="", method="", form=form)
    return render(request, "communication/comm_log.html", context)


# --- portal messages ----------------------------------------------------------------------------


@writes(Cap.LOG_CONTACTS)
@require_http_methods(["GET", "POST"])
def message_thread(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """The student's thread; the team writes here (the family posts to `family_message`)."""
    if request.method == "POST":
        return _send(request, student_id, Cap.LOG_CONTACTS)
    viewed = Action.COMMUNICATION__THREAD_VIEWED
    access = student_access(request.user, student_id, action=viewed)  # type: ignore[arg-type]
    actions.mark_thread_read(reader=request.user, student=access.student)  # type: ignore[arg-type]
    if access.has(Cap.ACT_AS_FAMILY):
        mark_opened(request.user, request.path)
    context = pages.message_thread(access)
    return render(request, "communication/message_thread.html", context)


@writes(Cap.ACT_AS_FAMILY)
@require_POST
def family_message(request: HttpRequest, student_id: UUID) -> HttpResponse:
    """A parent holding the educational rights writes to the team."""
    return _send(request, student_id, Cap.ACT_AS_FAMILY)


def _send(request: HttpRequest, student_id: UUID, need: Cap) -> HttpResponse:
    access = student_access(request.user, student_id, need=need, action=None)  # type: ignore[arg-type]
    form = MessageForm(request.POST)
    send = lambda data: actions.send_message(  # noqa: E731
        actor=request.user, student=access.student, body=data["body"]
    )
    then = reverse("message_thread", args=[access.student.public_id])
    if done := run_action(request, form, send, then=then, message=_("Your message was sent.")):
        return done
    context = pages.message_thread(access, form)
    return render(request, "communication/message_thread.html", context)
