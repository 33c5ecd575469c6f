"""Console routes of provisioning (public urls): the page and its API."""

from django.urls import path

from provisioning.apis import jobs as apis
from provisioning.views import jobs as views

urlpatterns = [
    path("penyiapan/", views.provisioning_console, name="provisioning-console"),
    path(
        "api/provisioning/jobs/",
        apis.ProvisioningJobListCreateApi.as_view(),
        name="provisioning-job-list",
    ),
    path(
        "api/provisioning/jobs/<int:job_id>/",
        apis.ProvisioningJobDetailApi.as_view(),
        name="provisioning-job-detail",
    ),
]
