"""The page a parent without an account opens from the meeting notice's email: the meeting as
the notice gives it, and their answer. No sign-in: the signed link (`answer_links`) names their
own invitation and opens nothing else. Every opening and every answer is audited, with the
invitation and "answer link" in place of a user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.core.handling import run_action

from . import actions_answers, notices, pages
from .answer_links import LinkExpired, invitee_for
from .models import MeetingInvitee


@login_not_required  # the link is the parent's key to this one page
@writes(Cap.ACT_AS_FAMILY)  # the family's answer, given by the parent the link names
@require_http_methods(["GET", "POST"])
def meeting_answer_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitee = invitee_for(token)
    except LinkExpired as expired:
        return _expired(request, expired.invitee)
    if invitee is None:
        raise Http404
    with translation.override(notices.language_of(invitee.guardian)):
        return _answer(request, token, invitee)


def _expired(request: HttpRequest, was: MeetingInvitee | None) -> HttpResponse:
    """410, in the parent's language, with the school's phone to ask for a new notice."""
    with translation.override(notices.language_of(was.guardian if was else None)):
        context = {"school": was.meeting.student.school if was else None}
        return render(request, "meetings/answer_link_expired.html", context, status=410)


def _answer(request: HttpRequest, token: str, invitee: MeetingInvitee) -> HttpResponse:
    """The meeting as the notice gives it and the answer form; the answer saved on POST."""
    meeting = invitee.meeting
    posted = request.method == "POST"
    form = pages.respond_form(meeting, request.POST if posted else None)
    answer = lambda _data: actions_answers.respond_by_link(  # noqa: E731
        invitee=invitee, **form.arguments()
    )
    message = _("Thank you. We saved your answer and told the team.")
    then = reverse("meeting_answer_link", args=[token])
    if done := run_action(request, form, answer, then=then, message=message):
        return done
    if not posted:
        audit.record(
            actor=None,
            action=Action.MEETING__VIEWED,
            student=meeting.student,
            target=meeting,
            detail={"via": "answer link", "invitee": invitee.pk},
        )
    context = pages.respond(meeting, None, form, invitee) | {"by_link": True}  # type: ignore[arg-type]
    status = 400 if form.errors else 200
    return render(request, "meetings/respond.html", context, status=status)
