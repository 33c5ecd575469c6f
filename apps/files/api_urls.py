"""Region API routes of files, under /api/berkas/."""

from django.urls import path

from apps.files import apis

urlpatterns = [
    path("", apis.FileUploadApi.as_view(), name="files-upload"),
    path("<uuid:file_id>/", apis.FileDetailApi.as_view(), name="files-detail"),
    path("<uuid:file_id>/unduh/", apis.FileDownloadApi.as_view(), name="files-download"),
]
