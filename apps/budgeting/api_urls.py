from django.urls import path

from apps.budgeting.apis import lines, reports, workflow

urlpatterns = [
    path("versi/", workflow.VersionListApi.as_view(), name="budgeting-api-versions"),
    path("pagu/", workflow.CeilingApi.as_view(), name="budgeting-api-ceilings"),
    path("pagu-opd/", workflow.CeilingOpdApi.as_view(), name="budgeting-api-ceiling-opd"),
    path("pendapatan/", workflow.RevenueApi.as_view(), name="budgeting-api-revenue"),
    path("pembiayaan/", workflow.FinancingApi.as_view(), name="budgeting-api-financing"),
    path("rincian/", lines.LineListApi.as_view(), name="budgeting-api-lines"),
    path("rincian/<int:pk>/", lines.LineDetailApi.as_view(), name="budgeting-api-line"),
    path("rincian/<int:pk>/telusur/", reports.TraceApi.as_view(), name="budgeting-api-trace"),
    path("rka/", workflow.RkaBoardApi.as_view(), name="budgeting-api-rka"),
    path("rka/ajukan/", workflow.SubmitApi.as_view(), name="budgeting-api-submit"),
    path("rka/<int:pk>/verifikasi/", workflow.VerifyApi.as_view(), name="budgeting-api-verify"),
    path("tetapkan/", workflow.EnactApi.as_view(), name="budgeting-api-enact"),
    path("dpa/", workflow.DpaApi.as_view(), name="budgeting-api-dpa"),
    path("revisi/", workflow.RevisionApi.as_view(), name="budgeting-api-revision"),
    path(
        "versi/<int:pk>/perbandingan/", reports.CompareApi.as_view(), name="budgeting-api-compare"
    ),
    path("ringkasan/", reports.SummaryApi.as_view(), name="budgeting-api-summary"),
    path("konsistensi/", reports.ConsistencyApi.as_view(), name="budgeting-api-consistency"),
    path("harga/", reports.ItemsApi.as_view(), name="budgeting-api-items"),
    path("standar-harga/", reports.PriceUseApi.as_view(), name="budgeting-api-price-use"),
]
