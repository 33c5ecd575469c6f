"""A region on its own subdomain."""

from django.urls import include, path

from tenants import views

urlpatterns = [
    path("", views.region_home, name="region-home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/audit/", include("apps.audit.urls")),
]
