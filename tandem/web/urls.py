from django.contrib.auth import views as auth_views
from django.urls import path

from tandem.web.views import (
    account,
    api_tokens,
    audit,
    caseloads,
    classes,
    health,
    home,
    purpose,
    session,
    students,
    team,
    two_factor,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("session/time/", session.session_time, name="session_time"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="auth/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="auth/password_reset.html",
            email_template_name="auth/password_reset_email.txt",
            subject_template_name="auth/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="auth/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="auth/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="auth/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("language/", account.set_language, name="set_language"),
    path("students/", students.student_search, name="student_search"),
    path("students/<uuid:public_id>/", students.student_overview, name="student"),
    path("students/<uuid:public_id>/edit/", students.student_edit, name="student_edit"),
    path(
        "students/<uuid:public_id>/guardians/<uuid:guardian_id>/edit/",
        students.guardian_edit,
        name="guardian_edit",
    ),
    path("students/<uuid:public_id>/history/", students.student_history, name="student_history"),
    path("students/<uuid:public_id>/team/", team.student_team, name="student_team"),
    path(
        "students/<uuid:public_id>/team/case-manager/",
        team.team_case_manager,
        name="team_case_manager",
    ),
    path("students/<uuid:public_id>/team/members/", team.team_member_add, name="team_member_add"),
    path(
        "students/<uuid:public_id>/team/members/end/",
        team.team_member_end,
        name="team_member_end",
    ),
    path(
        "students/<uuid:public_id>/access-log/",
        students.student_access_log,
        name="student_access_log",
    ),
    path("audit/", audit.audit_log, name="audit_log"),
    path("caseloads/", caseloads.caseload_list, name="caseload_list"),
    path("classes/<uuid:public_id>/sheet/", classes.class_sheet_page, name="class_sheet"),
    path("login/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("account/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path("account/purpose/", purpose.purpose_of_access, name="access_purpose"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        api_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
    path("account/two-factor/staff/", two_factor.two_factor_staff, name="two_factor_staff"),
    path(
        "account/two-factor/staff/<uuid:public_id>/reset/",
        two_factor.two_factor_reset,
        name="two_factor_reset",
    ),
    path(
        "account/two-factor/districts/<uuid:public_id>/",
        two_factor.two_factor_district,
        name="two_factor_district",
    ),
]
