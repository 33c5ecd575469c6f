"""The portal's public JSON API, version 1 (/api/publik/v1/): frozen publications and the
region's published audit chain heads. Anonymous by design; the shape only grows within v1."""

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import public_api
from apps.audit.platform.models import PublishedHead
from apps.core.errors import ApplicationError
from apps.portal import selectors
from apps.portal.models import Publikasi
from saas.api import QueryParams, ValidatedQueryMixin
from tenants.http import region_of


class VersionQuery(QueryParams):
    versi = serializers.IntegerField(required=False, min_value=1, max_value=32767)


def _meta(p: Publikasi) -> dict[str, Any]:
    return {
        "jenis": p.jenis,
        "tahun": p.tahun,
        "versi": p.versi,
        "sha256": p.sha256,
        "diterbitkan_pada": p.diterbitkan_pada.isoformat(),
        "diterbitkan_oleh": p.diterbitkan_oleh,
    }


class _DocumentMixin(ValidatedQueryMixin):
    query_serializer = VersionQuery

    def publikasi(self, jenis: str, tahun: int) -> Publikasi:
        if jenis not in Publikasi.Jenis.values:
            raise Http404
        try:
            return selectors.publikasi_get(
                jenis=jenis, tahun=tahun, versi=self.query().get("versi")
            )
        except ApplicationError as exc:
            raise Http404 from exc


@public_api
class DocumentListApi(APIView):
    """Every published version (newest first per kind and year), without the documents."""

    @extend_schema(operation_id="publik_v1_dokumen_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response({"versi_api": 1, "dokumen": [_meta(p) for p in selectors.publikasi_list()]})


@public_api
class DocumentApi(_DocumentMixin, APIView):
    """The latest (or `?versi=`) frozen document of a kind and year, with its metadata."""

    @extend_schema(parameters=[VersionQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, jenis: str, tahun: int) -> Response:
        publikasi = self.publikasi(jenis, tahun)
        return Response({**_meta(publikasi), "isi": selectors.publikasi_content(publikasi)})


@public_api
class DocumentBytesApi(_DocumentMixin, APIView):
    """The frozen document byte for byte: its SHA-256 is the `sha256` published (and the one
    written in the region's audit chain)."""

    @extend_schema(
        parameters=[VersionQuery], responses={(200, "application/json"): OpenApiTypes.OBJECT}
    )
    def get(self, request: Request, jenis: str, tahun: int) -> HttpResponse:
        publikasi = self.publikasi(jenis, tahun)
        return HttpResponse(publikasi.isi.encode("utf-8"), content_type="application/json")


@public_api
class ChainHeadsApi(APIView):
    """The region's audit chain heads as the platform published them (newest first)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        heads = PublishedHead.objects.filter(tenant=region_of(request)).order_by("-id")[:50]
        return Response(
            {
                "kepala": [
                    {
                        "seq": h.seq,
                        "hash": h.hash,
                        "pertama_terlihat": h.first_seen_at.isoformat(),
                        "terakhir_terlihat": h.last_seen_at.isoformat(),
                        "diverifikasi_pada": h.verified_at.isoformat() if h.verified_at else None,
                        "utuh": h.ok,
                        "digantikan": h.superseded,
                    }
                    for h in heads
                ]
            }
        )
