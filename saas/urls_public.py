"""The console on the base domain."""

from django.urls import include, path

from tenants import views

urlpatterns = [
    path("", views.console_home, name="console-home"),
    path("i18n/", include("django.conf.urls.i18n")),
]
