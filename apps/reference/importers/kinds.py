"""Row parsers, one per kind of reference file: each turns a row's text into typed values or
raises RowError with the reason (in Indonesian, shown to the user with the file and line)."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


class RowError(ValueError):
    """The reason one row is malformed."""


def _required(values: dict[str, str], column: str, label: str | None = None) -> str:
    value = " ".join(values.get(column, "").split())
    if not value:
        raise RowError(_("kolom %(column)s kosong") % {"column": label or column})
    return value


def _optional(values: dict[str, str], column: str) -> str:
    return " ".join(values.get(column, "").split())


TRUE = {"1", "y", "ya", "true", "t", "yes", "x", "aktif", "berlaku"}
FALSE = {"", "0", "n", "tidak", "false", "f", "no", "-", "tidak aktif", "tidak berlaku"}


def parse_bool(text: str, *, column: str, default: bool = False) -> bool:
    key = text.strip().lower()
    if key == "":
        return default
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    raise RowError(
        _("kolom %(column)s bernilai %(value)s, bukan ya/tidak")
        % {"column": column, "value": repr(text)}
    )


def parse_rupiah(text: str) -> Decimal:
    """'1.250.000', 'Rp 1.250.000,00', '1250000.00', '1,250,000' -> Decimal('1250000.00')."""
    raw = re.sub(r"(?i)^rp\.?", "", text.strip()).replace(" ", "").replace("\u00a0", "")
    if not raw:
        raise RowError(_("kolom harga kosong"))
    if not re.fullmatch(r"-?[0-9.,]+", raw):
        raise RowError(_("harga %(value)s bukan angka") % {"value": repr(text)})
    if "," in raw and "." in raw:
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
    elif "," in raw:
        decimal_sep = "," if raw.count(",") == 1 and len(raw.split(",")[1]) != 3 else ""
    elif "." in raw:
        decimal_sep = "." if raw.count(".") == 1 and len(raw.split(".")[1]) != 3 else ""
    else:
        decimal_sep = ""
    thousands = {",", "."} - {decimal_sep}
    for sep in thousands:
        raw = raw.replace(sep, "")
    if decimal_sep:
        raw = raw.replace(decimal_sep, ".")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise RowError(_("harga %(value)s bukan angka") % {"value": repr(text)}) from exc
    if value < 0:
        raise RowError(_("harga %(value)s negatif") % {"value": repr(text)})
    if value != value.quantize(Decimal("0.01")):
        raise RowError(_("harga %(value)s lebih dari dua desimal") % {"value": repr(text)})
    if value >= Decimal(10) ** 16:
        raise RowError(_("harga %(value)s terlalu besar") % {"value": repr(text)})
    return value.quantize(Decimal("0.01"))


def _level(value: str, levels: dict[str, str], column: str = "tingkat") -> str:
    key = re.sub(r"[^a-z]+", "_", value.strip().lower()).strip("_")
    if key not in levels:
        raise RowError(
            _("%(column)s %(value)s tidak dikenal") % {"column": column, "value": repr(value)}
        )
    return levels[key]


# -- nomenklatur --------------------------------------------------------------------------------

_HEAD = r"(?:\d\.\d{2}|X\.XX)"
NOMENKLATUR_PATTERNS = [
    ("urusan", re.compile(r"\d")),
    ("bidang", re.compile(r"\d\.\d{2}")),
    ("program", re.compile(_HEAD + r"\.\d{2}")),
    ("kegiatan", re.compile(_HEAD + r"\.\d{2}\.\d\.\d{2}")),
    ("sub_kegiatan", re.compile(_HEAD + r"\.\d{2}\.\d\.\d{2}\.(?:\d{2}|\d{4})")),
]
NOMENKLATUR_LEVELS = {
    "urusan": "urusan",
    "bidang": "bidang",
    "bidang_urusan": "bidang",
    "program": "program",
    "kegiatan": "kegiatan",
    "sub_kegiatan": "sub_kegiatan",
    "subkegiatan": "sub_kegiatan",
}


def nomenklatur_level(kode: str) -> str:
    for level, pattern in NOMENKLATUR_PATTERNS:
        if pattern.fullmatch(kode):
            return level
    raise RowError(
        _("kode %(kode)s bukan kode nomenklatur (contoh 1.02.02.2.01.0001)") % {"kode": repr(kode)}
    )


def nomenklatur_parent(kode: str, level: str) -> str:
    parts = kode.split(".")
    keep = {"urusan": 0, "bidang": 1, "program": 2, "kegiatan": 3, "sub_kegiatan": 5}[level]
    if level == "program" and kode.startswith("X.XX"):
        return ""  # program penunjang: shared by every bidang
    return ".".join(parts[:keep])


def parse_nomenklatur(values: dict[str, str]) -> dict[str, Any]:
    kode = _required(values, "kode").replace(" ", "")
    level = nomenklatur_level(kode)
    given = _optional(values, "tingkat")
    if given and _level(given, NOMENKLATUR_LEVELS) != level:
        raise RowError(
            _("tingkat %(given)s tidak cocok dengan kode %(kode)s (%(level)s)")
            % {"given": repr(given), "kode": kode, "level": level}
        )
    kode_lama = _optional(values, "kode_lama").replace(" ", "")
    if kode_lama and nomenklatur_level(kode_lama) != level:
        raise RowError(
            _("kode_lama %(kode_lama)s bukan kode %(level)s")
            % {"kode_lama": kode_lama, "level": level}
        )
    return {
        "kode": kode,
        "nama": _required(values, "nama"),
        "tingkat": level,
        "induk": nomenklatur_parent(kode, level),
        "kode_lama": kode_lama,
        "penunjang": kode.startswith("X.XX")
        or parse_bool(values.get("penunjang", ""), column="penunjang"),
        "kinerja": _optional(values, "kinerja"),
        "indikator": _optional(values, "indikator"),
        "satuan": _optional(values, "satuan")[:100],
        **_nomenklatur_meta(values, level),
    }


KEKHUSUSAN = {"aceh", "papua", "diy"}


def _nomenklatur_meta(values: dict[str, str], level: str) -> dict[str, Any]:
    """The SIPD export's per-item metadata: special-autonomy group, previous code, SPM, jenis."""
    groups = [g for g in re.split(r"[,;|\s]+", _optional(values, "kekhususan").lower()) if g]
    unknown = [g for g in groups if g not in KEKHUSUSAN]
    if unknown:
        raise RowError(
            _("kekhususan %(value)s tidak dikenal (aceh, papua atau diy)")
            % {"value": repr(unknown[0])}
        )
    # SIPD writes the previous code alone or as a "code name" cell: the code is the first word.
    previous = (_optional(values, "kode_sebelumnya").split() or [""])[0]
    if previous and nomenklatur_level(previous) != level:
        raise RowError(
            _("kode_sebelumnya %(kode)s bukan kode %(level)s") % {"kode": previous, "level": level}
        )
    spm = _optional(values, "spm").upper()
    jenis = _optional(values, "jenis")
    if len(jenis) > 20:
        raise RowError(_("jenis lebih dari 20 karakter"))
    return {
        "kekhususan": ",".join(sorted(set(groups))),
        "kode_sebelumnya": previous,
        "spm": spm == "SPM" or (not spm.startswith("NON") and parse_bool(spm, column="spm")),
        "jenis": jenis,
        "tag": _optional(values, "tag"),
        "pelaksana": _optional(values, "pelaksana"),
        "definisi_operasional": values.get("definisi_operasional", "").strip(),
    }


