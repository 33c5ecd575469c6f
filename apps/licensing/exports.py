"""XLSX exports of the worklist and of the SLA dashboard, with the page's own figures."""

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from apps.licensing.models import Permohonan


def _bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def applications_xlsx(applications: Iterable[Permohonan]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Permohonan")
    sheet.append(
        [
            "Nomor",
            "Jenis izin",
            "Pemohon",
            "Kanal",
            "Status",
            "Tahap",
            "Diajukan",
            "Retribusi (Rp)",
            "Hari kerja",
            "Tepat waktu",
        ]
    )
    for p in applications:
        sheet.append(
            [
                p.nomor,
                p.standar.nama,
                p.nama_pemohon,
                p.kanal,
                p.status,
                p.langkah_sekarang,
                p.diajukan_pada.date(),
                int(p.retribusi) if p.retribusi is not None else None,
                p.hari_kerja,
                None if p.tepat_waktu is None else ("ya" if p.tepat_waktu else "tidak"),
            ]
        )
    return _bytes(workbook)


def dashboard_xlsx(figures: dict[str, Any]) -> bytes:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("Ringkasan")
    summary.append(
        ["Selesai", "Tepat waktu", "Persen tepat waktu", "Median hari kerja", "Sedang berjalan"]
    )
    summary.append(
        [
            figures["selesai"],
            figures["tepat_waktu"],
            float(figures["persen_tepat_waktu"]),
            float(figures["median_hari_kerja"] or 0),
            figures["berjalan"],
        ]
    )
    by_type = workbook.create_sheet("Per jenis izin")
    by_type.append(
        [
            "Kode",
            "Jenis izin",
            "Sektor",
            "Selesai",
            "Tepat waktu",
            "Persen tepat waktu",
            "Median hari kerja",
        ]
    )
    for row in figures["per_jenis"]:
        by_type.append(
            [
                row["kode"],
                row["nama"],
                row["sektor"],
                row["selesai"],
                row["tepat_waktu"],
                float(row["persen_tepat_waktu"]),
                float(row["median_hari_kerja"] or 0),
            ]
        )
    by_sector = workbook.create_sheet("Per sektor")
    by_sector.append(
        ["Sektor", "Selesai", "Tepat waktu", "Persen tepat waktu", "Median hari kerja"]
    )
    for row in figures["per_sektor"]:
        by_sector.append(
            [
                row["sektor"],
                row["selesai"],
                row["tepat_waktu"],
                float(row["persen_tepat_waktu"]),
                float(row["median_hari_kerja"] or 0),
            ]
        )
    late = workbook.create_sheet("Terlambat")
    late.append(["Nomor", "Jenis izin", "Tahap", "Tenggat"])
    for row in figures["terlambat"]:
        late.append([row["nomor"], row["jenis_izin"], row["langkah"], row["tenggat"]])
    return _bytes(workbook)
