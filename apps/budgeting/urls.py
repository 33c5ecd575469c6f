from django.urls import path

from apps.budgeting import export_views, views, views_kua

urlpatterns = [
    path("", views.rka_page, name="budgeting-rka"),
    path("rincian/tambah/", views.line_add, name="budgeting-line-add"),
    path("rincian/<int:pk>/hapus/", views.line_remove, name="budgeting-line-remove"),
    path("rincian/<int:pk>/telusur/", views.trace_page, name="budgeting-trace"),
    path("kua/", views_kua.kua_page, name="budgeting-kua"),
    path("kua/buka/", views_kua.year_open_view, name="budgeting-kua-open"),
    path("kua/pagu-rkpd/", views_kua.ceilings_from_rkpd_view, name="budgeting-kua-rkpd"),
    path("kua/pagu-opd/", views_kua.ceiling_opd_view, name="budgeting-kua-ceiling"),
    path("kua/pendapatan/", views_kua.revenue_add_view, name="budgeting-kua-revenue"),
    path(
        "kua/pendapatan/<int:pk>/hapus/",
        views_kua.revenue_remove_view,
        name="budgeting-kua-revenue-remove",
    ),
    path("kua/pembiayaan/", views_kua.financing_add_view, name="budgeting-kua-financing"),
    path(
        "kua/pembiayaan/<int:pk>/hapus/",
        views_kua.financing_remove_view,
        name="budgeting-kua-financing-remove",
    ),
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
