"""Meetings pages."""

from django.urls import path

from tandem.meetings import views, views_answer_link

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("students/<uuid:student_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:meeting_id>/excusal/", views.meeting_excuse, name="meeting_excuse"),
    path("meetings/<uuid:meeting_id>/record/", views.meeting_record, name="meeting_record"),
    path(
        "meetings/<uuid:meeting_id>/minutes/share/",
        views.meeting_share_minutes,
        name="meeting_share_minutes",
    ),
    path(
        "meetings/<uuid:meeting_id>/reschedule/",
        views.meeting_reschedule,
        name="meeting_reschedule",
    ),
    path("meetings/<uuid:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:meeting_id>/answer/", views.meeting_respond, name="meeting_respond"),
    path(
        "meetings/answer/<str:token>/",
        views_answer_link.meeting_answer_link,
        name="meeting_answer_link",
    ),
    path("meetings/<uuid:meeting_id>/invite.ics", views.meeting_ics, name="meeting_ics"),
    path(
        "meetings/<uuid:meeting_id>/notice.pdf", views.meeting_notice_pdf, name="meeting_notice_pdf"
    ),
    path(
        "meetings/<uuid:meeting_id>/minutes.pdf",
        views.meeting_minutes_pdf,
        name="meeting_minutes_pdf",
    ),
]
