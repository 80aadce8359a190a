"""Records rights pages."""

from django.urls import path

from tandem.records import views, views_notice, views_retention

urlpatterns = [
    path("records/staff/", views.staff_with_access, name="records_staff"),
    path("records/types-and-locations/", views.records_types, name="records_types"),
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
    # Retention and destruction (IDEA 300.624).
    path(
        "records/retention/settings/",
        views_retention.retention_settings_index,
        name="retention_settings_index",
    ),
    path(
        "records/retention/settings/<uuid:public_id>/",
        views_retention.retention_settings,
        name="retention_settings",
    ),
    path("records/retention/", views_retention.retention_due, name="retention_due"),
    path(
        "students/<uuid:student_id>/records/retention/",
        views_retention.retention_student,
        name="retention_student",
    ),
    path(
        "students/<uuid:student_id>/records/holds/new/",
        views_retention.records_hold_new,
        name="records_hold_new",
    ),
    path(
        "records/holds/<uuid:hold_id>/release/",
        views_retention.records_hold_release,
        name="records_hold_release",
    ),
    path(
        "records/destruction/<uuid:proposal_id>/",
        views_notice.destruction_notice,
        name="destruction_notice",
    ),
    path(
        "records/destruction/<uuid:proposal_id>/print/",
        views_notice.destruction_notice_print,
        name="destruction_notice_print",
    ),
    path(
        "records/destruction/<uuid:proposal_id>/paper-answer/",
        views_notice.destruction_paper_answer,
        name="destruction_paper_answer",
    ),
    path(
        "records/destruction/<uuid:proposal_id>/confirm/",
        views_retention.destruction_confirm,
        name="destruction_confirm",
    ),
]
