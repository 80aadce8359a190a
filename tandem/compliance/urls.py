from django.urls import path

from tandem.compliance import views

urlpatterns = [
    path("deadlines/", views.deadline_list, name="deadline_list"),
    path("deadlines/export.csv", views.deadline_export, name="deadline_export"),
    path(
        "deadlines/export.xlsx",
        views.deadline_export,
        {"fmt": "xlsx"},
        name="deadline_export_xlsx",
    ),
]
