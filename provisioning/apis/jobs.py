"""REST API on the console: start a provisioning job, poll it. Errors are JSON {field, message}."""

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.drf import IsPlatformStaff
from apps.accounts.models import User
from provisioning import selectors, tasks
from provisioning.models import ProvisioningJob
from provisioning.services import provisioning_job_create
from saas.api import QueryParams, ValidatedQueryMixin


class CanProvision(IsPlatformStaff):
    """The console's staff (apps.access), refused with provisioning's own message."""

    message = _(
        "Hanya staf platform (dukungan pusat atau admin provinsi) yang dapat menyiapkan daerah."
    )


class ProvisioningJobOutputSerializer(serializers.ModelSerializer[ProvisioningJob]):
    kode_wilayah = serializers.CharField(source="region_id")
    nama_wilayah = serializers.CharField(source="region.nama")
    schema_name = serializers.CharField(source="tenant.schema_name", default=None)
    domain = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    template_version = serializers.CharField(source="template_version.label", default=None)
    is_finished = serializers.BooleanField()

    class Meta:
        model = ProvisioningJob
        fields = [
            "id",
            "kode_wilayah",
            "nama_wilayah",
            "status",
            "step",
            "progress",
            "steps",
            "admin_email",
            "invitation",
            "error",
            "error_field",
            "schema_name",
            "domain",
            "template_version",
            "is_finished",
            "created_at",
            "started_at",
            "finished_at",
            "duration_ms",
        ]

    def get_steps(self, job: ProvisioningJob) -> list[dict[str, Any]]:
        """The steps with their labels in the reader's language (the row keeps the requester's)."""
        known = set(ProvisioningJob.Step.values)
        return [
            {**entry, "label": str(ProvisioningJob.Step(entry["name"]).label)}
            if entry.get("name") in known
            else entry
            for entry in job.steps
        ]

    def get_domain(self, job: ProvisioningJob) -> str | None:
        if job.tenant is None:
            return None
        primary = next((d for d in job.tenant.domains.all() if d.is_primary), None)
        return primary.domain if primary else None


class ProvisioningJobQuery(QueryParams):
    kode_wilayah = serializers.CharField(required=False, allow_blank=True, max_length=13)


class ProvisioningJobListCreateApi(ValidatedQueryMixin, APIView):
    """POST {kode_wilayah, admin_email} provisions the region and returns its job (201);
    GET lists the jobs the user may see (`?kode_wilayah=` filters)."""

    permission_classes = [CanProvision]
    query_serializer = ProvisioningJobQuery

    class InputSerializer(serializers.Serializer[Any]):
        kode_wilayah = serializers.CharField(max_length=13)
        admin_email = serializers.EmailField(max_length=254)

    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        job = provisioning_job_create(
            kode_wilayah=data.validated_data["kode_wilayah"],
            admin_email=data.validated_data["admin_email"],
            requested_by=user,
        )
        # A Celery task (in this process without REDIS_URL): poll the job for its progress.
        transaction.on_commit(
            lambda: tasks.provisioning_job_run.delay(schema_name="public", job_id=job.pk)
        )
        job.refresh_from_db()
        return Response(ProvisioningJobOutputSerializer(job).data, status=status.HTTP_201_CREATED)

    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        jobs = selectors.job_list_visible(user=user).prefetch_related("tenant__domains")
        kode = self.query().get("kode_wilayah")
        if kode:
            jobs = jobs.filter(region_id=kode)
        return Response(ProvisioningJobOutputSerializer(jobs[:50], many=True).data)


class ProvisioningJobDetailApi(APIView):
    """GET one job (poll it while it runs)."""

    permission_classes = [CanProvision]

    def get(self, request: Request, job_id: int) -> Response:
        user = request.user
        assert isinstance(user, User)
        job = get_object_or_404(
            selectors.job_list_visible(user=user).prefetch_related("tenant__domains"), pk=job_id
        )
        return Response(ProvisioningJobOutputSerializer(job).data)
