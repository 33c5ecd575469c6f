"""Read-only list APIs of the region's reference data (`?q=` searches code prefix or name)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.reference import referencing, selectors
from apps.reference.models import (
    JenisIzin,
    Nomenklatur,
    PerangkatDaerah,
    Rekening,
    StandarHarga,
    SumberDana,
)
from saas.api import QueryParams, ValidatedQueryMixin


def _flag(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    return value.lower() in ("1", "true", "ya", "yes")


class ReferenceQuery(QueryParams):
    """Every filter the reference lists read: bounded strings (a NUL or overlong value is a 400)."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    tingkat = serializers.CharField(required=False, allow_blank=True, max_length=40)
    induk = serializers.CharField(required=False, allow_blank=True, max_length=60)
    jenis = serializers.CharField(required=False, allow_blank=True, max_length=40)
    rekening = serializers.CharField(required=False, allow_blank=True, max_length=60)
    sektor = serializers.CharField(required=False, allow_blank=True, max_length=100)
    berlaku = serializers.CharField(required=False, allow_blank=True, max_length=10)
    retired = serializers.CharField(required=False, allow_blank=True, max_length=10)


class _ReferenceListApi(ValidatedQueryMixin, generics.ListAPIView):  # type: ignore[type-arg]
    permission_classes = [IsAuthenticated]
    query_serializer = ReferenceQuery

    def param(self, name: str) -> str | None:
        value = self.query().get(name)
        return value.strip() if value else None

    @property
    def include_retired(self) -> bool:
        return bool(_flag(self.param("retired")))


