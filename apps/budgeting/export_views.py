"""Downloads: the RKA of an OPD, its DPA, the APBD summary and a revision's comparison, each as
XLSX or PDF (`fmt`), built from the same selectors as the pages."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.access.decorators import role_required
from apps.budgeting import roles
from apps.budgeting.exports import (
    Document,
    compare_document,
    rka_document,
    summary_document,
    to_pdf,
    to_xlsx,
)
from apps.budgeting.models import Dpa, Versi
from apps.budgeting.selectors.revision import revision_compare
from apps.budgeting.selectors.rka import line_rows
from apps.budgeting.selectors.summary import version_summary
from apps.budgeting.views import _opd_choice, _version, _year
from apps.reference.models import PerangkatDaerah

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _send(doc: Document, *, fmt: str, name: str, signed_last: bool = False) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(doc), content_type=XLSX)
    elif fmt == "pdf":
        response = HttpResponse(
            to_pdf(doc, signed_last=signed_last), content_type="application/pdf"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _opd_document(
    request: HttpRequest, title: Callable[[str, int, Versi], str]
) -> tuple[Document, str]:
    tahun = _year(request)
    version = _version(request, tahun)
    opd = _opd_choice(request)
    opd_row = PerangkatDaerah.objects.filter(kode=opd).first()
    if version is None or opd_row is None:
        raise Http404
    doc = rka_document(
        line_rows(version, opd=opd),
        title=title(opd_row.nama, tahun, version),
        subtitle=f"{opd_row.kode} {opd_row.nama} - {version.label}",
    )
    return doc, f"{opd_row.kode}-{tahun}"


@role_required(*roles.DRAFTERS, read=roles.BUDGET_READERS)
def rka_export(request: HttpRequest, fmt: str) -> HttpResponse:
    doc, name = _opd_document(
        request,
        lambda nama, tahun, _v: _("RKA-SKPD %(opd)s tahun %(year)s") % {"opd": nama, "year": tahun},
    )
    return _send(doc, fmt=fmt, name=f"rka-{name}")


@role_required(*roles.ENACTORS, read=roles.BUDGET_READERS)
def dpa_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The DPA of an OPD: only once issued from an enacted version."""
    doc, name = _opd_document(
        request,
        lambda nama, tahun, _v: _("DPA-SKPD %(opd)s tahun %(year)s") % {"opd": nama, "year": tahun},
    )
    tahun = _year(request)
    dpa = Dpa.objects.filter(
        versi__tahun__tahun=tahun, opd__kode=_opd_choice(request), versi=_version(request, tahun)
    ).first()
    if dpa is None:
        raise Http404
    doc.subtitle = f"{dpa.nomor} - {doc.subtitle}"
    return _send(doc, fmt=fmt, name=f"dpa-{name}")


@role_required(*roles.ENACTORS, read=roles.BUDGET_READERS)
def summary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    tahun = _year(request)
    version = _version(request, tahun)
    if version is None:
        raise Http404
    return _send(summary_document(version_summary(version)), fmt=fmt, name=f"apbd-{tahun}")


@role_required(*roles.TREASURY, read=roles.BUDGET_READERS)
def compare_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version = get_object_or_404(Versi.objects.select_related("tahun", "induk"), pk=pk)
    if version.induk_id is None:
        raise Http404
    title = _("Perbandingan %(versi)s tahun %(year)s") % {
        "versi": version.label,
        "year": version.tahun.tahun,
    }
    doc = compare_document(revision_compare(version), title=title)
    return _send(doc, fmt=fmt, name=f"perubahan-{version.tahun.tahun}-{pk}", signed_last=True)
