"""Reference pages of a region, under /referensi/."""

from django.urls import path

from apps.reference import views
from apps.reference.usulan import views as usulan_views

urlpatterns = [
    path("", views.nomenklatur_list, name="reference-page-nomenklatur"),
    path("nomenklatur/<str:kode>/", views.nomenklatur_detail, name="reference-page-item"),
    path(
        "sub-kegiatan/",
        views.nomenklatur_list,
        {"tingkat": "sub_kegiatan"},
        name="reference-page-sub-kegiatan",
    ),
    path("opd/", views.simple_list, {"kind": "opd"}, name="reference-page-opd"),
    path("sumber-dana/", views.simple_list, {"kind": "sumber-dana"}, name="reference-page-dana"),
    path("izin/", views.simple_list, {"kind": "izin"}, name="reference-page-izin"),
    path("rekening/", views.rekening_list, name="reference-page-rekening"),
    path("harga/", views.daftar_harga_list, name="reference-page-harga"),
    path("harga/<int:pk>/", views.daftar_harga_detail, name="reference-page-daftar"),
    path("pensiun/", views.retired_report, name="reference-page-retired"),
    path(
        "harga/item/<int:pk>/riwayat/",
        usulan_views.harga_riwayat,
        name="reference-page-harga-riwayat",
    ),
    path("usulan/", usulan_views.usulan_list, name="reference-page-usulan"),
    path("usulan/baru/", usulan_views.usulan_create, name="reference-page-usulan-baru"),
    path("usulan/<int:pk>/", usulan_views.usulan_detail, name="reference-page-usulan-detail"),
    path(
        "usulan/<int:pk>/setujui/",
        usulan_views.usulan_approve,
        name="reference-page-usulan-setujui",
    ),
    path("usulan/<int:pk>/tolak/", usulan_views.usulan_reject, name="reference-page-usulan-tolak"),
]
