"""Console pages under /operasi/ (saas.urls_public)."""

from django.urls import path

from operations import views

app_name = "operations"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("snapshot/", views.snapshot_now, name="snapshot"),
    path("daerah/<slug:schema_name>/", views.region_detail, name="region"),
    path(
        "daerah/<slug:schema_name>/arsip/<int:export_id>/",
        views.export_download,
        name="export-download",
    ),
    path("daerah/<slug:schema_name>/<slug:action>/", views.region_action, name="region-action"),
    path("rilis/", views.releases, name="releases"),
    path("rilis/terbitkan/", views.version_publish, name="publish"),
    path("rilis/mulai/", views.rollout_start, name="rollout-start"),
    path("rilis/<int:job_id>/", views.rollout_detail, name="rollout"),
    path("rilis/item/<int:item_id>/ulang/", views.rollout_item_retry, name="rollout-retry"),
]
