"""Records rights pages."""

from django.urls import path

from tandem.records import views

urlpatterns = [
    path("records/staff/", views.staff_with_access, name="records_staff"),
    path("records/requests/", views.requests_list, name="records_requests"),
    path(
        "records/requests/<uuid:request_id>/",
        views.request_answer,
        name="records_request_answer",
    ),
    path("students/<uuid:student_id>/records/", views.records_student, name="records_student"),
    path(
        "students/<uuid:student_id>/records/disclosures/new/",
        views.disclosure_new,
        name="disclosure_new",
    ),
    path(
        "students/<uuid:student_id>/records/requests/new/",
        views.request_new,
        name="records_request_new",
    ),
    path(
        "students/<uuid:student_id>/records/ask/",
        views.request_ask,
        name="records_request_ask",
    ),
]
