"""Plan lifecycle pages: annual review, amendment, correction, exit and other transitions."""

from django.urls import path

from tandem.plans import views_lifecycle as views

urlpatterns: list = [
    path(
        "plans/<str:plan_id>/annual-review/",
        views.plan_annual_review,
        name="plan_annual_review",
    ),
    path("plans/<str:plan_id>/amend/", views.plan_amend, name="plan_amend"),
    path("plans/<str:plan_id>/correct/", views.plan_correct, name="plan_correct"),
    path("plans/<str:plan_id>/exit/", views.plan_exit, name="plan_exit"),
    path("plans/<str:plan_id>/transition/", views.plan_transition, name="plan_transition"),
]
