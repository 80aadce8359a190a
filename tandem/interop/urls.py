"""Roster import pages (district administrators)."""

from django.urls import path

from tandem.interop import views, views_export

urlpatterns = [
    path("district/rosters/", views.roster_imports, name="roster_imports"),
    path("district/records/", views.edfi_imports, name="edfi_imports"),
    path(
        "district/records/<uuid:district_id>/edfi.zip",
        views_export.edfi_export,
        name="edfi_export",
    ),
    path("district/rosters/<uuid:import_id>/", views.roster_import, name="roster_import"),
    path(
        "district/rosters/<uuid:import_id>/apply/",
        views.roster_import_apply,
        name="roster_import_apply",
    ),
    path(
        "district/rosters/<uuid:import_id>/problems.csv",
        views.roster_import_problems,
        name="roster_import_problems",
    ),
]
