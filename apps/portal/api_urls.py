"""The public API, version 1 (saas.urls_tenant, under /api/publik/v1/)."""

from django.urls import path

from apps.portal.apis import public

urlpatterns = [
    path("dokumen/", public.DocumentListApi.as_view(), name="portal-api-documents"),
    path(
        "dokumen/<str:jenis>/<int:tahun>/",
        public.DocumentApi.as_view(),
        name="portal-api-document",
    ),
    path(
        "dokumen/<str:jenis>/<int:tahun>/isi/",
        public.DocumentBytesApi.as_view(),
        name="portal-api-document-bytes",
    ),
    path("rantai-audit/", public.ChainHeadsApi.as_view(), name="portal-api-chain-heads"),
]
