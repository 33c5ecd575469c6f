"""The JSON shape of every frozen document, in one place.

A publication's `isi` is an `Envelope`: the kind, the year, the population the per-capita
figures divide by (data/wilayah, frozen with the document) and the provider's `data`. Amounts
are decimal strings (exact to the sen), never floats.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NotRequired, TypedDict


class Row(TypedDict):
    kode: str
    nama: str
    jumlah: str


class ApbdDocument(TypedDict):
    """apps.budgeting.selectors `apbd_summary(tahun)`, as frozen (Decimals as strings)."""

    tahun: int
    versi: str
    ditetapkan_pada: str
    pendapatan: str
    belanja: str
    surplus_defisit: str
    penerimaan_pembiayaan: str
    pengeluaran_pembiayaan: str
    pembiayaan_neto: str
    silpa: str
    per_urusan: list[Row]
    per_opd: list[Row]
    per_kelompok: list[Row]


class RkpdProgram(Row):
    sub_kegiatan: int


class RkpdDocument(TypedDict):
    """The enacted RKPD (the closed RKPD penetapan snapshot): pagu by program and by OPD."""

    tahun: int
    snapshot_sha256: str
    ditetapkan_pada: str
    total: str
    sub_kegiatan: int
    per_program: list[RkpdProgram]
    per_opd: list[Row]


class MusrenbangKecamatan(TypedDict):
    kode: str
    nama: str
    diusulkan: int
    diterima: int
    ditolak: int
    diproses: int
    masuk_rkpd: int
    persen_diterima: str


class MusrenbangDocument(TypedDict):
    tahun: int
    diusulkan: int
    diterima: int
    persen_diterima: str
    per_kecamatan: list[MusrenbangKecamatan]
    # What accepted proposals became: RKPD sub kegiatan and how many proposals each took in.
    menjadi: list[dict[str, Any]]


class PerizinanJenis(TypedDict):
    kode: str
    nama: str
    sektor: str
    selesai: int
    tepat_waktu: int
    persen_tepat_waktu: str
    median_hari_kerja: str
    ikm: str | None


class PerizinanDocument(TypedDict):
    tahun: int
    selesai: int
    tepat_waktu: int
    persen_tepat_waktu: str
    median_hari_kerja: str | None
    ikm: str | None
    responden_ikm: int
    per_jenis: list[PerizinanJenis]
    ikm_triwulan: list[dict[str, Any]]


class Envelope(TypedDict):
    jenis: str
    tahun: int
    kode_wilayah: str
    penduduk: int | None
    data: dict[str, Any]
    diterbitkan_pada: NotRequired[str]


def amount(value: Any) -> str:
    """A Decimal (or int, or numeric string) as an exact decimal string; floats are refused."""
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    return str(Decimal(str(value)))


def _rows(rows: Any) -> list[Row]:
    return [
        {"kode": str(r["kode"]), "nama": str(r["nama"]), "jumlah": amount(r["jumlah"])}
        for r in rows
    ]


def apbd_document(summary: Mapping[str, Any]) -> ApbdDocument:
    """Freeze budgeting's `apbd_summary(tahun)` into the portal's shape (what the `apbd`
    provider returns: `provider_register("apbd", lambda t: apbd_document(apbd_summary(t)))`)."""
    ditetapkan = summary.get("ditetapkan_pada")
    return {
        "tahun": int(summary["tahun"]),
        "versi": str(summary.get("versi", "")),
        "ditetapkan_pada": ditetapkan.isoformat() if ditetapkan is not None else "",
        "pendapatan": amount(summary["pendapatan"]),
        "belanja": amount(summary["belanja"]),
        "surplus_defisit": amount(summary["surplus_defisit"]),
        "penerimaan_pembiayaan": amount(summary["penerimaan_pembiayaan"]),
        "pengeluaran_pembiayaan": amount(summary["pengeluaran_pembiayaan"]),
        "pembiayaan_neto": amount(summary["pembiayaan_neto"]),
        "silpa": amount(summary["silpa"]),
        "per_urusan": _rows(summary["per_urusan"]),
        "per_opd": _rows(summary["per_opd"]),
        "per_kelompok": _rows(summary["per_kelompok"]),
    }


# Belanja modal is account group 5.2 (Permendagri 90/2019 chart of accounts).
BELANJA_MODAL = "5.2"


def capital_share(document: Mapping[str, Any]) -> Decimal | None:
    """Share (percent, one decimal) of belanja that is belanja modal; None without belanja."""
    belanja = Decimal(document.get("belanja") or 0)
    if not belanja:
        return None
    modal = sum(
        (
            Decimal(r["jumlah"])
            for r in document.get("per_kelompok", [])
            if r["kode"] == BELANJA_MODAL
        ),
        Decimal(0),
    )
    return (modal * 100 / belanja).quantize(Decimal("0.1"))


def per_capita(value: Any, penduduk: int | None) -> Decimal | None:
    """Rupiah per resident, to the sen; None without a population."""
    if not penduduk:
        return None
    return (Decimal(str(value)) / penduduk).quantize(Decimal("0.01"))
