"""The region's transparency portal under /portal/: anonymous pages over frozen publications
only, their CSV/XLSX downloads, the audit chain heads with how to verify them, and the admin
daerah's publication form."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.access.decorators import public_page, role_required
from apps.accounts.models import Role
from apps.audit.platform.models import PublishedHead
from apps.core.errors import ApplicationError
from apps.portal import selectors
from apps.portal.documents import capital_share, per_capita
from apps.portal.exports import table_csv, tables_xlsx
from apps.portal.models import Publikasi
from apps.portal.population import SOURCE_LABEL
from apps.portal.services import publikasi_publish
from apps.portal.tables import Table
from tenants.http import region_of


def _versi(request: HttpRequest) -> int | None:
    raw = request.GET.get("versi", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 5:
        raise Http404
    return int(raw)


def _document(request: HttpRequest, jenis: str, tahun: int) -> tuple[Publikasi, dict[str, Any]]:
    if jenis not in Publikasi.Jenis.values:
        raise Http404
    try:
        publikasi = selectors.publikasi_get(jenis=jenis, tahun=tahun, versi=_versi(request))
    except ApplicationError as exc:
        raise Http404 from exc
    return publikasi, selectors.publikasi_content(publikasi)


@public_page
def portal_home(request: HttpRequest) -> HttpResponse:
    context = {"terbitan": selectors.publikasi_latest_list(), "region": region_of(request)}
    return render(request, "portal/home.html", context)


def _headline(envelope: dict[str, Any]) -> dict[str, Any]:
    """The figures above the tables (APBD: per capita and the share of capital spending)."""
    data, penduduk = envelope["data"], envelope.get("penduduk")
    if envelope["jenis"] != "apbd":
        return {}
    return {
        "belanja_per_kapita": per_capita(data["belanja"], penduduk),
        "pendapatan_per_kapita": per_capita(data["pendapatan"], penduduk),
        "porsi_modal": capital_share(data),
    }


@public_page
def portal_document(request: HttpRequest, jenis: str, tahun: int) -> HttpResponse:
    publikasi, envelope = _document(request, jenis, tahun)
    context = {
        "publikasi": publikasi,
        "envelope": envelope,
        "data": envelope["data"],
        "tables": selectors.publikasi_tables(publikasi),
        "headline": _headline(envelope),
        "versions": selectors.publikasi_list(jenis=jenis).filter(tahun=tahun),
        "sumber_penduduk": SOURCE_LABEL,
        "region": region_of(request),
    }
    return render(request, "portal/document.html", context)


def _table(tables: list[Table], key: str) -> Table:
    for table in tables:
        if table.key == key:
            return table
    raise Http404


def _filename(publikasi: Publikasi, suffix: str) -> str:
    return f"{publikasi.jenis}-{publikasi.tahun}-v{publikasi.versi}{suffix}"


@public_page
def portal_download_csv(request: HttpRequest, jenis: str, tahun: int, tabel: str) -> HttpResponse:
    publikasi, _envelope = _document(request, jenis, tahun)
    table = _table(selectors.publikasi_tables(publikasi), tabel)
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    name = _filename(publikasi, f"-{table.key}.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public_page
def portal_download_xlsx(request: HttpRequest, jenis: str, tahun: int) -> HttpResponse:
    publikasi, _envelope = _document(request, jenis, tahun)
    title = f"{publikasi.get_jenis_display()} {tahun} ({_('versi')} {publikasi.versi})"
    response = HttpResponse(
        tables_xlsx(selectors.publikasi_tables(publikasi), title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(publikasi, ".xlsx")}"'
    return response


def heads_published(request: HttpRequest, limit: int = 20) -> list[PublishedHead]:
    """This region's heads as published in the public schema by the platform, newest first."""
    tenant = region_of(request)
    return list(PublishedHead.objects.filter(tenant=tenant).order_by("-id")[:limit])


@public_page
def portal_audit(request: HttpRequest) -> HttpResponse:
    context = {
        "heads": heads_published(request),
        "terbitan": selectors.publikasi_list()[:50],
        "region": region_of(request),
    }
    return render(request, "portal/audit.html", context)


@role_required(Role.ADMIN)
def portal_publish(request: HttpRequest) -> HttpResponse:
    """GET: the form and every version published; POST: publish one kind and year."""
    error, field = "", ""
    if request.method == "POST":
        jenis = request.POST.get("jenis", "")[:16]
        tahun_text = request.POST.get("tahun", "")[:4]
        try:
            if not tahun_text.isdigit():
                raise ApplicationError(_("Tahun harus berupa angka."), field="tahun")
            publikasi = publikasi_publish(
                actor=request.user,
                jenis=jenis,
                tahun=int(tahun_text),
                kode_wilayah=str(region_of(request).region_id or ""),
            )
        except ApplicationError as exc:
            error, field = exc.message, exc.field or ""
        else:
            return redirect("portal-document", jenis=publikasi.jenis, tahun=publikasi.tahun)
    context = {
        "jenis_choices": Publikasi.Jenis.choices,
        "versions": selectors.publikasi_list(),
        "error": error,
        "field": field,
    }
    return render(request, "portal/publish.html", context, status=400 if error else 200)


def _province(request: HttpRequest) -> str:
    tenant = region_of(request)
    return str(tenant.province_id or (tenant.region_id or "")[:2])


@role_required(Role.INSPEKTORAT)
def portal_prices(request: HttpRequest) -> HttpResponse:
    """Inspektorat compares standard prices across the regions of its province (collected)."""
    from apps.portal.platform.views import price_page

    return price_page(request, [_province(request)], drill="portal-price-drill")


@role_required(Role.INSPEKTORAT)
def portal_price_drill(request: HttpRequest, daerah: int, kode: str) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from apps.portal.platform.models import KoleksiDaerah
    from apps.portal.platform.views import drill_page

    rows = KoleksiDaerah.objects.filter(provinsi_kode=_province(request))
    return drill_page(request, get_object_or_404(rows, pk=daerah), kode)
