"""The console on the base domain."""

from django.urls import include, path

from apps.access.openapi import ApiDocsView, ApiSchemaView
from apps.portal.platform.urls import public_urlpatterns as portal_public
from apps.portal.platform.urls import staff_urlpatterns as portal_staff
from tenants import views

urlpatterns = [
    path("", views.console_home, name="console-home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("provisioning.urls")),
    path("akun/", include("apps.accounts.urls_console")),
    path("akun/", include("allauth.urls")),
    path("api/akun/", include("apps.accounts.api_urls")),
    path("operasi/", include("provisioning.console_urls")),
    path("api/operations/", include("provisioning.api_urls")),
    path("operasi/audit/", include("apps.audit.platform.urls")),
    path("domain/", include("tenants.urls_domains")),
    path("transparansi/", include(portal_public)),
    path("operasi/harga/", include(portal_staff)),
    path(
        "api/schema/",
        ApiSchemaView.as_view(urlconf="saas.urls_public"),
        name="api-schema",
    ),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = "saas.error_views.permission_denied"
handler404 = "saas.error_views.page_not_found"
handler500 = "saas.error_views.server_error"
