"""The people who implement a plan: the teacher's page, the record of what was provided, and
"I have read this plan"."""

from django.urls import path

from tandem.plans import views_implementation as views

urlpatterns: list = [
    path("implementation/", views.implementation_page, name="implementation"),
    path(
        "implementation/accommodations/<uuid:public_id>/provided/",
        views.record_provided,
        name="implementation_provided",
    ),
    path("plans/<uuid:plan_id>/acknowledge/", views.plan_acknowledge, name="plan_acknowledge"),
]