SIPD_LEVELS = ("urusan", "bidang", "program", "kegiatan", "sub_kegiatan")


def _code_name(cell: str, column: str) -> tuple[str, str]:
    """A SIPD "code name" cell: '1.01.02 PROGRAM PENGELOLAAN PENDIDIKAN' -> (code, name)."""
    parts = cell.split(None, 1)
    if len(parts) != 2:
        raise RowError(
            _("kolom %(column)s %(value)s bukan 'kode nama'") % {"column": column, "value": cell}
        )
    return parts[0], parts[1]


def explode_sipd(values: dict[str, str]) -> list[dict[str, str]]:
    """One row of the SIPD export (a column per level, "code name" cells, metadata of the deepest
    item) -> canonical nomenclature rows, ancestors first; every level below urusan may be empty
    for rows that describe a higher item."""
    out: list[dict[str, str]] = []
    cells = [(level, " ".join(values.get(level, "").split())) for level in SIPD_LEVELS]
    filled = [(level, cell) for level, cell in cells if cell]
    if not filled:
        raise RowError(_("tidak ada kolom urusan sampai sub kegiatan yang terisi"))
    for index, (level, cell) in enumerate(filled):
        kode, nama = _code_name(cell, level)
        row = {"kode": kode, "nama": nama, "tingkat": level}
        if index == len(filled) - 1:
            row.update({k: v for k, v in values.items() if k not in SIPD_LEVELS})
        out.append(row)
    return out


