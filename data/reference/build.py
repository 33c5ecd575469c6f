"""Derive the starter reference release from ../shared/data/reference (reproducible, no Django).

    python data/reference/build.py [SOURCE_DIR]

Derived here: urusan_bidang.csv and kode_rekening.csv (copied as published), nomenklatur_kabkota.csv
(the 2,553-row 2020 list with the 4-digit sub kegiatan codes of Kepmendagri 050-5889/2021 where the
partial 4-digit list knows them, keeping the 2-digit code otherwise; the 2-digit code is kept in
kode_lama), jenis_izin_batang.csv (the 83 Batang permit types with stable codes). The composed files
(standar_harga.csv, izin_standar_pelayanan.csv, sumber_dana.csv, perangkat_daerah.csv) are authored
by hand; this script only checks them (accounts must be real belanja sub rincian objek).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[2] / "shared" / "data" / "reference"

# Names that replaced a pre-2021 licence (PP 5/2021 risk-based licensing, PP 16/2021 PBG,
# PP 21/2021 KKPR, PP 22/2021 persetujuan lingkungan); these legacy rows are kept, not current.
SUPERSEDED = {
    "Izin Mendirikan Bangunan (IMB)": "PBG",
    "Izin Lokasi": "KKPR",
    "Izin Lingkungan": "PERSETUJUAN-LINGKUNGAN",
    "Surat Izin Usaha Perdagangan (SIUP)": "NIB",
    "Tanda Daftar Perusahaan (TDP)": "NIB",
    "Izin Usaha": "NIB",
    "Tanda Daftar Usaha Pariwisata": "TDUP",
    "Izin Reklame": "REKLAME",
    "Izin Apotek": "APOTEK",
    "Izin Operasional Klinik Pratama": "KLINIK",
    "Izin Operasional Klinik Utama": "KLINIK",
    "Izin Praktik Dokter": "SIP-DOKTER",
    "Izin Praktik Bidan": "SIP-BIDAN",
    "Izin Praktik Perawat": "SIP-PERAWAT",
    "Izin Praktik Apoteker": "SIPA",
    "Izin Kerja Tenaga Teknis Kefarmasian": "SIPTTK",
    "Izin Usaha Jasa Konstruksi (IUJK)": "NIB",
    "Izin Usaha Industri ( IUI)": "NIB",
    "Tanda Daftar Industri (TDI)": "NIB",
    "Izin Perubahan Penggunaan Tanah ( IPPT )": "KKPR",
}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def norm(name: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())


def _best(name: str, candidates: dict[str, str], used: set[str]) -> str | None:
    """The 4-digit code whose name matches: exact after normalising, else close (typos)."""
    key = norm(name)
    free = {code: cand for code, cand in candidates.items() if code not in used}
    for code, cand in free.items():
        if norm(cand) == key:
            return code
    scored = [
        (difflib.SequenceMatcher(None, key, norm(c)).ratio(), code) for code, c in free.items()
    ]
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 0.9:
        return scored[0][1]
    return None


def build_nomenklatur(source: Path) -> tuple[list[dict[str, str]], Counter[str]]:
    rows = read(source / "nomenklatur_kabkota.csv")
    partial = read(source / "nomenklatur_kabkota_subkeg4digit_partial.csv")
    by_parent: dict[str, dict[str, str]] = defaultdict(dict)
    # Program penunjang (X.XX.01) is instantiated per bidang in the 4-digit list: pool its codes.
    penunjang: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for row in partial:
        parts = row["kode"].split(".")
        by_parent[".".join(parts[:5])][row["kode"]] = row["nama"]
        if parts[2] == "01":
            penunjang[".".join(parts[2:5])][(parts[5], norm(row["nama"]))] += 1
    stats: Counter[str] = Counter()
    used: set[str] = set()
    out = []
    for row in rows:
        kode, tingkat = row["kode"], row["tingkat"]
        item = {
            "kode": kode,
            "nama": " ".join(row["nama"].split()),
            "tingkat": tingkat,
            "kode_lama": "",
            "penunjang": "1" if kode.startswith("X.XX") else "0",
            "kinerja": row["kinerja"],
            "indikator": row["indikator"],
            "satuan": row["satuan"],
        }
        if tingkat == "sub_kegiatan":
            parts = kode.split(".")
            parent = ".".join(parts[:5])
            item["kode_lama"] = kode
            new: str | None = None
            if kode.startswith("X.XX"):
                pool = penunjang.get(".".join(parts[2:5]), Counter())
                hits = [
                    (n, suffix) for (suffix, name), n in pool.items() if name == norm(row["nama"])
                ]
                if hits:
                    new = f"{parent}.{max(hits)[1]}"
            else:
                new = _best(row["nama"], by_parent.get(parent, {}), used)
            if new and new not in used:
                used.add(new)
                item["kode"] = new
                stats["4 digit"] += 1
            else:
                stats["2 digit"] += 1
        out.append(item)
    codes = [r["kode"] for r in out]
    assert len(codes) == len(set(codes)), "duplicate codes after the 4-digit mapping"
    # The 2020 source lists some sub kegiatan without their kegiatan (5.01.04, 5.01.05, ...):
    # kept as published; the importer loads them without a parent.
    bidang = {r["kode"] for r in read(source / "urusan_bidang.csv")}
    known = set(codes) | bidang
    for row in out:
        parts = row["kode"].split(".")
        cut = {"program": 2, "kegiatan": 3, "sub_kegiatan": 5}[row["tingkat"]]
        parent = ".".join(parts[:cut])
        if not parent.startswith("X") and parent not in known:
            stats["tanpa induk"] += 1
    return out, stats


# Kegiatan digit of a special-autonomy item -> the group it belongs to (see KEKHUSUSAN_PROVINSI in
# apps/reference/models.py for the provinces of each group).
KEKHUSUSAN_DIGIT = {"3": "papua", "4": "papua", "5": "diy", "7": "aceh"}
NOMENKLATUR_2023_FIELDS = [
    "kode", "nama", "tingkat", "kode_lama", "penunjang", "kinerja", "indikator", "satuan",
    "kekhususan",
]  # fmt: skip
META_FIELDS = ["jenis", "spm", "tag", "pelaksana", "kode_sebelumnya", "definisi_operasional"]


def _kekhususan(rows: list[dict[str, str]]) -> dict[str, str]:
    """Group per code of a special-autonomy file: kegiatan and sub kegiatan by their digit,
    programs, bidang and urusan by the groups of their descendants (comma-joined when mixed)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        parts = row["kode"].split(".")
        if row["tingkat"] in ("kegiatan", "sub_kegiatan"):
            group = KEKHUSUSAN_DIGIT[parts[3]]
            for cut in (1, 2, 3, 5, 6):
                groups[".".join(parts[:cut])].add(group)
    return {r["kode"]: ",".join(sorted(groups.get(r["kode"], {"aceh"}))) for r in rows}


