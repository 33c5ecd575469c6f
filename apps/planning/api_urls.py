from django.urls import path

from apps.planning.apis import calendar, musrenbang, plan, rpjmd

urlpatterns = [
    *rpjmd.urlpatterns(),
    path("periode/", calendar.PeriodListApi.as_view(), name="planning-api-periods"),
    path("tahapan/", calendar.StageListApi.as_view(), name="planning-api-stages"),
    path("tahapan/<int:pk>/buka/", calendar.StageOpenApi.as_view(), name="planning-api-open"),
    path("tahapan/<int:pk>/tutup/", calendar.StageCloseApi.as_view(), name="planning-api-close"),
    path("snapshot/", calendar.SnapshotListApi.as_view(), name="planning-api-snapshots"),
    path("snapshot/<int:pk>/", calendar.SnapshotContentApi.as_view(), name="planning-api-snapshot"),
    path("selisih/", calendar.DiffApi.as_view(), name="planning-api-diff"),
    path("entri/", plan.EntryListApi.as_view(), name="planning-api-entries"),
    path("entri/<int:pk>/", plan.EntryDetailApi.as_view(), name="planning-api-entry"),
    path("total/", plan.TotalsApi.as_view(), name="planning-api-totals"),
    path("pagu-opd/", plan.CeilingApi.as_view(), name="planning-api-ceilings"),
    path("renja/ajukan/", plan.RenjaSubmitApi.as_view(), name="planning-api-renja-submit"),
    path(
        "renja/<int:pk>/verifikasi/",
        plan.RenjaVerifyApi.as_view(),
        name="planning-api-renja-verify",
    ),
    path("konsistensi/", plan.ConsistencyApi.as_view(), name="planning-api-consistency"),
    path("usulan/", musrenbang.ProposalListApi.as_view(), name="planning-api-proposals"),
    path("usulan/<int:pk>/", musrenbang.ProposalDetailApi.as_view(), name="planning-api-proposal"),
    path(
        "usulan/<int:pk>/rekomendasi/",
        musrenbang.RecommendApi.as_view(),
        name="planning-api-recommend",
    ),
    path("usulan/<int:pk>/lampirkan/", musrenbang.AttachApi.as_view(), name="planning-api-attach"),
    path("lacak/<str:nomor>/", musrenbang.ProposalTrackApi.as_view(), name="planning-api-track"),
]
