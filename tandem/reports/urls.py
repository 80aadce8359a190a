"""Progress reports pages."""

from django.urls import path

from tandem.reports import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/batches/", views.report_batch_new, name="report_batch_new"),
    path("reports/batches/<uuid:batch_id>/", views.report_batch, name="report_batch"),
    path("reports/<uuid:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:report_id>/issue/", views.report_issue, name="report_issue"),
    path("reports/<uuid:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("students/<uuid:student_id>/reports/new/", views.report_draft, name="report_draft"),
]
