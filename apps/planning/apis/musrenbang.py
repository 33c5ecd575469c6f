"""Musrenbang proposals, forum recommendations, attaching to the RKPD, and public tracking."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import public_api, region_roles
from apps.planning import roles
from apps.planning.apis._common import YearQuery
from apps.planning.apis.plan import EntryInputSerializer
from apps.planning.models import PlanEntry, Proposal, Recommendation
from apps.planning.selectors.musrenbang import proposal_public, proposal_row, proposals_visible
from apps.planning.services.musrenbang import proposal_attach, proposal_create, proposal_recommend
from apps.planning.services.plan import EntryInput
from saas.api import Pagination, ValidatedQueryMixin

ProposalPermission = region_roles(*roles.PROPOSAL_WRITERS, read=roles.PLAN_READERS)
RecommendPermission = region_roles(*roles.RECOMMENDERS, read=roles.PLAN_READERS)
AttachPermission = region_roles(*roles.PLAN_WRITERS, read=roles.PLAN_READERS)


class ProposalInput(serializers.Serializer[Any]):
    tahun = serializers.IntegerField(min_value=2000, max_value=2100)
    sumber = serializers.ChoiceField(choices=Proposal.Source.choices)
    desa = serializers.CharField(max_length=13)
    masalah = serializers.CharField(max_length=4000)
    usulan = serializers.CharField(max_length=4000)
    volume = serializers.CharField(max_length=30)
    satuan = serializers.CharField(max_length=60)
    biaya = serializers.CharField(max_length=30)
    prioritas = serializers.IntegerField(min_value=1, max_value=999)


class ProposalListApi(ValidatedQueryMixin, generics.GenericAPIView):  # type: ignore[type-arg]
    """`GET ?tahun=&status=` proposals the caller may see; `POST` (multipart with `berkas`
    files, or JSON) enters one."""

    permission_classes = [ProposalPermission]
    pagination_class = Pagination
    query_serializer = YearQuery
    serializer_class = ProposalInput
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(parameters=[YearQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = self.query()
        rows = proposals_visible(
            user=request.user, tahun=query.get("tahun"), status=query.get("status") or None
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([proposal_row(p) for p in page or []])

    @extend_schema(request=ProposalInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = ProposalInput(data=request.data)
        data.is_valid(raise_exception=True)
        files = request.FILES.getlist("berkas") if hasattr(request, "FILES") else []
        proposal = proposal_create(actor=request.user, berkas=files, **data.validated_data)
        return Response(proposal_row(proposal), status=201)


class ProposalDetailApi(APIView):
    permission_classes = [ProposalPermission]

    @extend_schema(operation_id="perencanaan_usulan_detail", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        proposal = get_object_or_404(proposals_visible(user=request.user), pk=pk)
        return Response(proposal_row(proposal))


class RecommendInput(serializers.Serializer[Any]):
    tingkat = serializers.ChoiceField(choices=Recommendation.Level.choices)
    jenis = serializers.ChoiceField(choices=Recommendation.Kind.choices)
    alasan = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    perubahan = serializers.DictField(
        child=serializers.CharField(max_length=4000), required=False, default=dict
    )
    opd = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class RecommendApi(APIView):
    permission_classes = [RecommendPermission]

    @extend_schema(request=RecommendInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        data = RecommendInput(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = get_object_or_404(proposals_visible(user=request.user), pk=pk)
        proposal_recommend(actor=request.user, proposal=proposal, **data.validated_data)
        proposal.refresh_from_db()
        return Response(proposal_row(proposal), status=201)


class AttachInput(serializers.Serializer[Any]):
    entri = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647)
    baru = EntryInputSerializer(required=False)


class AttachApi(APIView):
    """Attach to an existing entry (`entri`) or a new one (`baru`, an entry's fields)."""

    permission_classes = [AttachPermission]

    @extend_schema(request=AttachInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        data = AttachInput(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = get_object_or_404(Proposal, pk=pk)
        entry_id = data.validated_data.get("entri")
        entry = get_object_or_404(PlanEntry, pk=entry_id) if entry_id else None
        new = data.validated_data.get("baru")
        result = proposal_attach(
            actor=request.user,
            proposal=proposal,
            entry=entry,
            data=EntryInput(**new) if new else None,
        )
        return Response({"proposal": proposal.pk, "entri": result.pk}, status=201)


@public_api
class ProposalTrackApi(APIView):
    """Anyone may follow a proposal by its public number: status per level, rejection reason,
    the RKPD sub kegiatan it became; no personal data beyond the village."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, nomor: str) -> Response:
        return Response(proposal_public(nomor=nomor))
