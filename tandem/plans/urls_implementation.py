"""The people who implement a plan: the teacher's page and the record of what was provided."""

from django.urls import path

from tandem.plans import views_implementation as views

urlpatterns: list = [
    path("implementation/", views.implementation_page, name="implementation"),
    path(
        "implementation/accommodations/<uuid:public_id>/provided/",
        views.record_provided,
        name="implementation_provided",
    ),
]
