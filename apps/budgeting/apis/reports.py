"""Read-only reports: the APBD summary, the consistency report, the revision comparison, a
line's trace to the plan and back, and lines using one standard price."""

from dataclasses import asdict
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import region_roles
from apps.budgeting import roles
from apps.budgeting.apis._common import RowSerializer, YearQuery, jsonable, version_for, year_of
from apps.budgeting.errors import BudgetNotFound
from apps.budgeting.models import Rincian, Versi
from apps.budgeting.selectors.consistency import consistency_report
from apps.budgeting.selectors.revision import revision_compare
from apps.budgeting.selectors.summary import lines_using_standard_price, version_summary
from apps.budgeting.selectors.trace import line_trace
from apps.budgeting.services._common import price_list_in_force
from apps.reference.models import StandarHarga
from saas.api import QueryParams, ValidatedQueryMixin

ReadPermission = region_roles(read=roles.BUDGET_READERS)


class SummaryApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=&versi=` the APBD balance and totals by urusan, OPD and account group."""

    permission_classes = [ReadPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(jsonable(asdict(version_summary(version_for(self.query())))))


class ConsistencyApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=&versi=` every line checked against plan, account, price, ceiling, lock."""

    permission_classes = [ReadPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(jsonable(consistency_report(version_for(self.query()))))


class CompareApi(APIView):
    """`GET` a revision's semula / menjadi / bertambah (berkurang) per line and totals."""

    permission_classes = [ReadPermission]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        version = get_object_or_404(Versi.objects.select_related("induk"), pk=pk)
        if version.induk_id is None:
            raise BudgetNotFound(_("Versi ini bukan perubahan anggaran."), field="versi")
        return Response(jsonable(revision_compare(version)))


class TraceApi(APIView):
    """`GET` a line's sub kegiatan, RKPD entry, sasaran and the proposals behind it."""

    permission_classes = [ReadPermission]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return Response(jsonable(line_trace(get_object_or_404(Rincian, pk=pk))))


class PriceQuery(QueryParams):
    tahun = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    kode = serializers.CharField(required=False, allow_blank=True, max_length=40)


class PriceUseApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=&kode=` enacted lines priced with one standard price."""

    permission_classes = [ReadPermission]
    query_serializer = PriceQuery

    @extend_schema(parameters=[PriceQuery], responses=RowSerializer(many=True))
    def get(self, request: Request) -> Response:
        query: dict[str, Any] = self.query()
        kode = query.get("kode") or ""
        rows = lines_using_standard_price(kode, year_of(query)) if kode else []
        return Response(jsonable(rows))


class ItemsQuery(QueryParams):
    tahun = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    rekening = serializers.CharField(required=False, allow_blank=True, max_length=40)


class ItemsApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=&rekening=` the standard prices of the list in force allowed on an account
    (what the RKA form offers; at most 500)."""

    permission_classes = [ReadPermission]
    query_serializer = ItemsQuery

    @extend_schema(parameters=[ItemsQuery], responses=RowSerializer(many=True))
    def get(self, request: Request) -> Response:
        query: dict[str, Any] = self.query()
        daftar = price_list_in_force(year_of(query))
        rows = StandarHarga.objects.filter(
            daftar=daftar, retired_at=None, rekening__kode=query.get("rekening") or ""
        ).order_by("kode")
        return Response(
            jsonable(list(rows.values("kode", "nama", "satuan", "harga", "jenis")[:500]))
        )
