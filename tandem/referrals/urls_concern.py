"""A teacher's concern: raised, then accepted or declined."""

from django.urls import path

from tandem.referrals import views_concern as views

urlpatterns = [
    path("students/<str:public_id>/concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/", views.concerns_waiting, name="concerns_waiting"),
    path("referrals/<str:referral_id>/concern/", views.concern_review, name="concern_review"),
    path(
        "referrals/<str:referral_id>/concern/accept/", views.concern_accept, name="concern_accept"
    ),
    path(
        "referrals/<str:referral_id>/concern/decline/",
        views.concern_decline,
        name="concern_decline",
    ),
]