def build_nomenklatur_release(
    source: Path, general: str, special: str, kode_lama: dict[str, str]
) -> list[dict[str, str]]:
    """One release file from a general and a special-autonomy list: urusan and bidang come from
    urusan_bidang.csv (the lists only carry placeholders), X/X.XX placeholders dropped."""
    special_rows = read(source / special)
    groups = _kekhususan(special_rows)
    out = []
    for row in read(source / general):
        if row["tingkat"] in ("urusan", "bidang"):
            continue
        out.append({**row, "kekhususan": ""})
    for row in special_rows:
        # the special list's own urusan/bidang (9 UNSUR KEKHUSUSAN, 9.01 ACEH) are kept
        if row["tingkat"] not in ("urusan", "bidang") or row["kode"] in {"9", "9.01"}:
            out.append({**row, "kekhususan": groups[row["kode"]]})
    for row in out:
        row["nama"] = " ".join(row["nama"].split())
        row["penunjang"] = "1" if row["kode"].startswith("X.XX") else "0"
        sub = row["tingkat"] == "sub_kegiatan"
        row["kode_lama"] = kode_lama.get(row["kode"], "") if sub else ""
    codes = [r["kode"] for r in out]
    assert len(codes) == len(set(codes)), f"duplicate codes in {general} + {special}"
    return out


