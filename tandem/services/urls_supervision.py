"""Supervision of assistants: co-signing their sessions, and their supervision minutes."""

from django.urls import path

from tandem.services import views_supervision as views

urlpatterns = [
    path("services/cosign/", views.cosign_queue, name="cosign_queue"),
    path("services/supervision/", views.supervision, name="supervision"),
    path("services/supervision/record/", views.supervision_record, name="supervision_record"),
    path(
        "services/supervision/<uuid:log_id>/void/",
        views.supervision_void,
        name="supervision_void",
    ),
]
