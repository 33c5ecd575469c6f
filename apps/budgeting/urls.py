from django.urls import path

from apps.budgeting import export_views, views

urlpatterns = [
    path("", views.rka_page, name="budgeting-rka"),
    path("rincian/tambah/", views.line_add, name="budgeting-line-add"),
    path("rincian/<int:pk>/hapus/", views.line_remove, name="budgeting-line-remove"),
    path("rincian/<int:pk>/telusur/", views.trace_page, name="budgeting-trace"),
    path("ajukan/", views.rka_submit_view, name="budgeting-submit"),
    path("verifikasi/", views.board_page, name="budgeting-board"),
    path("verifikasi/<int:pk>/", views.rka_verify_view, name="budgeting-verify"),
    path("ringkasan/", views.summary_page, name="budgeting-summary"),
    path("tetapkan/", views.enact_view, name="budgeting-enact"),
    path("revisi/", views.revision_view, name="budgeting-revision"),
    path("dpa/", views.dpa_view, name="budgeting-dpa"),
    path("perubahan/<int:pk>/", views.compare_page, name="budgeting-compare"),
    path("konsistensi/", views.consistency_page, name="budgeting-consistency"),
    path("rka.<str:fmt>", export_views.rka_export, name="budgeting-rka-export"),
    path("dpa.<str:fmt>", export_views.dpa_export, name="budgeting-dpa-export"),
    path("ringkasan.<str:fmt>", export_views.summary_export, name="budgeting-summary-export"),
    path(
        "perubahan/<int:pk>.<str:fmt>",
        export_views.compare_export,
        name="budgeting-compare-export",
    ),
]
