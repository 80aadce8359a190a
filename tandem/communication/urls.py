"""Communication pages."""

from django.urls import path

from tandem.communication import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/badge/", views.notification_badge, name="notification_badge"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("students/<uuid:student_id>/communication/", views.comm_log, name="comm_log"),
    path(
        "communication/follow-ups/<uuid:contact_id>/done/",
        views.follow_up_done,
        name="follow_up_done",
    ),
    path(
        "students/<uuid:student_id>/communication/timeline/",
        views.family_timeline,
        name="family_timeline",
    ),
    path("students/<uuid:student_id>/messages/", views.message_thread, name="message_thread"),
    path(
        "students/<uuid:student_id>/messages/family/",
        views.family_message,
        name="family_message",
    ),
]
