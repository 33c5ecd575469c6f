"""RKPD/Renja entries, OPD ceilings, Renja review, totals and the consistency report."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import region_roles
from apps.accounts.models import Role
from apps.planning import roles
from apps.planning.apis._common import YearQuery, filters
from apps.planning.models import OpdCeiling, PlanEntry, RenjaReview
from apps.planning.selectors.consistency import consistency_report
from apps.planning.selectors.plan import INDICATORS, entry_row, plan_entries, plan_rows, totals
from apps.planning.services.plan import (
    EntryInput,
    ceiling_set,
    plan_entry_create,
    plan_entry_delete,
    plan_entry_update,
    renja_submit,
    renja_verify,
)
from saas.api import Pagination, ValidatedQueryMixin

EntryPermission = region_roles(*roles.PLAN_WRITERS, read=roles.PLAN_READERS, opd_field="opd_code")
ReadPermission = region_roles(read=roles.PLAN_READERS)
BappedaPermission = region_roles(*roles.BAPPEDA, read=roles.PLAN_READERS)


class EntryIndicatorSerializer(serializers.Serializer[Any]):
    """A further output indicator of an entry (the entry's own fields hold the first)."""

    uraian = serializers.CharField(max_length=2000)
    satuan = serializers.CharField(max_length=100)
    target = serializers.CharField(max_length=30)
    target_berikut = serializers.CharField(max_length=30)


class EntryInputSerializer(serializers.Serializer[Any]):
    """Codes and amounts as text: the service checks each and names the field it refuses."""

    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    sub_kegiatan = serializers.CharField(max_length=40)
    opd = serializers.CharField(max_length=64)
    kecamatan = serializers.CharField(max_length=13, required=False, allow_blank=True, default="")
    desa = serializers.CharField(max_length=13, required=False, allow_blank=True, default="")
    indikator = serializers.CharField(max_length=2000)
    satuan = serializers.CharField(max_length=100)
    target = serializers.CharField(max_length=30)
    target_berikut = serializers.CharField(max_length=30)
    pagu = serializers.CharField(max_length=30)
    pagu_berikut = serializers.CharField(max_length=30)
    sumber_dana = serializers.CharField(max_length=40)
    sasaran = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    program_prioritas = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2_147_483_647
    )
    rpjmd_sasaran = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2_147_483_647
    )
    renstra_sasaran = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2_147_483_647
    )
    indikator_lain = EntryIndicatorSerializer(many=True, required=False, allow_null=True)


LINKS = ("program_prioritas", "rpjmd_sasaran", "renstra_sasaran")


def entry_input(request: Request) -> EntryInput:
    """A link left out keeps what the entry has; a link sent as null (or 0) clears it. Further
    indicators left out (or null) are kept; an empty list removes them."""
    data = EntryInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = dict(data.validated_data)
    for name in LINKS:
        if name in values and values[name] is None:
            values[name] = 0
    if values.get("indikator_lain") is not None:
        values["indikator_lain"] = [dict(item) for item in values["indikator_lain"]]
    return EntryInput(**values)


class EntryListApi(ValidatedQueryMixin, generics.GenericAPIView):  # type: ignore[type-arg]
    """`GET ?tahun=&opd=&urusan=&program=` lists entries; `POST` adds one."""

    permission_classes = [EntryPermission]
    pagination_class = Pagination
    query_serializer = YearQuery
    serializer_class = EntryInputSerializer

    @extend_schema(parameters=[YearQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = self.query()
        rows = plan_entries(tahun=query.get("tahun") or 0, **filters(query))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([entry_row(e) for e in page or []])

    @extend_schema(request=EntryInputSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        entry = plan_entry_create(actor=request.user, data=entry_input(request))
        return Response(entry_row(entry), status=201)


class EntryDetailApi(generics.GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [EntryPermission]
    serializer_class = EntryInputSerializer
    queryset = PlanEntry.objects.select_related(
        "sub_kegiatan", "opd", "kecamatan", "desa", "sumber_dana"
    ).prefetch_related(INDICATORS)

    @extend_schema(operation_id="perencanaan_entri_detail", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return Response(entry_row(self.get_object()))

    @extend_schema(request=EntryInputSerializer, responses=OpenApiTypes.OBJECT)
    def put(self, request: Request, pk: int) -> Response:
        entry = plan_entry_update(
            actor=request.user, entry=self.get_object(), data=entry_input(request)
        )
        return Response(entry_row(entry))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        plan_entry_delete(actor=request.user, entry=self.get_object())
        return Response(status=204)


class TotalsApi(ValidatedQueryMixin, APIView):
    """Pagu totals per OPD, urusan, bidang and program, with the OPD ceilings."""

    permission_classes = [ReadPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = self.query()
        tahun = query.get("tahun") or 0
        sums = totals(plan_rows(tahun=tahun, **filters(query)))
        ceilings = OpdCeiling.objects.filter(tahun=tahun).select_related("opd")
        return Response(
            {
                "total": {k: {kk: str(v) for kk, v in d.items()} for k, d in sums.items()},
                "pagu_opd": {c.opd.kode: str(c.pagu) for c in ceilings},
            }
        )


class CeilingInputSerializer(serializers.Serializer[Any]):
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    opd = serializers.CharField(max_length=64)
    pagu = serializers.CharField(max_length=30)


class CeilingOutput(serializers.Serializer[Any]):
    opd = serializers.CharField()
    pagu = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=True)


class CeilingApi(ValidatedQueryMixin, APIView):
    permission_classes = [BappedaPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=CeilingOutput(many=True))
    def get(self, request: Request) -> Response:
        rows = OpdCeiling.objects.filter(tahun=self.query().get("tahun") or 0)
        return Response(
            [{"opd": c.opd.kode, "pagu": str(c.pagu)} for c in rows.select_related("opd")]
        )

    @extend_schema(request=CeilingInputSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = CeilingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ceiling = ceiling_set(actor=request.user, **data.validated_data)
        return Response({"opd": ceiling.opd.kode, "pagu": str(ceiling.pagu)}, status=201)


class RenjaSubmitInput(serializers.Serializer[Any]):
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    opd = serializers.CharField(max_length=64)


class RenjaSubmitApi(APIView):
    permission_classes = [region_roles(Role.KEPALA_OPD, read=roles.PLAN_READERS)]

    @extend_schema(request=RenjaSubmitInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = RenjaSubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = renja_submit(
            actor=request.user, tahun=data.validated_data["tahun"], opd=data.validated_data["opd"]
        )
        return Response({"id": review.pk, "status": review.status}, status=201)


class RenjaVerifyInput(serializers.Serializer[Any]):
    terima = serializers.BooleanField()
    catatan = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class RenjaVerifyApi(APIView):
    permission_classes = [BappedaPermission]

    @extend_schema(request=RenjaVerifyInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        data = RenjaVerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = renja_verify(
            actor=request.user,
            review=get_object_or_404(RenjaReview, pk=pk),
            accept=data.validated_data["terima"],
            catatan=data.validated_data["catatan"],
        )
        return Response({"id": review.pk, "status": review.status, "catatan": review.catatan})


class ConsistencyApi(ValidatedQueryMixin, APIView):
    permission_classes = [ReadPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(consistency_report(tahun=self.query().get("tahun") or 0))
