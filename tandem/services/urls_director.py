"""The director's page of service minutes and its downloads."""

from django.urls import include, path

from tandem.services import director_views, settings_views

urlpatterns = [
    path("services/director/", director_views.services_director, name="services_director"),
    path(
        "services/director.csv",
        director_views.services_director_csv,
        name="services_director_csv",
    ),
    path(
        "services/director.xlsx",
        director_views.services_director_xlsx,
        name="services_director_xlsx",
    ),
    path(
        "services/settings/", settings_views.service_settings_index, name="service_settings_index"
    ),
    path(
        "services/settings/<uuid:public_id>/",
        settings_views.service_settings,
        name="service_settings",
    ),
    path("", include("tandem.services.urls_medicaid")),
]
