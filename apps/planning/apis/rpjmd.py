"""RPJMD and Renstra API: for every kind of node a list/create and a detail/change/delete class,
made from the kind's fields (apps.planning.services.rpjmd.KINDS). Bappeda writes the RPJMD; OPD
writers their own OPD's Renstra; planning readers and Inspektorat read."""

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.access.drf import region_roles
from apps.planning import roles
from apps.planning.selectors.rpjmd import nodes_list
from apps.planning.services.rpjmd import (
    RENSTRA_WRITERS,
    RPJMD_WRITERS,
    node_values,
    rpjmd_node_delete,
    rpjmd_node_save,
)
from apps.planning.services.rpjmd_kinds import KIND_LIST, Field, Kind
from saas.api import Pagination, QueryParams, ValidatedQueryMixin

MAX_ID = 2_147_483_647


class NodeQuery(QueryParams):
    periode = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    opd = serializers.CharField(required=False, allow_blank=True, max_length=64)


def _serializer_field(field: Field) -> serializers.Field[Any, Any, Any, Any]:
    """Ids as integers, the rest as text (the service checks and names what it refuses); years
    as an object {"2026": "12.5"}."""
    if field.type == "id":
        return serializers.IntegerField(
            required=field.required, allow_null=not field.required, min_value=0, max_value=MAX_ID
        )
    if field.type in ("years", "rupiah_years"):
        return serializers.DictField(
            child=serializers.CharField(max_length=30, allow_blank=True),
            required=False,
        )
    limit = {"textarea": 4000, "kode": 64, "int": 3, "decimal": 30}.get(field.type, 300)
    return serializers.CharField(max_length=limit, required=field.required, allow_blank=True)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _views(kind: Kind) -> tuple[type[Any], type[Any]]:
    writers = RENSTRA_WRITERS if kind.renstra else RPJMD_WRITERS
    permission = region_roles(
        *writers, read=roles.PLAN_READERS, opd_field="opd_code" if kind.renstra else None
    )
    name = _camel(kind.name)
    body: type[serializers.Serializer[Any]] = type(
        f"{name}Input",
        (serializers.Serializer,),
        {f.name: _serializer_field(f) for f in kind.fields},
    )

    def data(request: Request) -> dict[str, Any]:
        given = body(data=request.data)
        given.is_valid(raise_exception=True)
        return dict(given.validated_data)

    class ListApi(ValidatedQueryMixin, generics.GenericAPIView):  # type: ignore[type-arg]
        permission_classes = [permission]
        pagination_class = Pagination
        query_serializer = NodeQuery
        serializer_class = body

        @extend_schema(
            operation_id=f"rpjmd_{kind.name}_list".replace("-", "_"),
            parameters=[NodeQuery],
            responses=OpenApiTypes.OBJECT,
        )
        def get(self, request: Request) -> Response:
            query = self.query()
            rows = nodes_list(kind, period=query.get("periode"), opd=query.get("opd") or None)
            page = self.paginate_queryset(rows)
            return self.get_paginated_response([node_values(kind, n) for n in page or []])

        @extend_schema(
            operation_id=f"rpjmd_{kind.name}_create".replace("-", "_"),
            request=body,
            responses={201: OpenApiTypes.OBJECT},
        )
        def post(self, request: Request) -> Response:
            node = rpjmd_node_save(actor=request.user, kind=kind.name, data=data(request))
            return Response(node_values(kind, node), status=201)

    class DetailApi(generics.GenericAPIView):  # type: ignore[type-arg]
        permission_classes = [permission]
        serializer_class = body
        queryset = nodes_list(kind)

        @extend_schema(
            operation_id=f"rpjmd_{kind.name}_detail".replace("-", "_"),
            responses=OpenApiTypes.OBJECT,
        )
        def get(self, request: Request, pk: int) -> Response:
            return Response(node_values(kind, self.get_object()))

        @extend_schema(
            operation_id=f"rpjmd_{kind.name}_update".replace("-", "_"),
            request=body,
            responses=OpenApiTypes.OBJECT,
        )
        def put(self, request: Request, pk: int) -> Response:
            node = rpjmd_node_save(
                actor=request.user, kind=kind.name, data=data(request), node=self.get_object()
            )
            return Response(node_values(kind, node))

        @extend_schema(
            operation_id=f"rpjmd_{kind.name}_delete".replace("-", "_"), responses={204: None}
        )
        def delete(self, request: Request, pk: int) -> Response:
            rpjmd_node_delete(actor=request.user, kind=kind.name, node=self.get_object())
            return Response(status=204)

    # A name of its own per kind (OpenAPI, logs); the qualname stays, so inspect finds the source.
    ListApi.__name__ = f"{name}ListApi"
    DetailApi.__name__ = f"{name}DetailApi"
    return ListApi, DetailApi


VIEWS = {kind.name: _views(kind) for kind in KIND_LIST}


def urlpatterns() -> list[URLPattern]:
    out = []
    for kind_name, (list_api, detail_api) in VIEWS.items():
        out.append(
            path(f"rpjmd/{kind_name}/", list_api.as_view(), name=f"planning-api-{kind_name}")
        )
        out.append(
            path(
                f"rpjmd/{kind_name}/<int:pk>/",
                detail_api.as_view(),
                name=f"planning-api-{kind_name}-detail",
            )
        )
    return out
