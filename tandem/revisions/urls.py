"""Revision requests pages."""

from django.urls import path

from tandem.revisions import views

urlpatterns = [
    path(
        "students/<uuid:student_id>/revision-requests/new/",
        views.revision_new,
        name="revision_new",
    ),
    path("revision-requests/", views.revision_list, name="revision_list"),
    path("revision-requests/<uuid:revision_id>/", views.revision_detail, name="revision_detail"),
    path(
        "revision-requests/<uuid:revision_id>/amend/",
        views.revision_amend,
        name="revision_amend",
    ),
    path(
        "revision-requests/<uuid:revision_id>/meeting/",
        views.revision_meeting,
        name="revision_meeting",
    ),
]
