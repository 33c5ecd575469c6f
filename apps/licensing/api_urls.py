from django.urls import path

from apps.licensing import apis

urlpatterns = [
    path("standar/", apis.StandarListApi.as_view(), name="licensing-api-standards"),
    path("standar/<str:kode>/", apis.StandarDetailApi.as_view(), name="licensing-api-standard"),
    path("permohonan/", apis.PermohonanListApi.as_view(), name="licensing-api-applications"),
    path(
        "permohonan/<str:nomor>/",
        apis.PermohonanDetailApi.as_view(),
        name="licensing-api-application",
    ),
    path("permohonan/<str:nomor>/langkah/", apis.LangkahApi.as_view(), name="licensing-api-step"),
    path(
        "permohonan/<str:nomor>/cabut/", apis.IzinRevokeApi.as_view(), name="licensing-api-revoke"
    ),
    path("libur/", apis.HariLiburApi.as_view(), name="licensing-api-holidays"),
    path("dasbor/", apis.DasborApi.as_view(), name="licensing-api-dashboard"),
    path("lacak/<str:nomor>/", apis.LacakApi.as_view(), name="licensing-api-track"),
    path("verifikasi/<str:code>/", apis.VerifikasiApi.as_view(), name="licensing-api-verify"),
]
