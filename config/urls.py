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
]

handler400 = "tandem.web.views.errors.bad_request"
handler403 = "tandem.web.views.errors.forbidden"
handler404 = "tandem.web.views.errors.not_found"
handler500 = "tandem.web.views.errors.server_error"
