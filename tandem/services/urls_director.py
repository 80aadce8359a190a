"""The director's page of service minutes and its downloads."""

from django.urls import include, path

from tandem.services import director_views

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
    path("", include("tandem.services.urls_medicaid")),
]
