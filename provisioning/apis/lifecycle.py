"""JSON API of the support console: each class parses, checks, calls one service, serializes."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import IsCentralSupport, IsPlatformStaff
from apps.access.roles import request_actor
from apps.core.errors import NotFoundError
from provisioning import selectors, services
from provisioning.export_store import export_local
from provisioning.models import RegionExport, RolloutItem, RolloutJob
from provisioning.services.versions import reference_diff_totals
from saas.api import QueryParams, ValidatedQueryMixin
from tenants.models import TemplateVersion, Tenant


def _tenant(request: Request, schema_name: str) -> Tenant:
    tenant = selectors.region_get(user=request.user, schema_name=schema_name)
    if tenant is None:
        raise NotFoundError(
            _("Daerah %(schema)s tidak ditemukan.") % {"schema": schema_name}, field="schema_name"
        )
    return tenant


class RegionOutput(serializers.Serializer[Any]):
    schema_name = serializers.CharField(source="tenant.schema_name")
    kode = serializers.CharField(source="tenant.region_id", allow_null=True)
    name = serializers.CharField(source="tenant.name")
    province = serializers.CharField(source="tenant.province_id", allow_null=True)
    status = serializers.CharField(source="tenant.status")
    template_version = serializers.CharField(
        source="tenant.template_version.label", allow_null=True, default=None
    )
    snapshot = serializers.SerializerMethodField()

    def get_snapshot(self, row: selectors.RegionRow) -> dict[str, Any] | None:
        s = row.snapshot
        if s is None:
            return None
        return {
            "taken_at": s.taken_at,
            "migrations_current": s.migrations_current,
            "pending_migrations": s.pending_migrations,
            "users": s.users,
            "last_activity": s.last_activity,
            "requests_24h": s.requests_24h,
            "errors_24h": s.errors_24h,
            "storage_bytes": s.storage_bytes,
            "audit_ok": s.audit_ok,
            "audit_head_seq": s.audit_head_seq,
        }


class RegionListQuery(QueryParams):
    province = serializers.CharField(required=False, allow_blank=True, max_length=2, default="")
    status = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    template_version = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default=""
    )


class RegionListApi(ValidatedQueryMixin, APIView):
    permission_classes = [IsPlatformStaff]
    query_serializer = RegionListQuery

    def get(self, request: Request) -> Response:
        query = self.query()
        rows = selectors.region_overview(
            user=request.user,
            province=query["province"],
            status=query["status"],
            version=query["template_version"],
        )
        return Response({"results": RegionOutput(rows, many=True).data, "count": len(rows)})


def _tenant_output(tenant: Tenant) -> dict[str, Any]:
    return {"schema_name": tenant.schema_name, "status": tenant.status, "name": tenant.name}


class RegionSuspendApi(APIView):
    permission_classes = [IsCentralSupport]

    class Input(serializers.Serializer[Any]):
        reason = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=1000
        )

    def post(self, request: Request, schema_name: str) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        tenant = services.region_suspend(
            tenant=_tenant(request, schema_name),
            actor=request_actor(request),
            reason=data.validated_data["reason"],
        )
        return Response(_tenant_output(tenant))


class RegionResumeApi(APIView):
    permission_classes = [IsCentralSupport]

    def post(self, request: Request, schema_name: str) -> Response:
        tenant = services.region_resume(
            tenant=_tenant(request, schema_name), actor=request_actor(request)
        )
        return Response(_tenant_output(tenant))


class RegionArchiveApi(APIView):
    permission_classes = [IsCentralSupport]

    def post(self, request: Request, schema_name: str) -> Response:
        tenant = services.region_archive(
            tenant=_tenant(request, schema_name), actor=request_actor(request)
        )
        return Response(_tenant_output(tenant))


class RegionExportApi(APIView):
    permission_classes = [IsCentralSupport]

    def post(self, request: Request, schema_name: str) -> Response:
        export = services.region_export(
            tenant=_tenant(request, schema_name), actor=request_actor(request)
        )
        return Response(
            {
                "id": export.pk,
                "path": export.path,
                "sha256": export.sha256,
                "size_bytes": export.size_bytes,
                "tables": export.manifest.get("tables", {}),
            },
            status=201,
        )


class RegionRestoreApi(APIView):
    """Restore one of the region's exports over it, or (with `kode`) into a new region."""

    permission_classes = [IsCentralSupport]

    class Input(serializers.Serializer[Any]):
        export_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
        kode = serializers.CharField(required=False, allow_blank=True, default="", max_length=13)

    def post(self, request: Request, schema_name: str) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        export = RegionExport.objects.filter(
            pk=data.validated_data["export_id"], schema_name=schema_name
        ).first()
        if export is None:
            raise NotFoundError(_("Arsip tidak ditemukan."), field="export_id")
        kode = data.validated_data["kode"]
        with export_local(export.path) as local:
            tenant = services.region_restore(
                path=local,
                actor=request_actor(request),
                tenant=None if kode else _tenant(request, schema_name),
                kode=kode or None,
            )
        return Response(_tenant_output(tenant))


