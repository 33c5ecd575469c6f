"""The fiscal year, KUA-PPAS, revenue and financing, and the workflow: submit, verify, enact,
DPA, revisions."""

from typing import Any

from django.db.models import F
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
from apps.budgeting.errors import BudgetError
from apps.budgeting.models import Dpa, PaguOpd, PaguSubKegiatan, Rka, Versi
from apps.budgeting.selectors.rka import rka_board
from apps.budgeting.services import kua, workflow
from saas.api import QueryParams, ValidatedQueryMixin

ReadPermission = region_roles(read=roles.BUDGET_READERS)
TreasuryPermission = region_roles(*roles.TREASURY, read=roles.BUDGET_READERS)


class YearInput(serializers.Serializer[Any]):
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)


class YearOnlyQuery(QueryParams):
    tahun = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


def _valid(serializer: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def version_out(v: Versi) -> dict[str, Any]:
    return {
        "id": v.pk,
        "tahun": v.tahun.tahun,
        "jenis": v.jenis,
        "nomor": v.nomor,
        "label": v.label,
        "status": v.status,
        "induk": v.induk_id,
        "dasar_hukum": v.dasar_hukum,
        "digest": v.digest,
        "ditetapkan_pada": v.ditetapkan_pada.isoformat() if v.ditetapkan_pada else None,
    }


class VersionListApi(APIView):
    """`GET` every version of every year; `POST {tahun}` opens a year (TAPD/BPKAD)."""

    permission_classes = [TreasuryPermission]

    @extend_schema(responses=RowSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = Versi.objects.select_related("tahun").order_by("-tahun__tahun", "id")
        return Response([version_out(v) for v in rows])

    @extend_schema(request=YearInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        version = kua.year_open(actor=request.user, **_valid(YearInput, request))
        return Response(version_out(version), status=201)


class CeilingApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=` the KUA-PPAS ceilings; `POST {tahun}` takes them from the enacted RKPD."""

    permission_classes = [TreasuryPermission]
    query_serializer = YearOnlyQuery

    @extend_schema(parameters=[YearOnlyQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        tahun = year_of(self.query())
        opd = PaguOpd.objects.filter(tahun__tahun=tahun).values_list("opd__kode", "pagu")
        sub = PaguSubKegiatan.objects.filter(tahun__tahun=tahun).values_list(
            "plan_entry_id", "plan_entry__sub_kegiatan__kode", "pagu"
        )
        return Response(
            {
                "opd": [{"opd": k, "pagu": str(p)} for k, p in opd],
                "sub_kegiatan": [{"plan_entry": pk, "kode": k, "pagu": str(p)} for pk, k, p in sub],
            }
        )

    @extend_schema(request=YearInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        count = kua.ceilings_from_rkpd(actor=request.user, **_valid(YearInput, request))
        return Response({"sub_kegiatan": count}, status=201)


class CeilingOpdInput(YearInput):
    opd = serializers.CharField(max_length=64)
    pagu = serializers.CharField(max_length=30)


class CeilingOpdApi(APIView):
    permission_classes = [TreasuryPermission]

    @extend_schema(request=CeilingOpdInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        row = kua.ceiling_opd_set(actor=request.user, **_valid(CeilingOpdInput, request))
        return Response({"opd": row.opd.kode, "pagu": str(row.pagu)}, status=201)


class RevenueInput(YearInput):
    opd = serializers.CharField(max_length=64)
    rekening = serializers.CharField(max_length=40)
    jumlah = serializers.CharField(max_length=30)
    uraian = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RevenueApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=&versi=` revenue targets; `POST` adds one to the draft version."""

    permission_classes = [TreasuryPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=RowSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = version_for(self.query()).pendapatan.values(
            "id", "uraian", "jumlah", opd_kode=F("opd__kode"), rekening_kode=F("rekening__kode")
        )
        return Response(jsonable(list(rows)))

    @extend_schema(request=RevenueInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        row = kua.revenue_add(actor=request.user, **_valid(RevenueInput, request))
        return Response({"id": row.pk, "jumlah": str(row.jumlah)}, status=201)


class FinancingInput(YearInput):
    rekening = serializers.CharField(max_length=40)
    jumlah = serializers.CharField(max_length=30)
    uraian = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class FinancingApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=&versi=` financing rows; `POST` adds one to the draft version."""

    permission_classes = [TreasuryPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=RowSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = version_for(self.query()).pembiayaan.values(
            "id", "uraian", "jumlah", rekening_kode=F("rekening__kode")
        )
        return Response(jsonable(list(rows)))

    @extend_schema(request=FinancingInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        row = kua.financing_add(actor=request.user, **_valid(FinancingInput, request))
        return Response({"id": row.pk, "jumlah": str(row.jumlah)}, status=201)


class RkaBoardApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=&versi=` every RKA with its status and total (the TAPD board)."""

    permission_classes = [ReadPermission]
    query_serializer = YearQuery

    @extend_schema(parameters=[YearQuery], responses=RowSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(jsonable(rka_board(version_for(self.query()))))


class SubmitInput(YearInput):
    opd = serializers.CharField(max_length=64)


class SubmitApi(APIView):
    permission_classes = [region_roles(*roles.SUBMITTERS, read=roles.BUDGET_READERS)]

    @extend_schema(request=SubmitInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        count = workflow.rka_submit(actor=request.user, **_valid(SubmitInput, request))
        return Response({"diajukan": count}, status=201)


class VerifyInput(serializers.Serializer[Any]):
    terima = serializers.BooleanField()
    catatan = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    catatan_rincian = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True), required=False, default=dict
    )


class VerifyApi(APIView):
    permission_classes = [region_roles(*roles.VERIFIERS, read=roles.BUDGET_READERS)]

    @extend_schema(request=VerifyInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        data = _valid(VerifyInput, request)
        notes = {}
        for key, note in data["catatan_rincian"].items():
            if not str(key).isdigit() or len(str(key)) > 10:
                raise BudgetError(_("Nomor rincian tidak valid."), field="catatan_rincian")
            notes[int(key)] = note
        rka = workflow.rka_verify(
            actor=request.user,
            rka=get_object_or_404(Rka, pk=pk),
            accept=data["terima"],
            catatan=data["catatan"],
            catatan_rincian=notes,
        )
        return Response({"id": rka.pk, "status": rka.status, "catatan": rka.catatan})


class EnactInput(YearInput):
    dasar_hukum = serializers.CharField(max_length=300)


class EnactApi(APIView):
    permission_classes = [region_roles(*roles.ENACTORS, read=roles.BUDGET_READERS)]

    @extend_schema(request=EnactInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        version = workflow.budget_enact(actor=request.user, **_valid(EnactInput, request))
        return Response(version_out(version))


class DpaApi(ValidatedQueryMixin, APIView):
    """`GET ?tahun=` the DPA issued; `POST {tahun, opd}` issues one (BPKAD)."""

    permission_classes = [region_roles(*roles.ENACTORS, read=roles.BUDGET_READERS)]
    query_serializer = YearOnlyQuery

    @extend_schema(parameters=[YearOnlyQuery], responses=RowSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = Dpa.objects.filter(versi__tahun__tahun=year_of(self.query())).values(
            "id", "nomor", "jumlah", "versi_id", "diterbitkan_pada", opd_kode=F("opd__kode")
        )
        return Response(jsonable(list(rows)))

    @extend_schema(request=SubmitInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        dpa = workflow.dpa_issue(actor=request.user, **_valid(SubmitInput, request))
        return Response({"id": dpa.pk, "nomor": dpa.nomor, "jumlah": str(dpa.jumlah)}, status=201)


class RevisionInput(YearInput):
    jenis = serializers.ChoiceField(choices=[Versi.Jenis.PERGESERAN, Versi.Jenis.PERUBAHAN])


class RevisionApi(APIView):
    permission_classes = [TreasuryPermission]

    @extend_schema(request=RevisionInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        version = workflow.revision_create(actor=request.user, **_valid(RevisionInput, request))
        return Response(version_out(version), status=201)
