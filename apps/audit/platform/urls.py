"""Console pages of the platform audit log (saas.urls_public)."""

from django.urls import path

from apps.audit.platform import views

app_name = "platform_audit"

urlpatterns = [path("", views.platform_log, name="log")]
