"""Translation pages."""

from django.urls import path

from tandem.translations import views

urlpatterns = [
    path(
        "plans/<uuid:plan_id>/translation/",
        views.translation_request,
        name="translation_request",
    ),
    path("translations/", views.translation_list, name="translation_list"),
    path(
        "translations/<uuid:translation_id>/",
        views.translation_detail,
        name="translation_detail",
    ),
    path(
        "translations/<uuid:translation_id>/assign/",
        views.translation_assign,
        name="translation_assign",
    ),
    path(
        "translations/<uuid:translation_id>/edit/",
        views.translation_edit,
        name="translation_edit",
    ),
    path(
        "translations/<uuid:translation_id>/review/",
        views.translation_review,
        name="translation_review",
    ),
    path(
        "translations/<uuid:translation_id>/publish/",
        views.translation_publish,
        name="translation_publish",
    ),
]
