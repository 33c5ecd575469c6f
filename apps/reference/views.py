"""Reference pages under /referensi/: the planning nomenclature (list and one item with its
place in the tree), the region's price lists and their items, the chart of accounts, and the
report of what points to retired items. Readable by every region role (and support sessions);
every filter goes through a form of apps.reference.forms first."""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from apps.access.decorators import role_required
from apps.accounts.models import Role
from apps.reference import referencing, selectors
from apps.reference.forms import (
    HargaFilterForm,
    NomenklaturFilterForm,
    ReferenceFilterForm,
    RekeningFilterForm,
)
from apps.reference.models import Nomenklatur

EVERY_ROLE = tuple(Role.values)
readable = role_required(read=EVERY_ROLE)


def _page(rows: QuerySet[Any], form: ReferenceFilterForm) -> Page[Any]:
    size = form.cleaned_data.get("per_halaman") or 50
    return Paginator(rows, size).get_page(form.cleaned_data.get("halaman") or 1)


def _render(
    request: HttpRequest, template: str, form: ReferenceFilterForm, context: dict[str, Any]
) -> HttpResponse:
    """An invalid filter renders the page with the form's messages and no rows (a 400)."""
    status = 200 if form.is_valid() else 400
    return render(request, template, {"form": form, **context}, status=status)


@readable
def nomenklatur_list(request: HttpRequest, tingkat: str = "") -> HttpResponse:
    """The nomenclature list; `tingkat` presets the level (the sub kegiatan page)."""
    data = request.GET.copy()
    if tingkat and "tingkat" not in data:
        data["tingkat"] = tingkat
    form = NomenklaturFilterForm(data, bidang=selectors.nomenklatur_bidang_choices())
    page = None
    successors: dict[str, Nomenklatur] = {}
    if form.is_valid():
        rows = selectors.nomenklatur_browse(
            q=form.value("q"),
            tingkat=form.value("tingkat"),
            prefix=form.value("urusan"),
            spm=form.spm_flag,
            retired=form.retired,
        )
        page = _page(rows, form)
        retired = [item.kode for item in page.object_list if item.retired]
        successors = selectors.nomenklatur_successors(kodes=retired) if retired else {}
    items = [(item, successors.get(item.kode)) for item in page.object_list] if page else []
    return _render(request, "reference/nomenklatur_list.html", form, {"page": page, "items": items})


@readable
def nomenklatur_detail(request: HttpRequest, kode: str) -> HttpResponse:
    item = selectors.nomenklatur_get(kode=kode[:40])
    if item is None:
        raise Http404
    return render(
        request,
        "reference/nomenklatur_detail.html",
        {
            "item": item,
            "ancestors": selectors.nomenklatur_ancestors(item=item),
            "children": item.anak.order_by("kode"),
            "successor": selectors.nomenklatur_successor(kode=item.kode) if item.retired else None,
            "predecessor": selectors.nomenklatur_get(kode=item.kode_sebelumnya)
            if item.kode_sebelumnya
            else None,
        },
    )


@readable
def rekening_list(request: HttpRequest) -> HttpResponse:
    form = RekeningFilterForm(request.GET)
    page = None
    if form.is_valid():
        rows = selectors.rekening_browse(
            q=form.value("q"), tingkat=form.value("tingkat"), retired=form.retired
        )
        page = _page(rows, form)
    return _render(request, "reference/rekening_list.html", form, {"page": page})


@readable
def daftar_harga_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reference/daftar_harga_list.html", {"lists": selectors.daftar_harga_list()}
    )


@readable
def daftar_harga_detail(request: HttpRequest, pk: int) -> HttpResponse:
    daftar = selectors.daftar_harga_get(pk=pk)
    if daftar is None:
        raise Http404
    form = HargaFilterForm(request.GET)
    page = None
    if form.is_valid():
        rows = selectors.standar_harga_browse(
            daftar=daftar,
            q=form.value("q"),
            jenis=form.value("jenis"),
            rekening=form.value("rekening"),
            retired=form.retired,
        )
        page = _page(rows, form)
    return _render(
        request, "reference/daftar_harga_detail.html", form, {"daftar": daftar, "page": page}
    )


@readable
def retired_report(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reference/retired_report.html", {"rows": referencing.retired_references()}
    )


# The smaller lists: (selector, columns as (heading, attribute)), one shared template.
SIMPLE_LISTS: dict[str, tuple[Callable[..., QuerySet[Any]], list[tuple[Any, str]]]] = {
    "opd": (
        selectors.perangkat_daerah_list,
        [(_("Kode"), "kode"), (_("Singkatan"), "singkatan"), (_("Nama"), "nama")],
    ),
    "sumber-dana": (
        selectors.sumber_dana_list,
        [(_("Kode"), "kode"), (_("Nama"), "nama"), (_("Keterangan"), "keterangan")],
    ),
    "izin": (
        selectors.jenis_izin_list,
        [
            (_("Kode"), "kode"),
            (_("Nama"), "nama"),
            (_("Sektor"), "sektor"),
            (_("Hari kerja"), "waktu_hari_kerja"),
            (_("Dasar hukum"), "dasar_hukum"),
        ],
    ),
}
SIMPLE_TITLES = {
    "opd": _("Perangkat daerah (OPD)"),
    "sumber-dana": _("Sumber dana"),
    "izin": _("Jenis izin dan standar pelayanan"),
}


@readable
def simple_list(request: HttpRequest, kind: str) -> HttpResponse:
    selector, columns = SIMPLE_LISTS[kind]
    form = ReferenceFilterForm(request.GET)
    page = None
    rows: list[list[Any]] = []
    if form.is_valid():
        queryset = selector(q=form.value("q"), retired=form.retired is not False)
        if form.retired:
            queryset = queryset.filter(retired_at__isnull=False)
        page = _page(queryset, form)
        rows = [[getattr(item, attr) for _, attr in columns] for item in page.object_list]
    return _render(
        request,
        "reference/simple_list.html",
        form,
        {"page": page, "rows": rows, "columns": columns, "title": SIMPLE_TITLES[kind]},
    )
