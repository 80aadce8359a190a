"""Plan pages: the plan, its versions, comparisons and PDFs."""

from django.urls import path

from tandem.plans import views

urlpatterns: list = [
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plans/<uuid:plan_id>/versions/", views.plan_versions, name="plan_versions"),
    path("plans/<uuid:plan_id>/versions/<int:number>/", views.plan_version, name="plan_version"),
    path(
        "plans/<uuid:plan_id>/versions/<int:number>/pdf/",
        views.plan_version_pdf,
        name="plan_version_pdf",
    ),
    path("plans/<uuid:plan_id>/compare/", views.plan_compare, name="plan_compare"),
]
