"""Progress monitoring pages."""

from django.urls import path

from tandem.progress import views

urlpatterns = [
    path("progress/collect/", views.progress_collect, name="progress_collect"),
    path("goals/<str:goal_id>/progress/", views.goal_progress, name="goal_progress"),
]
