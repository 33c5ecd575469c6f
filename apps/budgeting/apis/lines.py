"""RKA lines: list, add, read, change, delete (OPD operators, own OPD only)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.access.drf import region_roles
from apps.budgeting import roles
from apps.budgeting.apis._common import YearQuery, line_out, version_for
from apps.budgeting.models import Rincian
from apps.budgeting.services.lines import LineInput, line_create, line_delete, line_update
from saas.api import Pagination, ValidatedQueryMixin

LinePermission = region_roles(*roles.DRAFTERS, read=roles.BUDGET_READERS, opd_field="opd_code")


class LineInputSerializer(serializers.Serializer[Any]):
    """Codes and volumes as text; a `harga` sent is passed on only to be refused by name."""

    plan_entry = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    rekening = serializers.CharField(max_length=40)
    standar_harga = serializers.CharField(max_length=40)
    volume_1 = serializers.CharField(max_length=30)
    satuan_1 = serializers.CharField(max_length=40)
    volume_2 = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    satuan_2 = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    volume_3 = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    satuan_3 = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    volume_4 = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    satuan_4 = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    ppn = serializers.BooleanField(required=False, default=False)
    sumber_dana = serializers.CharField(max_length=40)
    lokasi = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    harga = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="Tidak dapat diisi: harga satuan diambil dari standar harga.",
    )


class LineCreateSerializer(LineInputSerializer):
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)


def line_input(request: Request, serializer: type[LineInputSerializer]) -> dict[str, Any]:
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class LineListApi(ValidatedQueryMixin, generics.GenericAPIView):  # type: ignore[type-arg]
    """`GET ?tahun=&opd=&versi=` lists the lines of a version; `POST` adds one to the draft."""

    permission_classes = [LinePermission]
    pagination_class = Pagination
    query_serializer = YearQuery
    serializer_class = LineCreateSerializer

    @extend_schema(parameters=[YearQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = self.query()
        rows = Rincian.objects.filter(versi=version_for(query)).select_related(
            "rka__opd", "rekening", "sumber_dana"
        )
        if query.get("opd"):
            rows = rows.filter(rka__opd__kode=query["opd"])
        page = self.paginate_queryset(rows.order_by("id"))
        return self.get_paginated_response([line_out(r) for r in page or []])

    @extend_schema(request=LineCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        values = line_input(request, LineCreateSerializer)
        tahun = values.pop("tahun")
        made = line_create(actor=request.user, tahun=tahun, data=LineInput(**values))
        return Response(line_out(made), status=201)


class LineDetailApi(generics.GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [LinePermission]
    serializer_class = LineInputSerializer
    queryset = Rincian.objects.select_related(
        "rka__opd", "rka__versi__tahun", "rekening", "sumber_dana"
    )

    @extend_schema(operation_id="anggaran_rincian_detail", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return Response(line_out(self.get_object()))

    @extend_schema(request=LineInputSerializer, responses=OpenApiTypes.OBJECT)
    def put(self, request: Request, pk: int) -> Response:
        values = line_input(request, LineInputSerializer)
        made = line_update(actor=request.user, line=self.get_object(), data=LineInput(**values))
        return Response(line_out(made))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        line_delete(actor=request.user, line=self.get_object())
        return Response(status=204)
