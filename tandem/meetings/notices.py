"""The meeting notice (300.322(b)) and minutes in the parent's language, emails, and .ics files."""

from __future__ import annotations

import hashlib
import zoneinfo
from datetime import datetime
from typing import Any

import weasyprint
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from tandem.core import clock
from tandem.people.models import Guardian

from . import answer_links
from .models import (
    MailKind,
    Meeting,
    MeetingInvitee,
    MeetingMail,
    MeetingStatus,
    PlaceKind,
    Response,
)

LANGUAGES = ("en", "es")


def language_of(guardian: Guardian | None) -> str:
    language = guardian.preferred_language if guardian else "en"
    return language if language in LANGUAGES else "en"


def zone_of(meeting: Meeting) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(meeting.student.district.time_zone)


def local(meeting: Meeting, moment: datetime) -> datetime:
    return timezone.localtime(moment, zone_of(meeting))


def site(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def notice_title(meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return _("Meeting notice: %(kind)s for %(name)s") % {
            "kind": meeting.get_kind_display(),
            "name": meeting.student.first_name,
        }


def minutes_title(meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return _("Meeting minutes: %(kind)s for %(name)s") % {
            "kind": meeting.get_kind_display(),
            "name": meeting.student.first_name,
        }


def contact_of(meeting: Meeting) -> dict[str, str]:
    """Whom the family calls about the meeting: the organizer, with their phone, else the
    school's, and their email (a notice the parent cannot ask about is half a notice). Not
    their job title: it is the district's English, and the notice is in the parent's language."""
    organizer = meeting.organizer
    school = meeting.student.school
    school_phone = school.phone if school is not None else ""
    if organizer is None:
        return {"name": school.name if school else "", "phone": school_phone}
    user = organizer.user
    return {
        "name": (user.get_full_name() or user.email) if user else str(organizer),
        "phone": organizer.phone or school_phone,
        "email": user.email if user else "",
    }


def notice_date(meeting: Meeting) -> Any:
    """The notice's date: the day it was sent, in the district's zone (today until then)."""
    return local(meeting, meeting.notice_sent_at or clock.now()).date()


def document_context(meeting: Meeting, language: str) -> dict[str, Any]:
    invitees = list(meeting.invitees.all())
    return {
        "contact": contact_of(meeting),
        "notice_date": notice_date(meeting),
        "meeting": meeting,
        "student": meeting.student,
        "district": meeting.student.district,
        "tz": meeting.student.district.time_zone,
        "options": list(meeting.time_options.all()),
        "invitees": invitees,
        "attended": [i for i in invitees if i.attended],
        "absent": [i for i in invitees if i.attended is False],
        "next_steps": list(meeting.next_steps.select_related("owner__user")),
        "language": language,
        "respond_url": site(reverse("meeting_respond", args=[meeting.public_id])),
    }


def notice_html(meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return render_to_string("meetings/notice_pdf.html", document_context(meeting, language))


def minutes_html(meeting: Meeting, language: str) -> str:
    with translation.override(language):
        return render_to_string("meetings/minutes_pdf.html", document_context(meeting, language))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def notice_hash(meeting: Meeting, language: str) -> str:
    return _hash(notice_html(meeting, language))


def minutes_hash(meeting: Meeting, language: str) -> str:
    return _hash(minutes_html(meeting, language))


def pdf_of(html: str) -> bytes:
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)


# --- iCalendar --------------------------------------------------------------------------------


def _partstat(invitee: MeetingInvitee) -> str:
    return {
        Response.ACCEPTED: "ACCEPTED",
        Response.DECLINED: "DECLINED",
    }.get(invitee.response, "NEEDS-ACTION")


def meeting_ics(meeting: Meeting, *, language: str = "en", now: datetime | None = None) -> bytes:
    """One VEVENT for the meeting with every invitee as an attendee (RFC 5545, METHOD:REQUEST)."""
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", "-//Tandem//Meetings//EN")
        cal.add("version", "2.0")
        cancelled = meeting.status == MeetingStatus.CANCELLED
        cal.add("method", "CANCEL" if cancelled else "REQUEST")
        event = Event()
        event.add("uid", f"{meeting.public_id}@tandem")
        event.add("dtstamp", now or clock.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("sequence", meeting.sequence)
        event.add(
            "summary",
            _("%(kind)s meeting for %(name)s")
            % {"kind": meeting.get_kind_display(), "name": meeting.student.first_name},
        )
        event.add("location", f"{meeting.get_place_kind_display()}: {meeting.place_details}")
        if meeting.place_kind == PlaceKind.VIDEO and meeting.place_details.startswith(
            ("http://", "https://")
        ):
            event.add("url", meeting.place_details)
        description = [meeting.purpose or meeting.get_kind_display()]
        description.append(
            _("Answer or ask for another time: %(url)s")
            % {"url": site(reverse("meeting_respond", args=[meeting.public_id]))}
        )
        event.add("description", "\n".join(description))
        event.add(
            "status",
            "CANCELLED"
            if cancelled
            else "CONFIRMED"
            if meeting.status == MeetingStatus.SCHEDULED
            else "TENTATIVE",
        )
        organizer = meeting.organizer
        if organizer is not None:
            address = vCalAddress(f"mailto:{organizer.user.email}")
            address.params["cn"] = vText(str(organizer.user))
            event["organizer"] = address
        for invitee in meeting.invitees.all():
            email = invitee.contact_email
            if not email:
                continue
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params["cn"] = vText(invitee.display_name)
            attendee.params["role"] = vText(
                "REQ-PARTICIPANT" if invitee.required else "OPT-PARTICIPANT"
            )
            attendee.params["partstat"] = vText(_partstat(invitee))
            attendee.params["rsvp"] = vText("TRUE")
            event.add("attendee", attendee, encode=0)
        cal.add_component(event)
        return cal.to_ical()


# --- email ------------------------------------------------------------------------------------

_TEMPLATES = {
    MailKind.NOTICE: "notice",
    MailKind.INVITATION: "invitation",
    MailKind.REMINDER: "reminder",
    MailKind.MINUTES: "minutes",
    MailKind.UPDATE: "update",
}


def answer_link(invitee: MeetingInvitee | None) -> str:
    """For a parent without a portal account: the signed link to answer their own invitation
    (they could not sign in to the meeting's page); else ""."""
    if invitee is None or invitee.guardian_id is None or invitee.guardian.user_id is not None:
        return ""
    return site(reverse("meeting_answer_link", args=[answer_links.make_token(invitee)]))


def build_email(item: MeetingMail) -> mail.EmailMessage:
    """The email for one outbox row, in its language, with the .ics (and the notice PDF)."""
    meeting = item.meeting
    language = item.language if item.language in LANGUAGES else "en"
    name = _TEMPLATES[MailKind(item.kind)]
    context = {
        **document_context(meeting, language),
        "item": item,
        "invitee": item.invitee,
        "detail_url": site(reverse("meeting_detail", args=[meeting.public_id])),
        "ics_url": site(reverse("meeting_ics", args=[meeting.public_id])),
    }
    link = answer_link(item.invitee)
    if link:
        context["respond_url"] = link
    with translation.override(language):
        subject = " ".join(render_to_string(f"meetings/email/{name}_subject.txt", context).split())
        body = render_to_string(f"meetings/email/{name}.txt", context)
    message = mail.EmailMessage(subject=subject, body=body, to=[item.to])
    if item.kind in (MailKind.NOTICE, MailKind.INVITATION, MailKind.REMINDER, MailKind.UPDATE):
        message.attach(
            "meeting.ics",
            meeting_ics(meeting, language=language),
            "text/calendar; method="
            + ("CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"),
        )
    if item.kind == MailKind.NOTICE:
        message.attach(
            "meeting-notice.pdf", pdf_of(notice_html(meeting, language)), "application/pdf"
        )
    if item.kind == MailKind.MINUTES:
        message.attach(
            "meeting-minutes.pdf", pdf_of(minutes_html(meeting, language)), "application/pdf"
        )
    return message
