"""Goal editor and goal bank pages."""

from django.urls import path

from tandem.goals import views

urlpatterns: list = [
    path("plans/<uuid:plan_id>/goals/new/", views.goal_add, name="goal_add"),
    path("plans/<uuid:plan_id>/goals/<uuid:goal_id>/", views.goal_edit, name="goal_edit"),
    path(
        "plans/<uuid:plan_id>/goals/<uuid:goal_id>/remove/", views.goal_remove, name="goal_remove"
    ),
    path(
        "plans/<uuid:plan_id>/goals/<uuid:goal_id>/save-template/",
        views.goal_save_template,
        name="goal_save_template",
    ),
    path("goals/check/", views.goal_check, name="goal_check"),
    path("accommodations/check/", views.accommodation_check, name="accommodation_check"),
    path("goal-bank/", views.goal_bank, name="goal_bank"),
    path("goal-bank/<uuid:template_id>/", views.goal_bank_use, name="goal_bank_use"),
    path(
        "goal-bank/<uuid:template_id>/delete/",
        views.goal_template_delete,
        name="goal_template_delete",
    ),
]
