"""Progress reports pages."""

from django.urls import path

from tandem.reports import federal_views, views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/batches/", views.report_batch_new, name="report_batch_new"),
    path("reports/batches/<uuid:batch_id>/", views.report_batch, name="report_batch"),
    path("reports/<uuid:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:report_id>/issue/", views.report_issue, name="report_issue"),
    path("reports/<uuid:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("students/<uuid:student_id>/reports/new/", views.report_draft, name="report_draft"),
    # IDEA section 618: the district's child count and exiting counts (federal_views.py).
    path("reports/federal/", federal_views.federal_reports, name="federal_reports"),
    path(
        "reports/federal/<uuid:district_id>/child-count/",
        federal_views.federal_child_count,
        name="federal_child_count",
    ),
    path(
        "reports/federal/<uuid:district_id>/child-count.csv",
        federal_views.federal_child_count_csv,
        name="federal_child_count_csv",
    ),
    path(
        "reports/federal/<uuid:district_id>/exiting/",
        federal_views.federal_exiting,
        name="federal_exiting",
    ),
    path(
        "reports/federal/<uuid:district_id>/exiting.csv",
        federal_views.federal_exiting_csv,
        name="federal_exiting_csv",
    ),
    path(
        "reports/federal/<uuid:district_id>/students/",
        federal_views.federal_students,
        name="federal_students",
    ),
]
