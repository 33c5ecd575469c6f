"""Console pages for regions' own domains (saas.urls_public, under /domain/)."""

from django.urls import path

from tenants import views_domains

app_name = "custom-domains"

urlpatterns = [
    path("", views_domains.domain_list, name="list"),
    path("tambah/", views_domains.domain_request, name="request"),
    path("<int:pk>/periksa/", views_domains.domain_verify, name="verify"),
    path("<int:pk>/hapus/", views_domains.domain_remove, name="remove"),
]
