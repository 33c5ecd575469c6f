"""Console pages under /operasi/ (saas.urls_public)."""

from django.urls import path

from provisioning.views import console as views

app_name = "console"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("snapshot/", views.snapshot_now, name="snapshot"),
    path("daerah/<slug:schema_name>/", views.region_detail, name="region"),
    path("daerah/<slug:schema_name>/tangguhkan/", views.region_suspend, name="region-suspend"),
    path("daerah/<slug:schema_name>/aktifkan/", views.region_resume, name="region-resume"),
    path("daerah/<slug:schema_name>/arsipkan/", views.region_archive, name="region-archive"),
    path("daerah/<slug:schema_name>/ekspor/", views.region_export, name="region-export"),
    path("daerah/<slug:schema_name>/pulihkan/", views.region_restore, name="region-restore"),
    path("daerah/<slug:schema_name>/hapus/", views.region_delete, name="region-delete"),
    path(
        "daerah/<slug:schema_name>/arsip/<int:export_id>/",
        views.export_download,
        name="export-download",
    ),
    path("rilis/", views.releases, name="releases"),
    path("rilis/terbitkan/", views.version_publish, name="publish"),
    path("rilis/mulai/", views.rollout_start, name="rollout-start"),
    path("rilis/<int:job_id>/", views.rollout_detail, name="rollout"),
    path("rilis/item/<int:item_id>/ulang/", views.rollout_item_retry, name="rollout-retry"),
]
