from django.urls import path

from apps.planning import views

urlpatterns = [
    path("", views.plan_page, name="planning-plan"),
    path("ekspor.xlsx", views.plan_export_xlsx, name="planning-export-xlsx"),
    path("ekspor.pdf", views.plan_export_pdf, name="planning-export-pdf"),
    path("musrenbang/", views.musrenbang_board, name="planning-musrenbang"),
    path("selisih/", views.diff_page, name="planning-diff"),
    path("konsistensi/", views.consistency_page, name="planning-consistency"),
    path("lacak/", views.track_page, name="planning-track"),
    path("lacak/<str:nomor>/", views.track_page, name="planning-track-number"),
]