# -- rekening -----------------------------------------------------------------------------------

REKENING_LEVELS = ["akun", "kelompok", "jenis", "objek", "rincian_objek", "sub_rincian_objek"]
REKENING_ALIASES = {
    "akun": "akun",
    "kelompok": "kelompok",
    "jenis": "jenis",
    "objek": "objek",
    "rincian_objek": "rincian_objek",
    "rincian": "rincian_objek",
    "sub_rincian_objek": "sub_rincian_objek",
    "subrincian_objek": "sub_rincian_objek",
    "sub_rincian": "sub_rincian_objek",
}


REKENING_PATTERN = re.compile(
    r"\d(?:\.\d(?:\.\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)?)?", re.ASCII
)


def rekening_level(kode: str) -> str:
    if not REKENING_PATTERN.fullmatch(kode):
        raise RowError(
            _("kode %(kode)s bukan kode rekening (contoh 5.1.02.01.01.0024)") % {"kode": repr(kode)}
        )
    return REKENING_LEVELS[kode.count(".")]


def parse_rekening(values: dict[str, str]) -> dict[str, Any]:
    kode = _required(values, "kode").replace(" ", "")
    level = rekening_level(kode)
    given = _optional(values, "tingkat")
    if given and _level(given, REKENING_ALIASES) != level:
        raise RowError(
            _("tingkat %(given)s tidak cocok dengan kode %(kode)s (%(level)s)")
            % {"given": repr(given), "kode": kode, "level": level}
        )
    return {
        "kode": kode,
        "nama": _required(values, "nama"),
        "tingkat": level,
        "induk": kode.rsplit(".", 1)[0] if "." in kode else "",
    }


# -- standar harga ------------------------------------------------------------------------------

HARGA_JENIS = {"ssh": "SSH", "hspk": "HSPK", "asb": "ASB", "sbu": "SBU"}


def _tkdn(text: str) -> Decimal | None:
    """TKDN as a percentage: '', '-' -> None; '40', '40,5', '40.5%' -> Decimal."""
    raw = text.replace("%", "").replace(",", ".").strip()
    if raw in ("", "-"):
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise RowError(_("TKDN %(value)s bukan persen") % {"value": repr(text)}) from exc
    if not Decimal(0) <= value <= Decimal(100):
        raise RowError(_("TKDN %(value)s di luar 0 sampai 100") % {"value": repr(text)})
    return value.quantize(Decimal("0.01"))


def parse_harga(values: dict[str, str]) -> dict[str, Any]:
    kode = _required(values, "kode").replace(" ", "")
    if len(kode) > 40:
        raise RowError(_("kode lebih dari 40 karakter"))
    jenis_text = _required(values, "jenis")
    jenis = HARGA_JENIS.get(jenis_text.lower())
    if jenis is None:
        raise RowError(
            _("jenis %(jenis)s bukan SSH, HSPK, ASB atau SBU") % {"jenis": repr(jenis_text)}
        )
    # No account at all is judged by the loader with unknown ones (refused, or skipped on request).
    accounts = [c for c in re.split(r"[|;,\s]+", values.get("rekening", "")) if c]
    for account in accounts:
        if rekening_level(account) != "sub_rincian_objek" or not account.startswith("5."):
            raise RowError(
                _("rekening %(rekening)s bukan sub rincian objek belanja (5.x.xx.xx.xx.xxxx)")
                % {"rekening": account}
            )
    satuan = _required(values, "satuan")
    if len(satuan) > 40:
        raise RowError(_("satuan lebih dari 40 karakter"))
    return {
        "kode": kode,
        "jenis": jenis,
        "nama": _required(values, "nama"),
        "spesifikasi": _optional(values, "spesifikasi"),
        "satuan": satuan,
        "harga": parse_rupiah(values.get("harga", "")),
        "ilustratif": parse_bool(values.get("ilustratif", ""), column="ilustratif"),
        "catatan": _optional(values, "catatan"),
        "tkdn": _tkdn(_optional(values, "tkdn")),
        "rekening": list(dict.fromkeys(accounts)),
    }


# -- jenis izin ---------------------------------------------------------------------------------