class RegionDeleteApi(APIView):
    permission_classes = [IsCentralSupport]

    class Input(serializers.Serializer[Any]):
        confirmation = serializers.CharField(max_length=100)

    def post(self, request: Request, schema_name: str) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.region_delete(
            tenant=_tenant(request, schema_name),
            actor=request_actor(request),
            confirmation=data.validated_data["confirmation"],
        )
        return Response(status=204)


class TemplateVersionPublishApi(APIView):
    permission_classes = [IsCentralSupport]

    class Input(serializers.Serializer[Any]):
        label = serializers.CharField(max_length=32)  # type: ignore[assignment]
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
        release = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)

    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.template_version_publish(
            label=data.validated_data["label"],
            notes=data.validated_data["notes"],
            actor=request_actor(request),
            release=data.validated_data["release"],
        )
        return Response({"id": version.pk, "label": version.label}, status=201)


def _job_output(job: RolloutJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "template_version": job.template_version.label,
        "scope": job.scope,
        "province_code": job.province_code,
        "status": job.status,
        "summary": job.summary,
        "items": [
            {
                "id": item.pk,
                "schema_name": item.schema_name,
                "status": item.status,
                "path": item.path,
                "migrations": item.migrations,
                "error": item.error,
                "attempts": item.attempts,
                "reference_diff": reference_diff_totals(item.reference or {}),
            }
            for item in job.items.all()
        ],
    }


class RolloutStartApi(APIView):
    permission_classes = [IsCentralSupport]

    class Input(serializers.Serializer[Any]):
        template_version = serializers.CharField(max_length=100)
        province_code = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=2
        )
        schema_names = serializers.ListField(
            child=serializers.CharField(max_length=63),
            required=False,
            default=list,
            max_length=2000,
        )

    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        version = TemplateVersion.objects.filter(
            label=data.validated_data["template_version"]
        ).first()
        if version is None:
            raise NotFoundError(_("Versi templat tidak ada."), field="template_version")
        job = services.rollout_start(
            template_version=version,
            actor=request_actor(request),
            province_code=data.validated_data["province_code"],
            schema_names=data.validated_data["schema_names"],
        )
        return Response({"id": job.pk, "status": job.status}, status=202)


class RolloutDetailApi(APIView):
    permission_classes = [IsCentralSupport]

    def get(self, request: Request, job_id: int) -> Response:
        job = selectors.rollout_job_get(job_id=job_id)
        if job is None:
            raise NotFoundError(_("Rollout tidak ditemukan."), field="job_id")
        return Response(_job_output(job))


class RolloutItemRetryApi(APIView):
    permission_classes = [IsCentralSupport]

    def post(self, request: Request, item_id: int) -> Response:
        item = RolloutItem.objects.filter(pk=item_id).first()
        if item is None:
            raise NotFoundError(_("Item rollout tidak ditemukan."), field="item_id")
        item = services.rollout_item_retry(item=item)
        return Response({"id": item.pk, "status": item.status, "error": item.error})
