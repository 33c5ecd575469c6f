"""The console on the base domain."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tenants import views

urlpatterns = [
    path("", views.console_home, name="console-home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("provisioning.urls")),
    path("akun/", include("apps.accounts.urls_console")),
    path("akun/", include("allauth.urls")),
    path("api/akun/", include("apps.accounts.api_urls")),
    path("operasi/", include("operations.urls")),
    path("api/operations/", include("operations.api_urls")),
    path("domain/", include("tenants.urls_domains")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(urlconf="saas.urls_public"),
        name="api-schema",
    ),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
