from django.urls import path

from apps.reference import apis
from apps.reference.usulan import apis as usulan_apis

urlpatterns = [
    path("nomenklatur/", apis.NomenklaturListApi.as_view(), name="reference-nomenklatur"),
    path("sub-kegiatan/", apis.SubKegiatanListApi.as_view(), name="reference-sub-kegiatan"),
    path("rekening/", apis.RekeningListApi.as_view(), name="reference-rekening"),
    path("harga/", apis.StandarHargaListApi.as_view(), name="reference-harga"),
    path("izin/", apis.JenisIzinListApi.as_view(), name="reference-izin"),
    path("opd/", apis.PerangkatDaerahListApi.as_view(), name="reference-opd"),
    path("sumber-dana/", apis.SumberDanaListApi.as_view(), name="reference-sumber-dana"),
    path("pensiun/", apis.RetiredReferenceListApi.as_view(), name="reference-retired"),
    path(
        "harga/<int:pk>/riwayat/",
        usulan_apis.RiwayatHargaApi.as_view(),
        name="reference-harga-riwayat",
    ),
    path("usulan/", usulan_apis.UsulanListApi.as_view(), name="reference-usulan"),
    path("usulan/<int:pk>/", usulan_apis.UsulanDetailApi.as_view(), name="reference-usulan-detail"),
    path(
        "usulan/<int:pk>/setujui/",
        usulan_apis.UsulanApproveApi.as_view(),
        name="reference-usulan-setujui",
    ),
    path(
        "usulan/<int:pk>/tolak/",
        usulan_apis.UsulanRejectApi.as_view(),
        name="reference-usulan-tolak",
    ),
]
