"""Plan lifecycle pages: annual review, amendment, correction, exit and other transitions."""

from django.urls import path

from tandem.plans import views_lifecycle as views

urlpatterns: list = [
    path(
        "plans/<uuid:plan_id>/annual-review/",
        views.plan_annual_review,
        name="plan_annual_review",
    ),
    path("plans/<uuid:plan_id>/amend/", views.plan_amend, name="plan_amend"),
    path("plans/<uuid:plan_id>/correct/", views.plan_correct, name="plan_correct"),
    path("plans/<uuid:plan_id>/exit/", views.plan_exit, name="plan_exit"),
    path("plans/<uuid:plan_id>/transition/", views.plan_transition, name="plan_transition"),
]
