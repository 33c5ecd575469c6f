from django.urls import path

from apps.planning import views, views_rpjmd

urlpatterns = [
    path("", views.plan_page, name="planning-plan"),
    path("ekspor.xlsx", views.plan_export_xlsx, name="planning-export-xlsx"),
    path("ekspor.pdf", views.plan_export_pdf, name="planning-export-pdf"),
    path("musrenbang/", views.musrenbang_board, name="planning-musrenbang"),
    path("selisih/", views.diff_page, name="planning-diff"),
    path("konsistensi/", views.consistency_page, name="planning-consistency"),
    path("lacak/", views.track_page, name="planning-track"),
    path("lacak/<str:nomor>/", views.track_page, name="planning-track-number"),
    path("rpjmd/", views_rpjmd.rpjmd_page, name="planning-rpjmd"),
    path("renstra/", views_rpjmd.renstra_list_page, name="planning-renstra-list"),
    path("renstra/<str:opd>/", views_rpjmd.renstra_page, name="planning-renstra"),
    path("rpjmd/<slug:kind>/tambah/", views_rpjmd.node_form, name="planning-rpjmd-add"),
    path("rpjmd/<slug:kind>/<int:pk>/", views_rpjmd.node_form, name="planning-rpjmd-edit"),
    path(
        "rpjmd/<slug:kind>/<int:pk>/hapus/",
        views_rpjmd.node_delete,
        name="planning-rpjmd-delete",
    ),
]
