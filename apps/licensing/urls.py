from django.urls import path

from apps.licensing.views import public, staff

staff_urlpatterns = [
    path("", staff.worklist, name="licensing-worklist"),
    path("standar/", staff.standards, name="licensing-standards"),
    path("standar/<str:kode>/", staff.standard, name="licensing-standard"),
    path("libur/", staff.holidays, name="licensing-holidays"),
    path("dasbor/", staff.dashboard, name="licensing-dashboard"),
    path("permohonan/<str:nomor>/", staff.detail, name="licensing-detail"),
    path("permohonan/<str:nomor>/cabut/", staff.revoke, name="licensing-revoke"),
    path("permohonan/<str:nomor>/izin.pdf", staff.permit_pdf, name="licensing-permit-pdf"),
]

public_urlpatterns = [
    path("", public.services, name="licensing-services"),
    path("daftar/", public.signup, name="licensing-signup"),
    path("ajukan/<str:kode>/", public.apply, name="licensing-apply"),
    path("permohonan-saya/", public.my_applications, name="licensing-mine"),
    path("permohonan/<str:nomor>/", public.receipt, name="licensing-receipt"),
    path("permohonan/<str:nomor>/kirim-ulang/", public.resubmit, name="licensing-resubmit"),
    path("permohonan/<str:nomor>/survei/", public.survey, name="licensing-survey"),
    path("lacak/", public.track, name="licensing-track"),
    path("verifikasi/<str:code>/", public.verify, name="licensing-verify"),
]