class NomenklaturOutputSerializer(serializers.ModelSerializer[Nomenklatur]):
    """Every field of release 2027.1 too: SPM flag, jenis, tag, pelaksana, operational
    definition, the previous code of a renumbered item, special-autonomy group, and for a
    retired item its state and suggested successor (from the list's `successors` context)."""

    induk = serializers.CharField(source="induk.kode", default=None, allow_null=True)
    retired = serializers.BooleanField(read_only=True)
    pengganti = serializers.SerializerMethodField()

    class Meta:
        model = Nomenklatur
        fields = [
            "kode",
            "nama",
            "tingkat",
            "induk",
            "kode_lama",
            "kode_sebelumnya",
            "penunjang",
            "kinerja",
            "indikator",
            "satuan",
            "kekhususan",
            "spm",
            "jenis",
            "tag",
            "pelaksana",
            "definisi_operasional",
            "retired",
            "retired_at",
            "pengganti",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pengganti(self, item: Nomenklatur) -> str | None:
        """The suggested successor's code of a retired item (None for a current one)."""
        if not item.retired:
            return None
        successor = self.context.get("successors", {}).get(item.kode)
        return successor.kode if successor is not None else None


class NomenklaturListApi(_ReferenceListApi):
    """Planning nomenclature; `?tingkat=sub_kegiatan`, `?induk=<kode>`, `?q=`, `?retired=1`
    (retired items too, each with its suggested successor)."""

    serializer_class = NomenklaturOutputSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page's retired items' successors in three queries whatever the page size."""
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        items = list(rows or [])
        retired = [item.kode for item in items if item.retired]
        context = {
            **self.get_serializer_context(),
            "successors": selectors.nomenklatur_successors(kodes=retired),
        }
        data = self.get_serializer(items, many=True, context=context).data
        return self.get_paginated_response(data)

    def get_queryset(self) -> QuerySet[Nomenklatur]:
        return selectors.nomenklatur_list(
            q=self.param("q"),
            tingkat=self.param("tingkat"),
            induk=self.param("induk"),
            retired=self.include_retired,
        )


class SubKegiatanListApi(NomenklaturListApi):
    """Sub kegiatan only (the level budget lines hang off)."""

    def get_queryset(self) -> QuerySet[Nomenklatur]:
        return selectors.nomenklatur_list(
            q=self.param("q"),
            tingkat=Nomenklatur.Level.SUB_KEGIATAN,
            induk=self.param("induk"),
            retired=self.include_retired,
        )


class RekeningOutputSerializer(serializers.ModelSerializer[Rekening]):
    induk = serializers.CharField(source="induk.kode", default=None, allow_null=True)

    class Meta:
        model = Rekening
        fields = ["kode", "nama", "tingkat", "induk", "retired_at"]


class RekeningListApi(_ReferenceListApi):
    """Chart of accounts; `?tingkat=sub_rincian_objek`, `?q=5.1.02`."""

    serializer_class = RekeningOutputSerializer

    def get_queryset(self) -> QuerySet[Rekening]:
        return selectors.rekening_list(
            q=self.param("q"), tingkat=self.param("tingkat"), retired=self.include_retired
        )


class StandarHargaOutputSerializer(serializers.ModelSerializer[StandarHarga]):
    rekening: serializers.SlugRelatedField[Rekening] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="kode"
    )

    class Meta:
        model = StandarHarga
        fields = [
            "id",
            "daftar",
            "kode",
            "jenis",
            "nama",
            "spesifikasi",
            "satuan",
            "harga",
            "rekening",
            "ilustratif",
            "catatan",
            "tkdn",
            "retired_at",
        ]


class StandarHargaListApi(_ReferenceListApi):
    """Standard prices; `?jenis=SSH`, `?rekening=5.1.02.01.01.0024`, `?q=`."""

    serializer_class = StandarHargaOutputSerializer

    def get_queryset(self) -> QuerySet[StandarHarga]:
        return selectors.standar_harga_list(
            q=self.param("q"),
            jenis=self.param("jenis"),
            rekening=self.param("rekening"),
            retired=self.include_retired,
        )


class JenisIzinOutputSerializer(serializers.ModelSerializer[JenisIzin]):
    class Meta:
        model = JenisIzin
        fields = [
            "kode",
            "nama",
            "sektor",
            "persyaratan",
            "waktu_hari_kerja",
            "retribusi",
            "dasar_hukum",
            "berlaku",
            "digantikan_oleh",
            "standar_lengkap",
            "sumber",
            "retired_at",
        ]


class JenisIzinListApi(_ReferenceListApi):
    """Permit types; `?berlaku=1` current only, `?sektor=Kesehatan`, `?q=`."""

    serializer_class = JenisIzinOutputSerializer

    def get_queryset(self) -> QuerySet[JenisIzin]:
        return selectors.jenis_izin_list(
            q=self.param("q"),
            sektor=self.param("sektor"),
            berlaku=_flag(self.param("berlaku")),
            retired=self.include_retired,
        )


class PerangkatDaerahOutputSerializer(serializers.ModelSerializer[PerangkatDaerah]):
    induk = serializers.CharField(source="induk.kode", default=None, allow_null=True)
    bidang = serializers.ListField(
        child=serializers.CharField(), source="bidang_kode", read_only=True
    )

    class Meta:
        model = PerangkatDaerah
        fields = ["kode", "singkatan", "nama", "jenis", "induk", "bidang", "retired_at"]


class PerangkatDaerahListApi(_ReferenceListApi):
    serializer_class = PerangkatDaerahOutputSerializer

    def get_queryset(self) -> QuerySet[PerangkatDaerah]:
        return selectors.perangkat_daerah_list(q=self.param("q"), retired=self.include_retired)


class SumberDanaOutputSerializer(serializers.ModelSerializer[SumberDana]):
    induk = serializers.CharField(source="induk.kode", default=None, allow_null=True)

    class Meta:
        model = SumberDana
        fields = ["kode", "nama", "induk", "keterangan", "retired_at"]


class SumberDanaListApi(_ReferenceListApi):
    serializer_class = SumberDanaOutputSerializer

    def get_queryset(self) -> QuerySet[SumberDana]:
        return selectors.sumber_dana_list(q=self.param("q"), retired=self.include_retired)


class RetiredReferenceOutputSerializer(serializers.Serializer[Any]):
    sumber = serializers.CharField(source="source")
    baris = serializers.CharField(source="row")
    kode = serializers.CharField()
    nama = serializers.CharField()
    pengganti = serializers.CharField(source="successor.kode", default=None, allow_null=True)
    pengganti_nama = serializers.CharField(source="successor.nama", default=None, allow_null=True)


class RetiredReferenceListApi(ValidatedQueryMixin, generics.ListAPIView):  # type: ignore[type-arg]
    """What points to retired reference items in this region, with suggested successors
    (apps.reference.referencing); a paginated list like every other list here."""

    permission_classes = [IsAuthenticated]
    serializer_class = RetiredReferenceOutputSerializer

    def get_queryset(self) -> Any:
        self.query()
        return referencing.retired_references()
