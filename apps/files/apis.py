"""Thin API classes: upload, describe, delete and download a region file.

Every read goes through `_visible`: a file that does not exist here and a file the owner app's
rule hides from the requester answer the same 404, so ids cannot be probed. Downloads stream from
the storage as attachments with nosniff and a sandboxing CSP; there is no public media URL.
"""

from typing import Any
from uuid import UUID

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.roles import request_actor
from apps.files import selectors, services
from apps.files.errors import StoredFileMissingError
from apps.files.models import StoredFile
from apps.files.owners import GENERAL_OWNER, owner_get
from apps.files.storage import RegionFileStorage


class StoredFileOutputSerializer(serializers.ModelSerializer[StoredFile]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = StoredFile
        fields = [
            "id",
            "owner_app",
            "name",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, stored: StoredFile) -> str:
        return reverse("files-download", kwargs={"file_id": stored.pk})


class FileUploadInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(allow_empty_file=True)
    owner_app = serializers.CharField(max_length=50, required=False, default=GENERAL_OWNER.app)


def _visible(request: Request, file_id: UUID) -> StoredFile:
    stored = selectors.stored_file_get(file_id=file_id)
    if stored is None or not owner_get(stored.owner_app).may_view(request.user, stored):
        raise StoredFileMissingError(_("Berkas tidak ditemukan."), field="file_id")
    return stored


def _upload_allowed(request: Request, owner_app: str) -> None:
    if not owner_get(owner_app).may_upload(request.user):
        raise PermissionDenied(_("Akses ditolak: Anda tidak boleh mengunggah berkas di sini."))


class FileUploadApi(APIView):
    """POST (multipart: `file`, `owner_app`): store a file under this region's prefix."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=FileUploadInputSerializer, responses={201: StoredFileOutputSerializer})
    def post(self, request: Request) -> Response:
        payload = FileUploadInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        owner_app = payload.validated_data["owner_app"]
        _upload_allowed(request, owner_app)
        stored = services.file_store(
            upload=payload.validated_data["file"], owner_app=owner_app, actor=request_actor(request)
        )
        return Response(StoredFileOutputSerializer(stored).data, status=status.HTTP_201_CREATED)


class FileDetailApi(APIView):
    """GET: a file's metadata. DELETE: remove it (who may upload to its owner app)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=StoredFileOutputSerializer)
    def get(self, request: Request, file_id: UUID) -> Response:
        return Response(StoredFileOutputSerializer(_visible(request, file_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, file_id: UUID) -> Response:
        stored = _visible(request, file_id)
        _upload_allowed(request, stored.owner_app)
        services.file_delete(stored=stored, actor=request_actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FileDownloadApi(APIView):
    """GET: the file itself, streamed as an attachment."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, file_id: UUID) -> FileResponse:
        stored = _visible(request, file_id)
        try:
            handle = RegionFileStorage().open(stored.path, "rb")
        except FileNotFoundError:
            raise StoredFileMissingError(_("Berkas tidak ditemukan."), field="file_id") from None
        response = FileResponse(
            handle, as_attachment=True, filename=stored.name, content_type=stored.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
