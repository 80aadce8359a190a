"""Progress monitoring pages."""

from django.urls import path

from tandem.progress import views

urlpatterns = [
    path("progress/collect/", views.progress_collect, name="progress_collect"),
    path("goals/<uuid:goal_id>/progress/", views.goal_progress, name="goal_progress"),
    path("progress/points/<uuid:point_id>/void/", views.point_void, name="point_void"),
    path("progress/points/<uuid:point_id>/correct/", views.point_correct, name="point_correct"),
]
