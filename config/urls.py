from django.contrib import admin
from django.urls import include, path

from tandem.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("tandem.web.urls")),
    path("", include("tandem.referrals.urls")),
    path("", include("tandem.compliance.urls")),
    path("", include("tandem.plans.urls")),
    path("", include("tandem.goals.urls")),
    path("", include("tandem.progress.urls")),
    path("", include("tandem.reports.urls")),
    path("", include("tandem.meetings.urls")),
    path("", include("tandem.communication.urls")),
    path("", include("tandem.revisions.urls")),
    path("", include("tandem.translations.urls")),
    path("", include("tandem.records.urls")),
    path("", include("tandem.portal.urls")),
    path("", include("tandem.interop.urls")),
    path("", include("tandem.services.urls")),
    path("", include("tandem.services.urls_director")),
]

handler400 = "tandem.web.views.errors.bad_request"
handler403 = "tandem.web.views.errors.forbidden"
handler404 = "tandem.web.views.errors.not_found"
handler500 = "tandem.web.views.errors.server_error"
