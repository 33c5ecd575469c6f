"""Reference pages of a region, under /referensi/."""

from django.urls import path

from apps.reference import views

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
]
