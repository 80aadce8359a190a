"""Referral, case review, prior written notice and consent pages."""

from django.urls import path

from tandem.referrals import views_intake as views

urlpatterns = [
    path("students/<str:public_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<str:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<str:referral_id>/case-review/", views.case_review, name="case_review"),
    path("referrals/<str:referral_id>/notices/new/", views.notice_new, name="notice_new"),
    path("notices/<str:notice_id>/", views.notice_detail, name="notice_detail"),
    path("notices/<str:notice_id>/pdf/", views.notice_pdf, name="notice_pdf"),
    path(
        "referrals/<str:referral_id>/consents/new/",
        views.consent_request,
        name="consent_request",
    ),
    path("consents/<str:consent_id>/answer/", views.consent_response, name="consent_response"),
    path("consents/<str:consent_id>/document/", views.consent_document, name="consent_document"),
    path("evidence/<str:evidence_id>/download/", views.evidence_download, name="evidence_download"),
]
