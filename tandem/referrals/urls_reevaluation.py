"""Reevaluation pages: the rest of a reevaluation runs on the referral pages."""

from django.urls import path

from tandem.referrals import views_reevaluation as views

urlpatterns = [
    path(
        "students/<str:public_id>/reevaluations/new/",
        views.reevaluation_new,
        name="reevaluation_new",
    ),
    path(
        "deadlines/<str:deadline_id>/waiver/",
        views.reevaluation_waiver,
        name="reevaluation_waiver",
    ),
    path("consents/<str:consent_id>/attempts/", views.consent_attempts, name="consent_attempts"),
]
