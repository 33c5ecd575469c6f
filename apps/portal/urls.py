"""Portal pages on a region's host (saas.urls_tenant, under /portal/)."""

from django.urls import path

from apps.portal import views

urlpatterns = [
    path("", views.portal_home, name="portal-home"),
    path("terbitkan/", views.portal_publish, name="portal-publish"),
    path("rantai-audit/", views.portal_audit, name="portal-audit"),
    path("harga/", views.portal_prices, name="portal-prices"),
    path("harga/<int:daerah>/<str:kode>/", views.portal_price_drill, name="portal-price-drill"),
    path("<str:jenis>/<int:tahun>/", views.portal_document, name="portal-document"),
    path(
        "<str:jenis>/<int:tahun>/unduh.xlsx",
        views.portal_download_xlsx,
        name="portal-download-xlsx",
    ),
    path(
        "<str:jenis>/<int:tahun>/<str:tabel>.csv",
        views.portal_download_csv,
        name="portal-download-csv",
    ),
]
