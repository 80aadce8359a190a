"""Parent portal pages (/family/), and the staff's pages for paper service and invitations."""

from django.urls import path

from tandem.portal import views, views_majority

urlpatterns: list = [
    path("family/", views.portal_home, name="portal_home"),
    path("family/rights/", views.portal_safeguards, name="portal_safeguards"),
    path("family/children/<uuid:student_id>/", views.portal_child, name="portal_child"),
    path(
        "family/children/<uuid:student_id>/services/",
        views.portal_services,
        name="portal_services",
    ),
    path("family/children/<uuid:student_id>/open/", views.portal_open, name="portal_open"),
    path("family/consents/<uuid:consent_id>/sign/", views.portal_sign, name="portal_sign"),
    path("family/signatures/<uuid:signature_id>/", views.portal_signed, name="portal_signed"),
    path(
        "family/signatures/<uuid:signature_id>/pdf/",
        views.portal_signature_pdf,
        name="portal_signature_pdf",
    ),
    # Staff
    path("students/<uuid:student_id>/family-portal/", views.portal_family, name="portal_family"),
    path(
        "students/<uuid:student_id>/guardians/<uuid:guardian_id>/invite/",
        views.portal_invite,
        name="portal_invite",
    ),
    path(
        "students/<uuid:student_id>/rights-at-majority/",
        views_majority.portal_rights_transfer,
        name="portal_rights_transfer",
    ),
    path(
        "consents/<uuid:consent_id>/paper-signature/",
        views.portal_paper_signature,
        name="portal_paper_signature",
    ),
    path(
        "consents/<uuid:consent_id>/print/", views.portal_consent_print, name="portal_consent_print"
    ),
]
