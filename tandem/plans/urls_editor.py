"""Plan editor pages: starting a draft, its sections, services, accommodations, finalizing."""

from django.urls import path

from tandem.plans import views_editor as views

urlpatterns: list = [
    path("students/<uuid:student_id>/plans/new/", views.plan_new, name="plan_new"),
    path("plans/<uuid:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path(
        "plans/<uuid:plan_id>/edit/sections/<str:key>/",
        views.plan_section_edit,
        name="plan_section_edit",
    ),
    path(
        "plans/<uuid:plan_id>/edit/sections/<str:key>/status/",
        views.plan_section_status,
        name="plan_section_status",
    ),
    path("plans/<uuid:plan_id>/edit/services/new/", views.service_add, name="plan_service_add"),
    path(
        "plans/<uuid:plan_id>/edit/services/<uuid:item_id>/",
        views.service_edit,
        name="plan_service_edit",
    ),
    path(
        "plans/<uuid:plan_id>/edit/services/<uuid:item_id>/remove/",
        views.service_remove,
        name="plan_service_remove",
    ),
    path(
        "plans/<uuid:plan_id>/edit/accommodations/new/",
        views.accommodation_add,
        name="plan_accommodation_add",
    ),
    path(
        "plans/<uuid:plan_id>/edit/accommodations/library/",
        views.accommodation_library,
        name="plan_accommodation_library",
    ),
    path(
        "plans/<uuid:plan_id>/edit/accommodations/<uuid:item_id>/",
        views.accommodation_edit,
        name="plan_accommodation_edit",
    ),
    path(
        "plans/<uuid:plan_id>/edit/accommodations/<uuid:item_id>/remove/",
        views.accommodation_remove,
        name="plan_accommodation_remove",
    ),
    path(
        "plans/<uuid:plan_id>/edit/consent/",
        views.plan_services_consent,
        name="plan_services_consent",
    ),
    path("plans/<uuid:plan_id>/edit/discard/", views.plan_discard, name="plan_discard"),
    path("plans/<uuid:plan_id>/edit/check/", views.plan_prefinalize, name="plan_prefinalize"),
    path("plans/<uuid:plan_id>/edit/finalize/", views.plan_finalize, name="plan_finalize"),
]