def parse_izin(values: dict[str, str]) -> dict[str, Any]:
    kode = _required(values, "kode").replace(" ", "")
    if len(kode) > 40:
        raise RowError(_("kode lebih dari 40 karakter"))
    requirements = [
        " ".join(item.split()) for item in re.split(r"[|\n]", values.get("persyaratan", ""))
    ]
    requirements = [item for item in requirements if item]
    days_text = _optional(values, "waktu_hari_kerja")
    days: int | None = None
    if days_text:
        match = re.search(r"\d+", days_text)
        if match is None:
            raise RowError(
                _("waktu_hari_kerja %(days)s bukan angka hari kerja") % {"days": repr(days_text)}
            )
        days = int(match.group())
        if days > 365:
            raise RowError(_("waktu_hari_kerja %(days)s lebih dari 365") % {"days": days})
    legal = _optional(values, "dasar_hukum")
    return {
        "kode": kode,
        "nama": _required(values, "nama"),
        "sektor": (_optional(values, "sektor") or "Lainnya")[:100],
        "persyaratan": json.dumps(requirements, ensure_ascii=False),
        "waktu_hari_kerja": days,
        "retribusi": _optional(values, "retribusi"),
        "dasar_hukum": legal,
        "berlaku": parse_bool(values.get("berlaku", ""), column="berlaku", default=True),
        "digantikan_oleh": _optional(values, "digantikan_oleh")[:40],
        "sumber": _optional(values, "sumber"),
        "standar_lengkap": bool(requirements) and days is not None and bool(legal),
    }


# -- perangkat daerah, sumber dana --------------------------------------------------------------

OPD_PATTERN = re.compile(r"\d\.\d{2}\.\d\.\d{2}\.\d\.\d{2}\.\d{2}\.\d{4}")


def parse_opd(values: dict[str, str]) -> dict[str, Any]:
    kode = _required(values, "kode").replace(" ", "")
    if not OPD_PATTERN.fullmatch(kode):
        raise RowError(
            _("kode %(kode)s bukan kode perangkat daerah (contoh 1.01.0.00.0.00.01.0000)")
            % {"kode": repr(kode)}
        )
    return {
        "kode": kode,
        "nama": _required(values, "nama"),
        "singkatan": _optional(values, "singkatan")[:40],
        "jenis": _optional(values, "jenis")[:20],
        "induk": "" if kode.endswith(".0000") else kode[:-4] + "0000",
    }


def parse_sumber_dana(values: dict[str, str]) -> dict[str, Any]:
    kode = _required(values, "kode").replace(" ", "")
    if not re.fullmatch(r"\d{1,2}(\.\d{1,3}){0,4}", kode):
        raise RowError(
            _("kode %(kode)s bukan kode sumber dana (contoh 2.3.1)") % {"kode": repr(kode)}
        )
    return {
        "kode": kode,
        "nama": _required(values, "nama"),
        "keterangan": _optional(values, "keterangan"),
        "induk": kode.rsplit(".", 1)[0] if "." in kode else "",
    }


# -- registry -----------------------------------------------------------------------------------

COMMON_KODE = ("kd", "code", "no_kode", "kode_nomenklatur")
COMMON_NAMA = ("uraian", "name", "nama_uraian", "keterangan_uraian")


