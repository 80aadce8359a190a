"""Assessment plan, assessments, evaluation report, eligibility and its notice."""

from django.urls import path

from tandem.referrals import views_evaluation as views

urlpatterns = [
    path("referrals/<str:referral_id>/assessments/", views.assessment_plan, name="assessment_plan"),
    path("assessments/<str:assessment_id>/", views.assessment_complete, name="assessment_complete"),
    path(
        "assessments/<str:assessment_id>/reopen/",
        views.assessment_reopen,
        name="assessment_reopen",
    ),
    path("referrals/<str:referral_id>/report/", views.evaluation_report, name="evaluation_report"),
    path(
        "referrals/<str:referral_id>/eligibility/",
        views.eligibility_decide,
        name="eligibility_decide",
    ),
    path(
        "referrals/<str:referral_id>/eligibility/notice/",
        views.eligibility_notice,
        name="eligibility_notice",
    ),
    path(
        "referrals/<str:referral_id>/eligibility/notice/sent/",
        views.eligibility_notice_sent,
        name="eligibility_notice_sent",
    ),
    path(
        "referrals/<str:referral_id>/eligibility/notice/pdf/",
        views.eligibility_notice_pdf,
        name="eligibility_notice_pdf",
    ),
]
