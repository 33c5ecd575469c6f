"""A region on its own subdomain."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.api_urls import region_urlpatterns as region_api_urls
from tenants import views

urlpatterns = [
    path("", views.region_home, name="region-home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/audit/", include("apps.audit.urls")),
    path("api/reference/", include("apps.reference.urls")),
    path("akun/", include("apps.accounts.urls")),
    path("akun/", include("allauth.urls")),
    path("api/akun/", include(region_api_urls)),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(urlconf="saas.urls_tenant"),
        name="api-schema",
    ),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
