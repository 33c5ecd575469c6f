from django.urls import path

from apps.planning import views, views_rpjmd
from apps.planning.editing import calendar, musrenbang, plan

urlpatterns = [
    path("", views.plan_page, name="planning-plan"),
    path("ekspor.xlsx", views.plan_export_xlsx, name="planning-export-xlsx"),
    path("ekspor.pdf", views.plan_export_pdf, name="planning-export-pdf"),
    path("musrenbang/", views.musrenbang_board, name="planning-musrenbang"),
    path("selisih/", views.diff_page, name="planning-diff"),
    path("konsistensi/", views.consistency_page, name="planning-consistency"),
    path("lacak/", views.track_page, name="planning-track"),
    path("lacak/<str:nomor>/", views.track_page, name="planning-track-number"),
    # forms (apps.planning.editing)
    path("jadwal/", calendar.calendar_page, name="planning-calendar"),
    path("jadwal/periode/", calendar.period_add, name="planning-period-add"),
    path("jadwal/tahapan/", calendar.stage_add, name="planning-stage-add"),
    path("jadwal/tahapan/<int:pk>/buka/", calendar.stage_open_view, name="planning-stage-open"),
    path("jadwal/tahapan/<int:pk>/tutup/", calendar.stage_close_view, name="planning-stage-close"),
    path("pagu-opd/", plan.ceilings_page, name="planning-ceilings"),
    path("pagu-opd/simpan/", plan.ceiling_save, name="planning-ceiling-save"),
    path("entri/baru/", plan.entry_new, name="planning-entry-new"),
    path("entri/<int:pk>/ubah/", plan.entry_edit, name="planning-entry-edit"),
    path("entri/<int:pk>/hapus/", plan.entry_remove, name="planning-entry-delete"),
    path("nomenklatur/cari/", plan.sub_kegiatan_search, name="planning-sub-kegiatan-search"),
    path("renja/", plan.renja_page, name="planning-renja"),
    path("renja/ajukan/", plan.renja_submit_view, name="planning-renja-submit"),
    path("renja/<int:pk>/verifikasi/", plan.renja_verify_view, name="planning-renja-verify"),
    path("musrenbang/usulan/baru/", musrenbang.proposal_new, name="planning-proposal-new"),
    path("musrenbang/pokir/baru/", musrenbang.pokir_new, name="planning-pokir-new"),
    path("musrenbang/usulan/<int:pk>/", musrenbang.proposal_detail, name="planning-proposal"),
    path(
        "musrenbang/usulan/<int:pk>/rekomendasi/",
        musrenbang.proposal_recommend_view,
        name="planning-proposal-recommend",
    ),
    path(
        "musrenbang/usulan/<int:pk>/lampirkan/",
        musrenbang.proposal_attach_view,
        name="planning-proposal-attach",
    ),
    path(
        "musrenbang/usulan/<int:pk>/lampirkan-baru/",
        musrenbang.proposal_attach_new,
        name="planning-proposal-attach-new",
    ),
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
