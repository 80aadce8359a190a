"""Service delivery pages."""

from django.urls import include, path

from tandem.services import views

urlpatterns = [
    path("services/log/", views.session_log, name="session_log"),
    path("students/<uuid:public_id>/services/", views.student_services, name="student_services"),
    path(
        "students/<uuid:public_id>/services/sessions/<uuid:session_id>/addendum/",
        views.session_addendum,
        name="session_addendum",
    ),
    path("", include("tandem.services.urls_providers")),
    path("", include("tandem.services.urls_supervision")),
]
