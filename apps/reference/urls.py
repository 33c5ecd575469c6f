from django.urls import path

from apps.reference import apis

urlpatterns = [
    path("nomenklatur/", apis.NomenklaturListApi.as_view(), name="reference-nomenklatur"),
    path("sub-kegiatan/", apis.SubKegiatanListApi.as_view(), name="reference-sub-kegiatan"),
    path("rekening/", apis.RekeningListApi.as_view(), name="reference-rekening"),
    path("harga/", apis.StandarHargaListApi.as_view(), name="reference-harga"),
    path("izin/", apis.JenisIzinListApi.as_view(), name="reference-izin"),
    path("opd/", apis.PerangkatDaerahListApi.as_view(), name="reference-opd"),
    path("sumber-dana/", apis.SumberDanaListApi.as_view(), name="reference-sumber-dana"),
    path("pensiun/", apis.RetiredReferenceListApi.as_view(), name="reference-retired"),
]
