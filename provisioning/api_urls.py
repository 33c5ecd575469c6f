"""JSON API under /api/operations/ (saas.urls_public)."""

from django.urls import path

from provisioning.apis import lifecycle as apis

urlpatterns = [
    path("regions/", apis.RegionListApi.as_view(), name="operations-api-regions"),
    path("regions/<slug:schema_name>/suspend/", apis.RegionSuspendApi.as_view()),
    path("regions/<slug:schema_name>/resume/", apis.RegionResumeApi.as_view()),
    path("regions/<slug:schema_name>/archive/", apis.RegionArchiveApi.as_view()),
    path("regions/<slug:schema_name>/export/", apis.RegionExportApi.as_view()),
    path("regions/<slug:schema_name>/restore/", apis.RegionRestoreApi.as_view()),
    path("regions/<slug:schema_name>/delete/", apis.RegionDeleteApi.as_view()),
    path("template-versions/", apis.TemplateVersionPublishApi.as_view()),
    path("rollouts/", apis.RolloutStartApi.as_view()),
    path("rollouts/<int:job_id>/", apis.RolloutDetailApi.as_view()),
    path("rollouts/items/<int:item_id>/retry/", apis.RolloutItemRetryApi.as_view()),
]