NOMENKLATUR_META_ALIASES: dict[str, tuple[str, ...]] = {
    "kekhususan": ("otsus", "khusus"),
    "kode_sebelumnya": ("kode_lama_sipd", "kode_sebelum", "kode_sebelum_pemutakhiran"),
    "spm": ("standar_pelayanan_minimal", "status_spm"),
    "jenis": ("jenis_sub_kegiatan",),
    "tag": ("tagging", "tag_sub_kegiatan"),
    "pelaksana": ("unit_pelaksana",),
    "definisi_operasional": ("definisi",),
}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    parse: Callable[[dict[str, str]], dict[str, Any]]
    aliases: dict[str, tuple[str, ...]]
    # Columns whose cells may hold line breaks; anywhere else a break means a quote left open.
    multiline: frozenset[str] = frozenset()
    # The table the kind writes (kinds that read another layout of the same data share one).
    table: str = ""
    # Turns one row of a layout that holds several items per row into canonical rows.
    explode: Callable[[dict[str, str]], list[dict[str, str]]] | None = None

    @property
    def target(self) -> str:
        return self.table or self.name


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "nomenklatur",
            "nomenklatur urusan/bidang/program/kegiatan/sub kegiatan",
            parse_nomenklatur,
            {
                "kode": (*COMMON_KODE, "kode_sub_kegiatan", "kode_program", "kode_kegiatan"),
                "nama": (*COMMON_NAMA, "nomenklatur", "nama_nomenklatur", "nama_sub_kegiatan"),
                "tingkat": ("level", "jenjang", "tingkatan"),
                "kode_lama": ("kode_2_digit", "kode_2020"),
                "penunjang": ("program_penunjang",),
                "kinerja": ("kinerja_sub_kegiatan",),
                "indikator": ("indikator_kinerja", "indikator_sub_kegiatan"),
                "satuan": ("unit", "satuan_indikator"),
                **NOMENKLATUR_META_ALIASES,
            },
            frozenset({"definisi_operasional"}),
        ),
        Kind(
            "nomenklatur_sipd",
            "nomenklatur, ekspor SIPD (satu kolom per tingkat, sel 'kode nama')",
            parse_nomenklatur,
            {
                "urusan": ("urusan_pemerintahan",),
                "bidang": ("bidang_urusan", "bidang_urusan_pemerintahan"),
                "program": ("nama_program",),
                "kegiatan": ("nama_kegiatan",),
                "sub_kegiatan": ("subkegiatan", "nama_sub_kegiatan", "nomenklatur_sub_kegiatan"),
                "kinerja": ("kinerja_sub_kegiatan",),
                "indikator": ("indikator_kinerja", "indikator_sub_kegiatan"),
                "satuan": ("unit", "satuan_indikator"),
                **NOMENKLATUR_META_ALIASES,
            },
            frozenset({"definisi_operasional"}),
            table="nomenklatur",
            explode=explode_sipd,
        ),
        Kind(
            "rekening",
            "kode rekening (bagan akun standar)",
            parse_rekening,
            {
                "kode": (*COMMON_KODE, "kode_rekening", "kode_akun", "kd_rek"),
                "nama": (*COMMON_NAMA, "nama_rekening", "nama_akun", "uraian_akun"),
                "tingkat": ("level", "jenjang"),
            },
        ),
        Kind(
            "harga",
            "standar harga (SSH/HSPK/ASB/SBU)",
            parse_harga,
            {
                "kode": (*COMMON_KODE, "kode_barang", "kode_standar", "kode_komponen", "kode_ssh"),
                "nama": (*COMMON_NAMA, "nama_barang", "uraian_barang", "nama_komponen"),
                "jenis": ("jenis_standar", "kelompok_standar", "tipe", "kelompok"),
                "spesifikasi": ("spek", "spec", "specification", "spesifikasi_barang"),
                "satuan": ("unit", "sat", "satuan_barang"),
                "harga": ("harga_satuan", "price", "nilai", "harga_rp", "harga_satuan_rp"),
                "rekening": (
                    "kode_rekening",
                    "rekening_belanja",
                    "akun_belanja",
                    "kode_rekening_belanja",
                    "kode_akun",
                ),
                "ilustratif": ("contoh",),
                "catatan": ("keterangan",),
                "tkdn": ("nilai_tkdn", "tkdn_persen"),
            },
        ),
        Kind(
            "izin",
            "jenis izin dan standar pelayanan",
            parse_izin,
            {
                "kode": (*COMMON_KODE, "kode_izin", "kode_jenis_izin"),
                "nama": (*COMMON_NAMA, "nama_izin", "jenis_izin", "nama_perizinan"),
                "sektor": ("bidang", "sektor_izin", "kelompok"),
                "persyaratan": ("syarat", "persyaratan_izin"),
                "waktu_hari_kerja": ("waktu", "lama_proses", "sla", "waktu_penyelesaian", "durasi"),
                "retribusi": ("biaya", "tarif", "biaya_retribusi"),
                "dasar_hukum": ("landasan_hukum", "regulasi"),
                "berlaku": ("aktif", "status"),
                "digantikan_oleh": ("pengganti",),
                "sumber": ("catatan", "keterangan"),
            },
            frozenset({"persyaratan"}),
        ),
        Kind(
            "opd",
            "perangkat daerah",
            parse_opd,
            {
                "kode": (*COMMON_KODE, "kode_opd", "kode_skpd", "kode_unit"),
                "nama": (*COMMON_NAMA, "nama_opd", "nama_skpd", "nama_perangkat_daerah"),
                "singkatan": ("akronim", "nama_singkat"),
                "jenis": ("bentuk", "tipe"),
            },
        ),
        Kind(
            "sumber_dana",
            "sumber dana",
            parse_sumber_dana,
            {
                "kode": (*COMMON_KODE, "kode_sumber_dana"),
                "nama": (*COMMON_NAMA, "nama_sumber_dana", "sumber_dana"),
                "keterangan": ("catatan",),
            },
        ),
    ]
}
