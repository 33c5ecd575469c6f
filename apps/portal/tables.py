"""Every figure of a frozen document as tables: one description serves the page, the CSV and
XLSX downloads and their totals, so what is shown and what is downloaded cannot drift apart."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.portal.documents import per_capita
from apps.portal.formatting import cell_text

# Column kinds: text, rupiah (exact decimal), angka (a count), persen, hari.
NUMERIC = frozenset({"rupiah", "angka", "persen", "hari"})


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    # The column drawn as bars on the page, and the columns summed in a total row.
    chart: str = ""
    summed: tuple[str, ...] = ()
    totals: dict[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.totals = {
            key: sum((Decimal(str(r[key] or 0)) for r in self.rows), Decimal(0))
            for key in self.summed
        }

    def cells(self, row: Mapping[str, Any]) -> list[Any]:
        """A row's values: numbers as Decimal (exact), text as text."""
        return [_cell(row.get(c.key), c.kind) for c in self.columns]

    @cached_property
    def display(self) -> list[list[str]]:
        """Every row's cells as shown on the page (formatted once per table)."""
        kinds = [c.kind for c in self.columns]
        return [
            [cell_text(v, k) for v, k in zip(self.cells(r), kinds, strict=True)] for r in self.rows
        ]

    @cached_property
    def display_total(self) -> list[str]:
        cells = [
            cell_text(self.totals[c.key], c.kind) if c.key in self.totals else ""
            for c in self.columns
        ]
        return [_("JUMLAH"), *cells[1:]] if cells else []

    @cached_property
    def bars(self) -> list[tuple[str, str, Decimal]]:
        """(label, max, value) of the chart column, drawn as <meter> bars."""
        if not self.chart:
            return []
        values = [Decimal(str(r.get(self.chart) or 0)) for r in self.rows]
        top = str(max(values, default=Decimal(0)))
        return [
            (str(r.get("nama") or r.get("kode")), top, v)
            for r, v in zip(self.rows, values, strict=True)
        ]


def _cell(value: Any, kind: str) -> Any:
    if kind in NUMERIC:
        return None if value in (None, "") else Decimal(str(value))
    return "" if value is None else str(value)


def _kode_nama(kode_label: str) -> list[Column]:
    return [Column("kode", kode_label), Column("nama", _("Uraian"))]


def _with_capita(rows: list[dict[str, Any]], penduduk: int | None) -> list[dict[str, Any]]:
    return [{**r, "per_kapita": per_capita(r["jumlah"], penduduk)} for r in rows]


APBD_POSTS = (
    ("pendapatan", gettext_lazy("Pendapatan daerah")),
    ("belanja", gettext_lazy("Belanja daerah")),
    ("surplus_defisit", gettext_lazy("Surplus/(defisit)")),
    ("penerimaan_pembiayaan", gettext_lazy("Penerimaan pembiayaan")),
    ("pengeluaran_pembiayaan", gettext_lazy("Pengeluaran pembiayaan")),
    ("pembiayaan_neto", gettext_lazy("Pembiayaan neto")),
    ("silpa", gettext_lazy("Sisa lebih pembiayaan anggaran (SiLPA)")),
)


def apbd_tables(data: Mapping[str, Any], penduduk: int | None) -> list[Table]:
    money = [Column("jumlah", _("Jumlah (Rp)"), "rupiah")]
    capita = [Column("per_kapita", _("Per kapita (Rp)"), "rupiah")]
    summary = [{"kode": key, "nama": str(label), "jumlah": data[key]} for key, label in APBD_POSTS]
    return [
        Table("ringkasan", _("Ringkasan APBD"), _kode_nama(_("Pos")) + money + capita,
              _with_capita(summary, penduduk)),
        Table("per_urusan", _("Belanja per urusan"), _kode_nama(_("Kode")) + money + capita,
              _with_capita(data["per_urusan"], penduduk), "jumlah", ("jumlah", "per_kapita")),
        Table("per_opd", _("Belanja per perangkat daerah"), _kode_nama(_("Kode")) + money,
              list(data["per_opd"]), "jumlah", ("jumlah",)),
        Table("per_kelompok", _("Belanja per kelompok rekening"), _kode_nama(_("Kode")) + money,
              list(data["per_kelompok"]), "jumlah", ("jumlah",)),
    ]  # fmt: skip


def rkpd_tables(data: Mapping[str, Any], penduduk: int | None) -> list[Table]:
    money = [Column("jumlah", _("Pagu (Rp)"), "rupiah")]
    subs = [Column("sub_kegiatan", _("Sub kegiatan"), "angka")]
    return [
        Table("per_program", _("Pagu RKPD per program"), _kode_nama(_("Kode")) + subs + money,
              list(data["per_program"]), "jumlah", ("sub_kegiatan", "jumlah")),
        Table("per_opd", _("Pagu RKPD per perangkat daerah"), _kode_nama(_("Kode")) + money,
              list(data["per_opd"]), "jumlah", ("jumlah",)),
    ]  # fmt: skip


def musrenbang_tables(data: Mapping[str, Any], penduduk: int | None) -> list[Table]:
    counts = [
        Column("diusulkan", _("Diusulkan"), "angka"),
        Column("diterima", _("Diterima"), "angka"),
        Column("ditolak", _("Ditolak"), "angka"),
        Column("diproses", _("Masih diproses"), "angka"),
        Column("masuk_rkpd", _("Masuk RKPD"), "angka"),
        Column("persen_diterima", _("Diterima (%)"), "persen"),
    ]
    return [
        Table("per_kecamatan", _("Usulan per kecamatan"), _kode_nama(_("Kecamatan")) + counts,
              list(data["per_kecamatan"]), "diterima",
              ("diusulkan", "diterima", "ditolak", "diproses", "masuk_rkpd")),
        Table("menjadi", _("Menjadi sub kegiatan RKPD"),
              [*_kode_nama(_("Kode")), Column("usulan", _("Usulan"), "angka")],
              list(data["menjadi"]), "usulan", ("usulan",)),
    ]  # fmt: skip


def perizinan_tables(data: Mapping[str, Any], penduduk: int | None) -> list[Table]:
    per_type = [
        Column("sektor", _("Sektor")),
        Column("selesai", _("Selesai"), "angka"),
        Column("tepat_waktu", _("Tepat waktu"), "angka"),
        Column("persen_tepat_waktu", _("Tepat waktu (%)"), "persen"),
        Column("median_hari_kerja", _("Median hari kerja"), "hari"),
        Column("ikm", _("IKM"), "persen"),
    ]
    quarters = [
        Column("triwulan", _("Triwulan")),
        Column("responden", _("Responden"), "angka"),
        Column("ikm", _("IKM"), "persen"),
        Column("mutu", _("Mutu pelayanan")),
    ]
    return [
        Table("per_jenis", _("Layanan per jenis izin"), _kode_nama(_("Kode")) + per_type,
              list(data["per_jenis"]), "persen_tepat_waktu", ("selesai", "tepat_waktu")),
        Table("ikm_triwulan", _("Indeks kepuasan masyarakat per triwulan"), quarters,
              list(data["ikm_triwulan"]), "ikm", ("responden",)),
    ]  # fmt: skip


TABLES: dict[str, Callable[[Mapping[str, Any], int | None], list[Table]]] = {
    "apbd": apbd_tables,
    "rkpd": rkpd_tables,
    "musrenbang": musrenbang_tables,
    "perizinan": perizinan_tables,
}


def document_tables(envelope: Mapping[str, Any]) -> list[Table]:
    return TABLES[envelope["jenis"]](envelope["data"], envelope.get("penduduk"))