def build_2027(source: Path, kode_lama: dict[str, str]) -> list[dict[str, str]]:
    """Release 2027.1: the 2027 lists with each sub kegiatan's metadata (SPM, jenis, previous
    code, operational definition) from the SIPD export's meta file."""
    rows = build_nomenklatur_release(
        source, "nomenklatur_kabkota_2027.csv", "nomenklatur_kabkota_2027_kekhususan.csv", kode_lama
    )
    meta = {r["kode"]: r for r in read(source / "nomenklatur_kabkota_2027_meta.csv")}
    for row in rows:
        extra = meta.get(row["kode"], {})
        for name in META_FIELDS:
            row[name] = extra.get(name, "")
        row["spm"] = "1" if row["spm"].strip().upper() == "SPM" else "0"
    return rows


def build_izin(source: Path) -> list[dict[str, str]]:
    out = []
    for number, row in enumerate(read(source / "jenis_izin.csv"), start=1):
        replaced = SUPERSEDED.get(row["nama"], "")
        out.append(
            {
                "kode": f"BTG-{number:03d}",
                "nama": row["nama"],
                "sektor": row["sektor"] if row["sektor"] not in ("", "-") else "Lainnya",
                "persyaratan": row["persyaratan"],
                "waktu_hari_kerja": row["waktu_hari_kerja"],
                "retribusi": row["biaya"],
                "dasar_hukum": row["dasar_hukum"],
                "berlaku": "0" if replaced else "1",
                "digantikan_oleh": replaced,
                "sumber": row["sumber"],
            }
        )
    return out


def check_harga(rekening: list[dict[str, str]]) -> int:
    belanja = {
        r["kode"]
        for r in rekening
        if r["kode"].startswith("5.") and r["tingkat"] == "sub_rincian_objek"
    }
    rows = read(HERE / "standar_harga.csv")
    for line, row in enumerate(rows, start=2):
        codes = [c.strip() for c in row["rekening"].split("|") if c.strip()]
        missing = [c for c in codes if c not in belanja]
        assert codes and not missing, (
            f"standar_harga.csv line {line}: not a belanja account {missing}"
        )
    kodes = [r["kode"] for r in rows]
    assert len(kodes) == len(set(kodes)), "duplicate price codes"
    return len(rows)


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    nomenklatur, stats = build_nomenklatur(source)
    # The 2020 two-digit code of every sub kegiatan whose 4-digit code is known: kept as history.
    kode_lama = {r["kode"]: r["kode_lama"] for r in nomenklatur if r["kode"] != r["kode_lama"]}
    release_2023 = build_nomenklatur_release(
        source, "nomenklatur_kabkota_2023.csv", "nomenklatur_kabkota_2023_kekhususan.csv", kode_lama
    )
    write(HERE / "nomenklatur_kabkota_2023.csv", NOMENKLATUR_2023_FIELDS, release_2023)
    release_2027 = build_2027(source, kode_lama)
    (HERE / "2027.1").mkdir(exist_ok=True)
    write(
        HERE / "2027.1" / "nomenklatur_kabkota_2027.csv",
        NOMENKLATUR_2023_FIELDS + META_FIELDS,
        release_2027,
    )
    (HERE / "2027.1" / "urusan_bidang.csv").write_bytes((source / "urusan_bidang.csv").read_bytes())
    for name in ("urusan_bidang.csv", "kode_rekening.csv"):
        (HERE / name).write_bytes((source / name).read_bytes())
    izin = build_izin(source)
    write(HERE / "jenis_izin_batang.csv", list(izin[0]), izin)
    prices = check_harga(read(HERE / "kode_rekening.csv"))
    current = {r["kode"] for r in read(HERE / "izin_standar_pelayanan.csv")}
    unknown = {r["digantikan_oleh"] for r in izin} - current - {""}
    assert not unknown, f"digantikan_oleh names unknown permit codes: {unknown}"
    digest = hashlib.sha256((source / "nomenklatur_kabkota.csv").read_bytes()).hexdigest()[:12]
    print(
        json.dumps(
            {
                "nomenklatur_2020": len(nomenklatur),
                "nomenklatur_2026.2": len(release_2023),
                "nomenklatur_2027.1": len(release_2027),
                **stats,
                "izin_batang": len(izin),
                "standar_harga": prices,
                "source_sha256": digest,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
