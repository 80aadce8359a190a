"""Providers' pages: profiles, licences to renew, the teletherapist's day, teletherapy consent."""

from django.urls import path

from tandem.services import providers_views as views

urlpatterns = [
    path("services/providers/licences/", views.provider_licences, name="provider_licences"),
    path("services/providers/<uuid:staff_id>/", views.provider_profile, name="provider_profile"),
    path(
        "services/providers/<uuid:staff_id>/edit/",
        views.provider_profile_edit,
        name="provider_profile_edit",
    ),
    path(
        "services/providers/<uuid:staff_id>/contracts/",
        views.provider_contract_add,
        name="provider_contract_add",
    ),
    path(
        "services/providers/<uuid:staff_id>/contracts/<uuid:contract_id>/end/",
        views.provider_contract_end,
        name="provider_contract_end",
    ),
    path("services/teletherapy/", views.teletherapy_day, name="teletherapy_day"),
    path(
        "students/<uuid:public_id>/services/teletherapy-consent/",
        views.teletherapy_consent,
        name="teletherapy_consent",
    ),
]
