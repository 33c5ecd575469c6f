"""The issued permit as a PDF (fpdf2, core fonts) with a QR code (segno) of its verification
URL on the region's host."""

import io
from datetime import date

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

_NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _latin1(text: str) -> str:
    # The core fonts speak Latin-1: anything else becomes "?" rather than failing issuance.
    return text.encode("latin-1", "replace").decode("latin-1")


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def permit_pdf(
    *,
    region: str,
    nomor_izin: str,
    nama_izin: str,
    nomor_permohonan: str,
    pemegang: str,
    lokasi: str,
    diterbitkan: date,
    berlaku_sampai: date | None,
    penandatangan: str,
    verify_url: str,
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creator("Berbagi")
    pdf.set_title(_latin1(f"Izin {nomor_izin}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, _latin1(f"PEMERINTAH {region.upper()}"), align="C", **_NEXT)
    pdf.multi_cell(0, 8, "DINAS PENANAMAN MODAL DAN PTSP", align="C", **_NEXT)
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 8, _latin1(nama_izin.upper()), align="C", **_NEXT)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 7, _latin1(f"Nomor: {nomor_izin}"), align="C", **_NEXT)
    pdf.ln(6)
    rows = [
        ("Nomor permohonan", nomor_permohonan),
        ("Pemegang izin", pemegang),
        ("Lokasi", lokasi or "-"),
        ("Tanggal terbit", diterbitkan.strftime("%d-%m-%Y")),
        (
            "Berlaku sampai",
            berlaku_sampai.strftime("%d-%m-%Y")
            if berlaku_sampai
            else "Selama kegiatan berlangsung sesuai ketentuan",
        ),
    ]
    for label, value in rows:
        pdf.cell(50, 7, _latin1(label))
        pdf.multi_cell(0, 7, _latin1(f": {value}"), **_NEXT)
    pdf.ln(8)
    pdf.multi_cell(0, 7, "Ditandatangani secara elektronik oleh:", **_NEXT)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 7, _latin1(penandatangan), **_NEXT)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 7, "Kepala DPMPTSP", **_NEXT)
    pdf.ln(4)
    y = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(verify_url)), x=15, y=y, w=40, h=40)
    pdf.set_xy(60, y + 5)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0, 5, _latin1(f"Pindai kode QR untuk memeriksa keaslian izin ini:\n{verify_url}"), **_NEXT
    )
    return bytes(pdf.output())
