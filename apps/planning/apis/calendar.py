"""Periods, stages (open, close), snapshots and diffs."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import region_roles
from apps.planning import roles
from apps.planning.apis._common import DiffQuery, YearQuery
from apps.planning.models import Period, Snapshot, Stage
from apps.planning.selectors.calendar import diff_between, stages_list
from apps.planning.services.calendar import period_create, stage_close, stage_create, stage_open
from saas.api import Pagination, ValidatedQueryMixin

CalendarPermission = region_roles(*roles.BAPPEDA, read=roles.PLAN_READERS)


class PeriodSerializer(serializers.ModelSerializer[Period]):
    class Meta:
        model = Period
        fields = ["id", "nama", "tahun_awal", "tahun_akhir"]
        read_only_fields = ["id", "tahun_akhir"]


class PeriodListApi(generics.ListCreateAPIView):  # type: ignore[type-arg]
    permission_classes = [CalendarPermission]
    serializer_class = PeriodSerializer
    pagination_class = Pagination
    queryset = Period.objects.order_by("-tahun_awal")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = period_create(actor=request.user, **data.validated_data)
        return Response(PeriodSerializer(period).data, status=201)


class StageSerializer(serializers.ModelSerializer[Stage]):
    nama = serializers.CharField(source="get_jenis_display", read_only=True, max_length=100)
    snapshot: serializers.PrimaryKeyRelatedField[Snapshot] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Stage
        fields = [
            "id",
            "period",
            "tahun",
            "jenis",
            "nama",
            "dibuka_pada",
            "ditutup_pada",
            "status",
            "snapshot",
        ]
        read_only_fields = ["id", "status", "snapshot"]
        validators: list[Any] = []


class StageListApi(ValidatedQueryMixin, generics.ListCreateAPIView):  # type: ignore[type-arg]
    permission_classes = [CalendarPermission]
    serializer_class = StageSerializer
    pagination_class = Pagination
    query_serializer = YearQuery

    def get_queryset(self) -> Any:
        return stages_list(tahun=self.query().get("tahun"))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        stage = stage_create(actor=request.user, **data.validated_data)
        return Response(StageSerializer(stage).data, status=201)


class StageOpenApi(APIView):
    permission_classes = [CalendarPermission]

    @extend_schema(request=None, responses=StageSerializer)
    def post(self, request: Request, pk: int) -> Response:
        stage = stage_open(actor=request.user, stage=get_object_or_404(Stage, pk=pk))
        return Response(StageSerializer(stage).data)


class StageCloseApi(APIView):
    permission_classes = [CalendarPermission]

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        snapshot = stage_close(actor=request.user, stage=get_object_or_404(Stage, pk=pk))
        return Response({"snapshot": snapshot.pk, "sha256": snapshot.sha256}, status=201)


class SnapshotSerializer(serializers.ModelSerializer[Snapshot]):
    tahap = serializers.CharField(source="stage.get_jenis_display", read_only=True, max_length=100)

    class Meta:
        model = Snapshot
        fields = ["id", "stage", "tahap", "tahun", "sha256", "dibuat_pada"]


class SnapshotListApi(generics.ListAPIView):  # type: ignore[type-arg]
    permission_classes = [CalendarPermission]
    serializer_class = SnapshotSerializer
    pagination_class = Pagination
    queryset = Snapshot.objects.select_related("stage").defer("isi").order_by("-id")


class SnapshotContentApi(APIView):
    """The frozen JSON text exactly as stored (its SHA-256 is in the audit chain)."""

    permission_classes = [CalendarPermission]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        snapshot = get_object_or_404(Snapshot, pk=pk)
        return Response({"id": snapshot.pk, "sha256": snapshot.sha256, "isi": snapshot.isi})


class DiffApi(ValidatedQueryMixin, APIView):
    """`?dari=<snapshot>` (default: the latest) against `?ke=<snapshot>`, or against the live
    plan without `ke`."""

    permission_classes = [CalendarPermission]
    query_serializer = DiffQuery

    @extend_schema(parameters=[DiffQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = self.query()
        return Response(diff_between(dari=query.get("dari"), ke=query.get("ke")))
