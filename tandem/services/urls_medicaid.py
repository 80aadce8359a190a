"""Medicaid pages: a student's consent to bill public insurance, and the district's export."""

from django.urls import path

from tandem.services import medicaid_views

urlpatterns = [
    path(
        "students/<uuid:public_id>/services/medicaid/",
        medicaid_views.medicaid_consent,
        name="medicaid_consent",
    ),
    path("services/medicaid/", medicaid_views.medicaid_export_page, name="medicaid_export"),
    path(
        "services/medicaid/billable.csv",
        medicaid_views.medicaid_export_csv,
        name="medicaid_export_csv",
    ),
    path(
        "services/medicaid/unbillable.csv",
        medicaid_views.medicaid_unbillable_csv,
        name="medicaid_unbillable_csv",
    ),
]
