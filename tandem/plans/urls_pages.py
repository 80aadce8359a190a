"""Plan pages: the leaders' list of plans; the plan, its versions, comparisons and PDFs."""

from django.urls import path

from tandem.plans import views, views_list, views_pdf

urlpatterns: list = [
    path("plans/", views_list.plan_list, name="plan_list"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/pdf/", views_pdf.plan_pdf, name="plan_pdf"),
    path("plans/<uuid:plan_id>/pdf/retry/", views_pdf.plan_pdf_retry, name="plan_pdf_retry"),
    path("plans/<uuid:plan_id>/versions/", views.plan_versions, name="plan_versions"),
    path("plans/<uuid:plan_id>/versions/<int:number>/", views.plan_version, name="plan_version"),
    path(
        "plans/<uuid:plan_id>/versions/<int:number>/pdf/",
        views_pdf.plan_version_pdf,
        name="plan_version_pdf",
    ),
    path(
        "plans/<uuid:plan_id>/versions/<int:number>/pdf/retry/",
        views_pdf.plan_version_pdf_retry,
        name="plan_version_pdf_retry",
    ),
    path("plans/<uuid:plan_id>/compare/", views.plan_compare, name="plan_compare"),
]
