"""A region on its own subdomain."""

from django.urls import include, path

from apps.access.openapi import ApiDocsView, ApiSchemaView
from apps.accounts.api_urls import region_urlpatterns as region_api_urls
from apps.licensing.urls import public_urlpatterns as licensing_public
from apps.licensing.urls import staff_urlpatterns as licensing_staff
from tenants import views

urlpatterns = [
    path("", views.region_home, name="region-home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/audit/", include("apps.audit.urls")),
    path("referensi/", include("apps.reference.page_urls")),
    path("api/reference/", include("apps.reference.urls")),
    path("api/berkas/", include("apps.files.api_urls")),
    path("perizinan/", include(licensing_staff)),
    path("layanan/", include(licensing_public)),
    path("api/perizinan/", include("apps.licensing.api_urls")),
    path("perencanaan/", include("apps.planning.urls")),
    path("api/perencanaan/", include("apps.planning.api_urls")),
    path("portal/", include("apps.portal.urls")),
    path("api/publik/v1/", include("apps.portal.api_urls")),
    path("anggaran/", include("apps.budgeting.urls")),
    path("api/anggaran/", include("apps.budgeting.api_urls")),
    path("akun/", include("apps.accounts.urls")),
    path("akun/", include("allauth.urls")),
    path("api/akun/", include(region_api_urls)),
    path(
        "api/schema/",
        ApiSchemaView.as_view(urlconf="saas.urls_tenant"),
        name="api-schema",
    ),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = "saas.error_views.permission_denied"
handler404 = "saas.error_views.page_not_found"
handler500 = "saas.error_views.server_error"
