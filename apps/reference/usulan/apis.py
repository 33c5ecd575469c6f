"""API of standard-price requests and item price history, under /api/reference/ (closed:
region_roles; OPD-bound roles reach only their own OPD's requests)."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import region_roles
from apps.accounts.models import Role
from apps.reference.models import PersetujuanHarga, StandarHarga, UsulanHarga
from apps.reference.usulan import selectors
from apps.reference.usulan.roles import DECIDERS, PROPOSERS, READERS
from apps.reference.usulan.services import (
    UsulanInput,
    usulan_harga_approve,
    usulan_harga_create,
    usulan_harga_reject,
)
from saas.api import Pagination, QueryParams, ValidatedQueryMixin

UsulanPermission = region_roles(*PROPOSERS, read=(*DECIDERS, *READERS))
DecidePermission = region_roles(*DECIDERS, read=(*PROPOSERS, *READERS))
HistoryPermission = region_roles(read=Role.values)


class UsulanQuery(QueryParams):
    status = serializers.ChoiceField(choices=UsulanHarga.Status.choices, required=False)
    jenis_usulan = serializers.ChoiceField(choices=UsulanHarga.Jenis.choices, required=False)
    opd = serializers.CharField(required=False, allow_blank=True, max_length=40)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class UsulanInputSerializer(serializers.Serializer[Any]):
    jenis_usulan = serializers.ChoiceField(choices=UsulanHarga.Jenis.choices)
    opd = serializers.CharField(max_length=40)
    alasan = serializers.CharField(max_length=4000)
    item = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    jenis_standar = serializers.CharField(
        max_length=4, required=False, allow_blank=True, default=""
    )
    kode = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    uraian = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    spesifikasi = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    satuan = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    harga = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    rekening = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=20
    )
    lampiran = serializers.FileField(required=False, allow_null=True, default=None)


class PersetujuanOutputSerializer(serializers.ModelSerializer[PersetujuanHarga]):
    class Meta:
        model = PersetujuanHarga
        fields = ["peran", "oleh_label", "catatan", "pada"]


class UsulanOutputSerializer(serializers.ModelSerializer[UsulanHarga]):
    opd = serializers.CharField(source="opd.kode")
    daftar = serializers.IntegerField(source="daftar_id")
    item = serializers.IntegerField(source="standar_harga_id", allow_null=True)
    rekening: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="kode"
    )
    persetujuan = PersetujuanOutputSerializer(many=True, read_only=True)
    lampiran = serializers.CharField(source="lampiran.name", default=None, allow_null=True)

    class Meta:
        model = UsulanHarga
        fields = [
            "id",
            "nomor",
            "jenis_usulan",
            "status",
            "opd",
            "daftar",
            "item",
            "jenis_standar",
            "kode",
            "uraian",
            "spesifikasi",
            "satuan",
            "harga",
            "harga_lama",
            "rekening",
            "alasan",
            "lampiran",
            "persetujuan",
            "diajukan_pada",
            "diputus_pada",
            "alasan_penolakan",
        ]


class UsulanListApi(ValidatedQueryMixin, generics.ListAPIView):  # type: ignore[type-arg]
    """`GET` the requests the caller may read (`?status=&jenis_usulan=&opd=&q=`); `POST` (JSON,
    or multipart with a `lampiran` document) proposes one for the caller's OPD."""

    permission_classes = [UsulanPermission]
    pagination_class = Pagination
    query_serializer = UsulanQuery
    serializer_class = UsulanOutputSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        query = self.query()
        return selectors.usulan_visible(
            user=self.request.user,
            status=query.get("status") or None,
            jenis_usulan=query.get("jenis_usulan") or None,
            opd=query.get("opd") or None,
            q=query.get("q") or None,
        )

    @extend_schema(request=UsulanInputSerializer, responses={201: UsulanOutputSerializer})
    def post(self, request: Request) -> Response:
        data = UsulanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lampiran = values.pop("lampiran", None)
        usulan = usulan_harga_create(
            actor=request.user, data=UsulanInput(**values), lampiran=lampiran
        )
        return Response(UsulanOutputSerializer(usulan).data, status=201)


class UsulanDetailApi(APIView):
    permission_classes = [UsulanPermission]

    @extend_schema(operation_id="reference_usulan_detail", responses=UsulanOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        usulan = get_object_or_404(selectors.usulan_visible(user=request.user), pk=pk)
        return Response(UsulanOutputSerializer(usulan).data)


class ApproveInput(serializers.Serializer[Any]):
    peran = serializers.ChoiceField(
        choices=PersetujuanHarga.Peran.choices, required=False, allow_blank=True
    )
    catatan = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class UsulanApproveApi(APIView):
    """BPKAD's or TAPD's approval (`peran` chooses for someone holding both); the second
    approval, by another person, puts the change into the price list in force."""

    permission_classes = [DecidePermission]

    @extend_schema(request=ApproveInput, responses={200: UsulanOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = ApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        usulan = get_object_or_404(UsulanHarga, pk=pk)
        usulan = usulan_harga_approve(
            actor=request.user,
            usulan=usulan,
            peran=data.validated_data.get("peran") or None,
            catatan=data.validated_data.get("catatan", ""),
        )
        fresh = selectors.usulan_visible(user=request.user).get(pk=usulan.pk)
        return Response(UsulanOutputSerializer(fresh).data)


class RejectInput(serializers.Serializer[Any]):
    alasan = serializers.CharField(max_length=4000)


class UsulanRejectApi(APIView):
    permission_classes = [DecidePermission]

    @extend_schema(request=RejectInput, responses={200: UsulanOutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = RejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        usulan = get_object_or_404(UsulanHarga, pk=pk)
        usulan_harga_reject(actor=request.user, usulan=usulan, **data.validated_data)
        fresh = selectors.usulan_visible(user=request.user).get(pk=usulan.pk)
        return Response(UsulanOutputSerializer(fresh).data)


class HistoryEntryOutputSerializer(serializers.Serializer[Any]):
    perubahan = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    harga_lama = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    harga_baru = serializers.DecimalField(max_digits=18, decimal_places=2)
    rekening = serializers.CharField(allow_null=True)
    berlaku_mulai = serializers.DateTimeField()
    usulan = serializers.CharField(allow_null=True)


class OtherListOutputSerializer(serializers.ModelSerializer[StandarHarga]):
    tahun = serializers.IntegerField(source="daftar.tahun")
    versi = serializers.IntegerField(source="daftar.versi")

    class Meta:
        model = StandarHarga
        fields = ["id", "tahun", "versi", "harga", "satuan"]


class RiwayatOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kode = serializers.CharField()
    nama = serializers.CharField()
    harga = serializers.DecimalField(max_digits=18, decimal_places=2)
    riwayat = HistoryEntryOutputSerializer(many=True)
    daftar_lain = OtherListOutputSerializer(many=True)


class RiwayatHargaApi(APIView):
    """One item's price history, oldest first, with the same code in the region's other lists."""

    permission_classes = [HistoryPermission]

    @extend_schema(responses=RiwayatOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        item = selectors.standar_harga_get(pk=pk)
        if item is None:
            raise Http404
        body = {
            "id": item.pk,
            "kode": item.kode,
            "nama": item.nama,
            "harga": item.harga,
            "riwayat": selectors.riwayat_harga(item=item),
            "daftar_lain": selectors.standar_harga_other_lists(item=item),
        }
        return Response(RiwayatOutputSerializer(body).data)
